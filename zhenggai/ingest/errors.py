"""Domain errors of ingestion, each with a one-line message in Chinese for the user."""

from __future__ import annotations


class IngestError(Exception):
    """A file could not be read as a rectification report.

    `code` is a stable English key for programs and tests; `message` is what the user reads.
    """

    code = "ingest_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class EmptyFile(IngestError):
    code = "empty"


class TooLarge(IngestError):
    code = "too_large"


class UnsupportedFormat(IngestError):
    code = "unsupported"


class CorruptFile(IngestError):
    code = "corrupt"


class EncryptedFile(IngestError):
    code = "encrypted"


class NoTextLayer(IngestError):
    code = "no_text"


class NotAReport(IngestError):
    code = "not_a_report"


class UndecodableText(IngestError):
    code = "encoding"
