"""What an evidence file is, from its first bytes: the stored and served content type never comes
from the client's declaration, and a file whose content contradicts its extension is refused.

A small table of our own rather than python-magic: that needs the libmagic C library on every
server, knows thousands of types we never accept, and still has to be told how an extension and a
content family go together, which is all this table is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

OCTET_STREAM = "application/octet-stream"
HEAD_BYTES = 8192
"""How much of a file is read to tell its type."""

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Kind:
    """One extension: the content families it may hold and the type it is stored and served as."""

    families: tuple[str, ...]
    content_type: str
    label: str
    member: str | None = None
    """For zip-based formats: a part name (prefix) the archive must contain."""


KINDS: dict[str, Kind] = {
    "pdf": Kind(("pdf",), "application/pdf", "PDF 文件"),
    "docx": Kind(("zip",), DOCX, "Word 文档(.docx)", member="word/"),
    "xlsx": Kind(("zip",), XLSX, "Excel 工作簿(.xlsx)", member="xl/"),
    "ofd": Kind(("zip",), "application/ofd", "OFD 版式文件", member="ofd.xml"),
    "zip": Kind(("zip",), "application/zip", "压缩包(.zip)"),
    "doc": Kind(("ole2", "rtf"), "application/msword", "Word 文档(.doc)"),
    "xls": Kind(("ole2",), "application/vnd.ms-excel", "Excel 工作簿(.xls)"),
    "wps": Kind(("ole2",), "application/wps-office.wps", "WPS 文字文件"),
    "et": Kind(("ole2",), "application/wps-office.et", "WPS 表格文件"),
    "jpg": Kind(("jpeg",), "image/jpeg", "JPEG 图片"),
    "jpeg": Kind(("jpeg",), "image/jpeg", "JPEG 图片"),
    "png": Kind(("png",), "image/png", "PNG 图片"),
    "txt": Kind(("text",), "text/plain", "文本文件"),
}
"""Only these types are ever stored or served; anything else is application/octet-stream."""

_FAMILY_NAMES = {
    "pdf": "PDF 文件",
    "zip": "压缩包或 Office 文档",
    "ole2": "旧版 Office 文档",
    "rtf": "RTF 文档",
    "jpeg": "JPEG 图片",
    "png": "PNG 图片",
    "gif": "GIF 图片",
    "markup": "网页或 SVG 图形",
    "exe": "可执行程序",
    "binary": "二进制数据",
    "text": "文本",
}


class ContentMismatch(ValueError):
    """The content is not what the extension says; `message` is for the user, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def family_of(head: bytes) -> str:
    """The content family of a file from its first bytes."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        return "exe"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 with its byte-order mark
    if b"\x00" in head:
        return "binary"
    if _looks_like_markup(head):
        return "markup"
    return "text"


def _looks_like_markup(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()[:512]
    return start.startswith((b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<head", b"<body", b"<iframe"))


def content_type(extension: str, head: bytes, members: Iterable[str] = ()) -> str:
    """The type to store for a file named *.`extension` starting with `head` (for a zip: its `members`).

    Raises ContentMismatch when the content is not what the extension claims. An extension the table
    does not know (a site may allow more in settings) is stored as application/octet-stream.
    """
    extension = extension.lower().lstrip(".")
    family = family_of(head)
    kind = KINDS.get(extension)
    if kind is None:
        return OCTET_STREAM
    if family not in kind.families and not (extension == "txt" and family == "markup"):
        found = _FAMILY_NAMES.get(family, "其他格式")
        raise ContentMismatch(f"文件内容是{found},与扩展名“.{extension}”({kind.label})不符,已拒绝上传")
    if kind.member and not any(name.lower().startswith(kind.member) for name in members):
        raise ContentMismatch(f"文件是压缩包,但不是{kind.label},与扩展名“.{extension}”不符,已拒绝上传")
    return kind.content_type


def served_type(stored: str, head: bytes) -> str:
    """The type a download is sent with: the stored one only if it is ours and the content agrees."""
    for kind in KINDS.values():
        if kind.content_type == stored and family_of(head) in kind.families:
            return stored
    return OCTET_STREAM
