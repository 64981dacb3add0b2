"""Fictional rectification reports: demo data, benchmark data and property-test data in the genre's style.

Everything is composed from our own phrase pieces (`vocabulary`), deterministically from a seed; each
report carries its ground truth (`FictionalReport.to_ledger()`) so parse results can be scored.
"""

from zhenggai.fiction.generate import generate_province, generate_report, generate_round
from zhenggai.fiction.model import STYLES, FictionalReport, TextStyle
from zhenggai.fiction.render import to_docx_bytes, to_html_bytes, to_text, to_traditional

__all__ = [
    "STYLES",
    "FictionalReport",
    "TextStyle",
    "generate_province",
    "generate_report",
    "generate_round",
    "to_docx_bytes",
    "to_html_bytes",
    "to_text",
    "to_traditional",
]
