"""Errors of the output builders, each with a message in Chinese the user can read as is."""

from __future__ import annotations


class OutputError(Exception):
    """A document could not be produced. `code` is a stable English key for programs and tests."""

    code = "output_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class PdfUnavailable(OutputError):
    """LibreOffice is not installed: PDF cannot be made here, the .docx still can."""

    code = "pdf_unavailable"


class PdfFailed(OutputError):
    code = "pdf_failed"


class WorkbookRejected(OutputError):
    """An Excel workbook that cannot be imported; `errors` lists every problem found, row by row."""

    code = "workbook_rejected"

    def __init__(self, message: str, *, errors: list[str] | None = None, code: str | None = None) -> None:
        self.errors = list(errors or [message])
        super().__init__(message, code=code)
