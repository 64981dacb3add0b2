"""Registers the built-in readers, in sniffing order (specific signatures before plain text)."""

from zhenggai.ingest.readers.registry import register
from zhenggai.ingest.readers.txt import TextReader

register(TextReader())

try:  # the other formats arrive module by module
    from zhenggai.ingest.readers.docx import DocxReader

    register(DocxReader())
except ImportError:  # pragma: no cover
    pass
try:
    from zhenggai.ingest.readers.pdf import PdfReader

    register(PdfReader())
except ImportError:  # pragma: no cover
    pass
try:
    from zhenggai.ingest.readers.legacy import LegacyWordReader

    register(LegacyWordReader())
except ImportError:  # pragma: no cover
    pass
try:
    from zhenggai.ingest.readers.xlsx import XlsxReader

    register(XlsxReader())
except ImportError:  # pragma: no cover
    pass
try:
    from zhenggai.ingest.readers.html import HtmlReader

    register(HtmlReader())
except ImportError:  # pragma: no cover
    pass
