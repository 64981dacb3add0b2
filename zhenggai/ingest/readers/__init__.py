"""Format readers behind one Protocol and a registry."""

from zhenggai.ingest.readers.base import Extracted, Reader
from zhenggai.ingest.readers.registry import reader_for, readers, register

__all__ = ["Extracted", "Reader", "reader_for", "readers", "register"]
