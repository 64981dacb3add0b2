"""Format readers behind one Protocol and a registry."""

from zhenggai.ingest.readers.base import Extracted, Reader, Table
from zhenggai.ingest.readers.registry import reader_for, readers, register

__all__ = ["Extracted", "Reader", "Table", "reader_for", "readers", "register"]
