"""Plain text in UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK or Big5."""

from __future__ import annotations

from zhenggai.ingest.decode import decode
from zhenggai.ingest.options import ParseOptions
from zhenggai.ingest.readers.base import Extracted


class TextReader:
    name = "txt"
    extensions = (".txt", ".text", "")

    def sniff(self, head: bytes) -> bool:
        return False  # plain text has no signature: chosen by file name, or as the last resort

    def read(self, data: bytes, options: ParseOptions) -> Extracted:
        text = decode(data)
        return Extracted(paragraphs=text.splitlines())
