"""Word .docx: body paragraphs and table cells in document order, with automatic numbering restored.

The package is read with zipfile and lxml directly (no python-docx). It is opened through the archive
guard (zhenggai.ingest.archive), so a zip bomb is refused from the central directory before anything
is inflated, and only the parts we need are decompressed and parsed with the hardened XML parser.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace

from lxml import etree

from zhenggai.ingest.archive import ArchiveLimits, defaults, open_archive, parse_xml
from zhenggai.ingest.errors import CorruptFile, EncryptedFile, TooLarge, UnsupportedFormat
from zhenggai.ingest.options import ParseOptions
from zhenggai.ingest.readers.base import Extracted, Table
from zhenggai.ingest.readers.docx_numbering import Numbering
from zhenggai.ingest.readers.docx_tables import table_grid

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_PART_BYTES = 200 * 1024 * 1024
"""Uncompressed size above which an XML part is refused: parts are parsed whole, real documents stay far below."""

W_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_CORRUPT = "文件已损坏或不完整,无法按 Word 文档读取"


def docx_limits(options: ParseOptions) -> ArchiveLimits:
    """The archive limits of a parse, with XML parts capped at what we are willing to parse whole."""
    limits = options.archive or defaults()
    return replace(limits, max_xml_bytes=min(limits.max_xml_bytes, MAX_PART_BYTES))


class DocxReader:
    name = "docx"
    extensions = (".docx",)

    def sniff(self, head: bytes) -> bool:
        if head.startswith(ZIP_MAGIC):
            # member names are stored in clear in the local headers; xlsx/pptx have xl/ and ppt/
            return b"word/" in head
        return False  # an old binary .doc (OLE) is the legacy reader's: LibreOffice converts it

    def read(self, data: bytes, options: ParseOptions) -> Extracted:
        if data.startswith(OLE_MAGIC):
            if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
                raise EncryptedFile("文档已加密,请先解除密码保护再导入")
            raise UnsupportedFormat("这是旧版 Word 文档(.doc),请在 Word 或 WPS 中另存为 .docx 后再导入")
        if not data.startswith(ZIP_MAGIC):
            raise CorruptFile(_CORRUPT)
        with open_archive(data, docx_limits(options), corrupt=_CORRUPT) as package:
            main = _main_part(package)
            rels = _part_rels(package, main)
            document = _parse(package, main)
            numbering = _parse(package, rels["numbering"], optional=True) if "numbering" in rels else None
            styles = None
            if numbering is not None and "styles" in rels:
                # styles matter only for numbering that a paragraph style carries
                styles = _parse(package, rels["styles"], optional=True, slim=_paragraph_styles_only)
        w = "{%s}" % (W_STRICT if document.tag == f"{{{W_STRICT}}}document" else W_TRANSITIONAL)
        if document.tag != w + "document":
            raise CorruptFile(_CORRUPT)
        body = document.find(w + "body")
        extractor = _Extractor(w, Numbering(w, numbering, styles), options)
        paragraphs = extractor.run(body)
        tables = []
        if extractor.tables:
            # cell texts through an extractor of their own, so the body's numbering counters stay as they were
            cells = _Extractor(w, Numbering(w, numbering, styles), options)
            tables = [Table(table_grid(el, w, cells.cell_text, options), a, b) for el, a, b in extractor.tables]
        return Extracted(paragraphs=paragraphs, tables=tables)


# ---- the package ---------------------------------------------------------------------------------


def _read_member(package: zipfile.ZipFile, name: str) -> bytes:
    info = package.getinfo(name)  # KeyError when absent: the caller decides
    if info.flag_bits & 0x1:
        raise EncryptedFile("文档已加密,请先解除密码保护再导入")
    try:
        # the guard checked the declared size, and zipfile never returns more than an entry declares
        return package.read(info)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
        raise CorruptFile(_CORRUPT) from None


def _paragraph_styles_only(blob: bytes) -> bytes:
    """Word's styles part is often 300 KB of latent, table and character styles; numbering can only
    come from paragraph styles, so keep those (when the part uses the usual `w:` prefix)."""
    open_tag = blob.find(b"<w:styles")
    head_end = blob.find(b">", open_tag)
    if open_tag < 0 or head_end < 0 or blob[head_end - 1 : head_end] == b"/":
        return blob
    kept = [blob[: head_end + 1]]
    pos = blob.find(b"<w:style ", head_end)
    while pos >= 0:
        end = blob.find(b"</w:style>", pos)
        if end < 0:
            return blob
        end += len(b"</w:style>")
        chunk = blob[pos:end]
        if b'w:type="paragraph"' in chunk[: chunk.find(b">") + 1]:
            kept.append(chunk)
        pos = blob.find(b"<w:style ", end)
    kept.append(b"</w:styles>")
    return b"".join(kept)


def _parse(
    package: zipfile.ZipFile, name: str, optional: bool = False, slim: Callable[[bytes], bytes] | None = None
) -> etree._Element | None:
    try:
        blob = _read_member(package, name)
        if slim is not None:
            blob = slim(blob)
    except KeyError:
        if optional:
            return None
        raise CorruptFile(_CORRUPT) from None
    try:
        return parse_xml(blob)
    except etree.XMLSyntaxError:
        if optional:
            return None
        raise CorruptFile(_CORRUPT) from None


def _relationships(package: zipfile.ZipFile, rels_name: str, base: str) -> dict[str, str]:
    """Relationship type (last path segment, e.g. "numbering") → part name inside the zip."""
    found: dict[str, str] = {}
    try:
        root = _parse(package, rels_name, optional=True)
    except CorruptFile:
        return found
    if root is None:
        return found
    for rel in root.iter(REL + "Relationship"):
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        if not kind or not target or rel.get("TargetMode") == "External" or kind in found:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        found[kind] = path
    return found


def _main_part(package: zipfile.ZipFile) -> str:
    names = set(package.namelist())
    main = _relationships(package, "_rels/.rels", "").get("officeDocument")
    if main in names:
        return main
    if "word/document.xml" in names:
        return "word/document.xml"
    if "xl/workbook.xml" in names:
        raise UnsupportedFormat("这是 Excel 工作簿,不是 Word 文档(.docx)")
    raise UnsupportedFormat("文件是压缩包,但不是 Word 文档(.docx),无法读取")


def _part_rels(package: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = posixpath.split(part)
    return _relationships(package, posixpath.join(folder, "_rels", name + ".rels"), folder)


# ---- the text --------------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009]+")


class _Extractor:
    """Walks the body without recursion (a hostile file may nest tables thousands deep)."""

    def __init__(self, w: str, numbering: Numbering, options: ParseOptions) -> None:
        self.w = w
        self.numbering = numbering
        self.limit = options.max_paragraphs
        self.out: list[str] = []
        self.tables: list[tuple[etree._Element, int, int]] = []
        """Top-level tables (not inside a cell) with the paragraphs they span."""
        self.p = w + "p"
        self.tbl, self.tc = w + "tbl", w + "tc"
        self.containers = {
            w + n for n in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "ins", "moveTo", "txbxContent")
        }
        self.skip_in_paragraph = {
            w + n for n in ("pPr", "rPr", "del", "moveFrom", "instrText", "delText", "rt", "footnoteReference")
        }
        self.skip_in_paragraph.add(MC + "Fallback")
        self.skip_in_paragraph.add(w + "endnoteReference")

    def run(self, body: etree._Element | None) -> list[str]:
        if body is None:
            return self.out
        stack: list = list(reversed(body))
        while stack:
            el = stack.pop()
            if isinstance(el, _TableEnd):
                self.tables.append((el.table, el.start, len(self.out)))
                continue
            tag = el.tag
            if tag == self.p:
                stack.extend(reversed(self._paragraph(el)))
            elif tag in self.containers:
                if tag == self.tbl and not _inside_cell(el, self.tc):
                    stack.append(_TableEnd(el, len(self.out)))
                stack.extend(reversed(el))
            if len(self.out) > self.limit:
                raise TooLarge(f"文档段落过多(超过 {self.limit} 段),已拒绝读取")
        return self.out

    def cell_text(self, cell: etree._Element) -> str:
        """A table cell's paragraphs, one line each."""
        self.out = []
        self.run(cell)
        return "\n".join(self.out)

    def _paragraph(self, p: etree._Element) -> list[etree._Element]:
        """Emit the paragraph (split at manual line breaks); return text boxes found inside it."""
        w = self.w
        ppr = p.find(w + "pPr")
        style_id = num_id = None
        ilvl = None
        if ppr is not None:
            pstyle = ppr.find(w + "pStyle")
            if pstyle is not None:
                style_id = pstyle.get(w + "val")
            num_pr = ppr.find(w + "numPr")
            if num_pr is not None:
                num_el = num_pr.find(w + "numId")
                lvl_el = num_pr.find(w + "ilvl")
                num_id = None if num_el is None else num_el.get(w + "val")
                try:
                    ilvl = None if lvl_el is None else int(lvl_el.get(w + "val") or "0")
                except ValueError:
                    ilvl = 0
        label = self.numbering.label(style_id, num_id, ilvl)

        pieces: list[list[str]] = [[]]
        boxes: list[etree._Element] = []
        stack: list[etree._Element] = list(reversed(p))
        t_tag, tab, br, cr = w + "t", w + "tab", w + "br", w + "cr"
        hyphen, box, run, rpr = w + "noBreakHyphen", w + "txbxContent", w + "r", w + "rPr"
        choice = MC + "AlternateContent"
        while stack:
            el = stack.pop()
            tag = el.tag
            if tag == t_tag:
                if el.text:
                    pieces[-1].append(el.text)
            elif tag in self.skip_in_paragraph or not isinstance(tag, str):
                continue
            elif tag == tab:
                pieces[-1].append(" ")
            elif tag in (br, cr):
                pieces.append([])
            elif tag == hyphen:
                pieces[-1].append("-")
            elif tag == box:
                boxes.append(el)
            elif tag == choice:
                first = el.find(MC + "Choice")  # Choice and Fallback hold the same content twice
                if first is not None:
                    stack.extend(reversed(first))
            elif tag == run and _hidden(el.find(rpr), w):
                continue
            else:
                stack.extend(reversed(el))
        texts = [_SPACES.sub(" ", "".join(piece)).strip() for piece in pieces]
        texts = [t for t in texts if t]
        if texts and label:
            texts[0] = label + texts[0]
        self.out.extend(texts)
        return boxes


class _TableEnd:
    """Marks, on the walk's stack, where a top-level table ends."""

    __slots__ = ("start", "table")

    def __init__(self, table: etree._Element, start: int) -> None:
        self.table, self.start = table, start


def _inside_cell(el: etree._Element, tc: str) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag == tc:
            return True
        parent = parent.getparent()
    return False


def _hidden(rpr: etree._Element | None, w: str) -> bool:
    if rpr is None:
        return False
    vanish = rpr.find(w + "vanish")
    return vanish is not None and vanish.get(w + "val") not in ("0", "false", "off")
