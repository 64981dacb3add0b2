"""Old binary Word (.doc) and WPS (.wps) documents: converted to .docx by LibreOffice, then read as .docx.

Both are OLE compound files (an old .doc may also be RTF under its name). A password-protected Office
file is an OLE file too (EncryptionInfo / EncryptedPackage): it is named as such before anything runs.
"""

from __future__ import annotations

from zhenggai.ingest.convert import to_docx
from zhenggai.ingest.errors import CorruptFile, EncryptedFile
from zhenggai.ingest.options import ParseOptions
from zhenggai.ingest.readers.base import Extracted
from zhenggai.ingest.readers.docx import OLE_MAGIC, DocxReader

RTF_MAGIC = b"{\\rtf"


class LegacyWordReader:
    name = "doc"
    extensions = (".doc", ".wps")

    def sniff(self, head: bytes) -> bool:
        return head.startswith(OLE_MAGIC)

    def read(self, data: bytes, options: ParseOptions) -> Extracted:
        if data.startswith(OLE_MAGIC):
            if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
                raise EncryptedFile("文档已加密,请先解除密码保护再导入")
            if "Workbook".encode("utf-16-le") in data[:65536] and "WordDocument".encode("utf-16-le") not in data:
                raise CorruptFile("这是旧版 Excel 工作簿(.xls),请在 Excel 或 WPS 中另存为 .xlsx 后再导入")
            suffix = ".doc"
        elif data.lstrip().startswith(RTF_MAGIC):
            suffix = ".rtf"
        else:
            raise CorruptFile("文件扩展名为 .doc 或 .wps,但内容不是 Word/WPS 文档,无法读取")
        docx = to_docx(data, suffix, options.convert_timeout)
        return DocxReader().read(docx, options)
