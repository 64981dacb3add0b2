"""Outputs: the reports and ledgers a unit hands on, built from the ledger without retyping.

Pure builders, no Django: a `LedgerDocument` (or plain rows) and a small frozen context go in, bytes
come out. `compose` decides the paragraphs of a report once; `plain`, `docx_gbt` (GB/T 9704-2012),
`html_page` and `pdf` (LibreOffice from the .docx) draw them; `xlsx_write` / `xlsx_read` /
`feedback_list` carry the three lists to and from Excel. The Django side (`zhenggai.reports`) gathers
counts, exemptions and the unit's wording from the database and calls these.
"""

from zhenggai.outputs.compose import Block, Composed, compose, count_findings
from zhenggai.outputs.context import Counts, LateItem, ReportContext, ReportKind, Sections, Version
from zhenggai.outputs.errors import OutputError, PdfFailed, PdfUnavailable, WorkbookRejected
from zhenggai.outputs.wording import defaults as wording_defaults

__all__ = [
    "Block",
    "Composed",
    "Counts",
    "LateItem",
    "OutputError",
    "PdfFailed",
    "PdfUnavailable",
    "ReportContext",
    "ReportKind",
    "Sections",
    "Version",
    "WorkbookRejected",
    "compose",
    "count_findings",
    "wording_defaults",
]
