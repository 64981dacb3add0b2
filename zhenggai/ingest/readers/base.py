"""What a format reader is: bytes in, logical paragraphs out.

Readers only extract text; everything about the genre (labels, tree, fields) happens after them,
so a new format needs nothing but a reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from zhenggai.ingest.options import ParseOptions


@dataclass(frozen=True)
class Table:
    """One table's grid with its merges resolved: a cell merged down or across repeats its text in every
    position it covers, so each row reads whole. `start`/`end` are the paragraphs it occupies in the
    document's reading order (the paragraphs outside every table are the prose around it)."""

    rows: list[list[str]]
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Extracted:
    """The text of a document in reading order.

    `paragraphs` are logical paragraphs where the format knows them (docx, html) or physical lines
    (txt, pdf). `wrapped` says that lines may be broken mid-sentence (pdf) and must be re-joined.
    `title` and `published` are what the container states (an html page's headline and posting time).
    `tables` are the document's tables as grids; `tabular` says the document is nothing but tables
    (a workbook): a ledger table or nothing, never prose.
    """

    paragraphs: list[str]
    wrapped: bool = False
    title: str | None = None
    published: str | None = None
    notes: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    tabular: bool = False


@runtime_checkable
class Reader(Protocol):
    name: str
    """Short English name of the format ("txt", "docx" …)."""
    extensions: tuple[str, ...]
    """File name endings the reader claims, lower case with the dot."""

    def sniff(self, head: bytes) -> bool:
        """Whether the first bytes of a file look like this format."""
        ...

    def read(self, data: bytes, options: ParseOptions) -> Extracted:
        """Extract the text, or raise an IngestError with a message in Chinese."""
        ...
