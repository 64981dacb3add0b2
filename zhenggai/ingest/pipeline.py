"""Ingestion as an explicit, ordered list of small steps (each a module of its own)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from zhenggai.ingest.archive import ArchiveRejected
from zhenggai.ingest.errors import EmptyFile, IngestError, TooLarge
from zhenggai.ingest.ledgerdoc import LedgerDocument
from zhenggai.ingest.options import ParseOptions
from zhenggai.ingest.readers import reader_for


def parse_file(path: str | Path, options: ParseOptions = ParseOptions()) -> LedgerDocument:
    """Read one file and rebuild its ledger; raises IngestError with a Chinese message."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise IngestError("文件不存在或无法读取", code="unreadable") from None
    if path.is_dir():
        raise IngestError("这是一个文件夹,不是文件", code="unreadable")
    if size > options.max_bytes:
        raise TooLarge(f"文件过大({size / 1048576:.1f} MB),上限为 {options.max_bytes // 1048576} MB")
    try:
        data = path.read_bytes()
    except OSError:
        raise IngestError("文件无法读取(权限或磁盘错误)", code="unreadable") from None
    return parse_bytes(data, path.name, options)


def parse_bytes(data: bytes, source: str, options: ParseOptions = ParseOptions()) -> LedgerDocument:
    """Rebuild the ledger of a document given as bytes; `source` is its file name or URL."""
    if len(data) > options.max_bytes:
        raise TooLarge(f"文件过大({len(data) / 1048576:.1f} MB),上限为 {options.max_bytes // 1048576} MB")
    if not data.strip():
        raise EmptyFile("文件是空的")
    from zhenggai.ingest.build import build_ledger
    from zhenggai.ingest.table import table_ledger

    try:
        extracted = reader_for(data, source).read(data, options)
    except ArchiveRejected as error:
        raise error.named(PurePosixPath(source.replace("\\", "/")).name or source) from None
    # a ledger kept as a table takes the table step; a report in prose the prose steps
    return table_ledger(extracted, source, options) or build_ledger(extracted, source, options)
