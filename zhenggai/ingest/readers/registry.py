"""The reader registry: built-in readers register the same way a third party would.

A plug-in package adds a reader by declaring an entry point in the group `zhenggai.readers`
that names a Reader instance (or a class to instantiate).
"""

from __future__ import annotations

from importlib import metadata
from pathlib import PurePath

from zhenggai.ingest.errors import UnsupportedFormat
from zhenggai.ingest.readers.base import Reader

_READERS: list[Reader] = []
_loaded = False

ENTRY_POINT_GROUP = "zhenggai.readers"


def register(reader: Reader) -> Reader:
    """Add a reader; a later registration of the same name replaces the earlier one."""
    _READERS[:] = [r for r in _READERS if r.name != reader.name]
    _READERS.append(reader)
    return reader


def readers() -> list[Reader]:
    _load()
    return list(_READERS)


def reader_for(data: bytes, filename: str) -> Reader:
    """Pick a reader by content first (a .txt that is really a .docx is read as .docx), then by name."""
    _load()
    head = data[:8192]
    for reader in _READERS:
        if reader.sniff(head):
            return reader
    suffix = PurePath(filename).suffix.lower()
    for reader in _READERS:
        if suffix in reader.extensions:
            return reader
    known = "、".join(ext for r in _READERS for ext in r.extensions if ext)
    raise UnsupportedFormat(f"不支持的文件格式“{suffix or '无扩展名'}”,可读取的格式:{known}")


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    from zhenggai.ingest.readers import builtin  # noqa: F401  (registers the built-in readers)

    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        obj = entry.load()
        register(obj() if isinstance(obj, type) else obj)
