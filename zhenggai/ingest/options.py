"""Options of one parse, frozen so a parse is a pure function of (input, options)."""

from __future__ import annotations

from dataclasses import dataclass

from zhenggai.ingest.archive import ArchiveLimits

MiB = 1024 * 1024


@dataclass(frozen=True)
class ParseOptions:
    max_bytes: int = 50 * MiB
    """Files larger than this are refused before anything is read into memory."""
    max_pages: int = 2000
    """PDF pages beyond this are refused (a hostile file may declare millions)."""
    max_paragraphs: int = 200_000
    """Extracted paragraphs beyond this are refused: no real report comes near it."""
    require_findings: bool = True
    """Refuse a document in which no finding is found (not a rectification report)."""
    convert_timeout: float = 60.0
    """Seconds LibreOffice may take to convert an old .doc/.wps before it is killed."""
    archive: ArchiveLimits | None = None
    """Limits for zip-based files (.docx); None: the defaults in force (zhenggai.ingest.archive.defaults)."""
