"""Ingestion: a published report, feedback list or ledger table (txt, docx, doc, wps, xlsx, pdf, html) →
`zhenggai.ledger/1`.

A pure library: no Django. `parse_file` / `parse_bytes` are the whole public surface.
"""

from zhenggai.ingest import native  # noqa: F401  (first: picks the compiled steps or their sources)
from zhenggai.ingest.errors import IngestError
from zhenggai.ingest.ledgerdoc import LedgerDocument
from zhenggai.ingest.options import ParseOptions
from zhenggai.ingest.pipeline import parse_bytes, parse_file

__all__ = ["IngestError", "LedgerDocument", "ParseOptions", "parse_bytes", "parse_file"]
