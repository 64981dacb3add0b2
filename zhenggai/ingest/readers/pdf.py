"""PDF through pdfium: the text in content order, page furniture (numbers, running heads) removed.

Only the reader sees pages and positions, so it removes what belongs to the page rather than the
text: page-number lines ("— 3 —", "第3页", "3/18", a bare number at the top or bottom) and running
headers and footers that repeat at the edge of most pages.

Lines come broken mid-sentence. Where the layout is that of an official document (first lines of
paragraphs indented, the others flush with the left margin), the reader re-joins them by position
and returns paragraphs; otherwise it returns the physical lines with `wrapped=True` for the next
steps to re-join by their text.
"""

from __future__ import annotations

import re
import statistics
import threading
from collections import Counter
from itertools import pairwise
from typing import TypeVar
from unicodedata import east_asian_width

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from zhenggai.ingest.errors import CorruptFile, EncryptedFile, NoTextLayer, TooLarge
from zhenggai.ingest.options import ParseOptions
from zhenggai.ingest.readers.base import Extracted

S = TypeVar("S", bound=str)

_LOCK = threading.Lock()
"""pdfium is not thread-safe: one document at a time per process."""

EDGE_LINES = 2
"""Lines at each end of a page that may be page furniture."""
MIN_PAGE_CHARS = 5
"""A page with fewer letters, digits or CJK characters than this has no usable text layer."""
MAX_HEADER_CHARS = 40
INDENT_MIN, INDENT_MAX = 1.0, 3.5
"""A paragraph's first line is indented by about two characters (in ems of the body text)."""

_CORRUPT = "PDF 文件已损坏或不完整,无法读取"

_DASHES = "-‐‑‒–—―−﹣－~～·•"
_PAGE_NUMBER = re.compile(
    rf"""^(?:
        [{_DASHES}]{{1,3}}\s*(?P<a>\d{{1,4}})\s*[{_DASHES}]{{1,3}}             # — 3 —, - 3 -, ―3―
      | 第\s*(?P<b>\d{{1,4}})\s*页(?:\s*[,，/]?\s*共\s*\d{{1,4}}\s*页)?       # 第3页, 第3页 共18页
      | 共\s*\d{{1,4}}\s*页\s*[,，]?\s*第\s*(?P<c>\d{{1,4}})\s*页              # 共18页 第3页
      | (?P<d>\d{{1,4}})\s*/\s*\d{{1,4}}                                      # 3/18
      | (?:page|p\.)\s*(?P<e>\d{{1,4}})(?:\s*(?:of|/)\s*\d{{1,4}})?           # Page 3 of 18
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"^\d{1,4}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\u00ad]")
_LINE = re.compile(r"[^\r\n]+")
_MEANINGFUL = re.compile(r"[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]")
_DIGITS = re.compile(r"\d+")
_WORDS = re.compile(r"[A-Za-z\u3400-\u9fff]")
_SPACES = re.compile(r"\s+")
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_GAP = re.compile(rf"(?<=[{_CJK}]) (?=[0-9A-Za-z])|(?<=[0-9A-Za-z]) (?=[{_CJK}])")
_SENTENCE_END = re.compile(r"[。！？!?；;：:…”）)]$")


class PdfReader:
    name = "pdf"
    extensions = (".pdf",)

    def sniff(self, head: bytes) -> bool:
        return b"%PDF-" in head[:1024]

    def read(self, data: bytes, options: ParseOptions) -> Extracted:
        if b"%%EOF" not in data[-4096:]:
            raise CorruptFile("PDF 文件不完整(可能下载或上传中断),请重新获取完整文件后再导入")
        with _LOCK:
            pages = _page_lines(data, options)
        total = len(pages)
        textless = [i + 1 for i, lines in enumerate(pages) if _meaningful(lines) < MIN_PAGE_CHARS]
        if total == 0 or len(textless) * 2 > total:
            raise NoTextLayer("PDF 没有文字层(可能是扫描件),请先进行文字识别(OCR)后再导入")
        pages = remove_furniture(pages)
        joined = join_by_layout(pages)
        paragraphs = joined if joined is not None else [str(line) for lines in pages for line in lines]
        if len(paragraphs) > options.max_paragraphs:
            raise TooLarge(f"文档行数过多(超过 {options.max_paragraphs} 行),已拒绝读取")
        notes = []
        if textless:
            notes.append(f"第{_ranges(textless)}页没有文字层(可能是扫描页),这些页的内容未能读取")
        return Extracted(paragraphs=paragraphs, wrapped=joined is None, notes=notes)


class Line(str):
    """A physical line, where it starts and ends on the page (x in points; None if unknown) and its
    `compact` text: without the spaces pdfium invents between Chinese and Latin text ("2023 年")."""

    x0: float | None = None
    x1: float | None = None
    compact: str = ""

    @classmethod
    def at(cls, text: str, x0: float | None = None, x1: float | None = None, compact: str | None = None) -> Line:
        line = cls(text)
        line.x0, line.x1 = x0, x1
        line.compact = text if compact is None else compact
        return line


def _page_lines(data: bytes, options: ParseOptions) -> list[list[Line]]:
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise EncryptedFile("PDF 已加密,请先解除密码保护再导入") from None
        raise CorruptFile(_CORRUPT) from None
    try:
        count = len(doc)
        if count > options.max_pages:
            raise TooLarge(f"PDF 页数过多({count} 页),上限为 {options.max_pages} 页")
        pages: list[list[Line]] = []
        for index in range(count):
            try:
                page = doc[index]
            except pdfium.PdfiumError:
                raise CorruptFile(f"PDF 第{index + 1}页已损坏,无法读取") from None
            try:
                textpage = page.get_textpage()
                try:
                    pages.append(_lines(textpage))
                finally:
                    textpage.close()
            except pdfium.PdfiumError:
                raise CorruptFile(f"PDF 第{index + 1}页已损坏,无法读取") from None
            finally:
                page.close()
        return pages
    finally:
        doc.close()


def _lines(textpage: pdfium.PdfTextPage) -> list[Line]:
    """The page's lines with the x of their first and last character (two look-ups a line, no char loop)."""
    text = textpage.get_text_range()
    # pdfium counts one character per code point, as Python does; if not, positions are unknown
    located = textpage.count_chars() == len(text)
    lines: list[Line] = []
    for match in _LINE.finditer(text):
        raw = match.group()
        clean = _CONTROL.sub("", raw).strip()
        if not clean:
            continue
        if not located:
            lines.append(Line.at(clean))
            continue
        start = match.start()
        first = start + len(raw) - len(raw.lstrip())
        last = start + len(raw.rstrip()) - 1
        invented = [
            gap.start()
            for gap in _GAP.finditer(raw)
            if pdfium_c.FPDFText_IsGenerated(textpage.raw, start + gap.start()) == 1
        ]
        compact = clean
        if invented:
            kept = "".join(ch for i, ch in enumerate(raw) if i not in invented)
            compact = _CONTROL.sub("", kept).strip()
        if any(mark in raw for mark in _FALLBACK_GLYPHS):
            reordered = _in_visual_order(textpage, raw, start)
            if reordered is not None:
                clean = compact = reordered
        lines.append(Line.at(clean, textpage.get_charbox(first)[0], textpage.get_charbox(last)[2], compact))
    return lines


# Glyphs that writers often set in a fallback font; pdfium then returns them out of place
# ("针对 经费报销 “ ,…问题 ”") because they sit in separate text runs.
_FALLBACK_GLYPHS = "“”‘’"


def _in_visual_order(textpage: pdfium.PdfTextPage, raw: str, start: int) -> str | None:
    """The line's characters sorted left to right, without the spaces pdfium invents; None when the
    stream order already is the visual order (the common case: nothing changes)."""
    chars: list[tuple[float, int, str]] = []
    for i, ch in enumerate(raw):
        if ch in "\r\n" or pdfium_c.FPDFText_IsGenerated(textpage.raw, start + i) == 1:
            continue
        chars.append((textpage.get_charbox(start + i)[0], i, ch))
    if all(a[0] <= b[0] + 0.5 for a, b in pairwise(chars)):
        return None
    return _CONTROL.sub("", "".join(ch for _, _, ch in sorted(chars))).strip()


def remove_furniture(pages: list[list[S]]) -> list[list[S]]:
    """Drop page numbers and running headers/footers; `pages` holds each page's lines in order.

    Furniture is peeled from the outside in: up to EDGE_LINES rounds at the top and at the bottom of
    every page, each looking only at the outermost line that is left.
    """
    total = len(pages)
    kept = [list(lines) for lines in pages]
    for side in (0, -1):
        for _ in range(EDGE_LINES):
            outer = [(p, lines[side]) for p, lines in enumerate(kept) if lines]
            drop = _furniture(outer, total)
            if not drop:
                break
            for p in drop:
                kept[p].pop(side)
    return kept


def _furniture(outer: list[tuple[int, str]], total: int) -> set[int]:
    """Pages whose outermost line is a page number or a running header/footer."""
    drop = {p for p, line in outer if _PAGE_NUMBER.match(line)}
    # a bare number only when it counts the pages (the same offset from the page index on most pages)
    offsets = Counter(int(line) - (p + 1) for p, line in outer if p not in drop and _BARE_NUMBER.match(line))
    if offsets:
        offset, support = offsets.most_common(1)[0]
        if support >= min(total, 2) and (total > 1 or offset in (-1, 0)):
            drop.update(p for p, line in outer if _BARE_NUMBER.match(line) and int(line) - (p + 1) == offset)
    # running heads: the same short line (digits aside) on most pages
    if total >= 2:
        keys = {
            p: _SPACES.sub("", _DIGITS.sub("#", line))
            for p, line in outer
            if len(line) <= MAX_HEADER_CHARS and _WORDS.search(line)  # bare numbers were judged above
        }
        counts = Counter(keys.values())
        needed = max(2, (total + 1) // 2)
        drop.update(p for p, key in keys.items() if counts[key] >= needed and p not in drop)
    return drop


def join_by_layout(pages: list[list[Line]]) -> list[str] | None:
    """Paragraphs rebuilt from positions, or None when the layout is not that of an official document.

    A line continues the previous one when it starts at the left margin; a paragraph starts with an
    indented line (about two characters) or after a line that stops short of the right margin and
    ends a sentence. Centred and right-aligned lines (titles, signatures, dates) stand alone.
    """
    boxes = [(line, line.x0, line.x1) for page in pages for line in page]
    placed = [(line, x0, x1) for line, x0, x1 in boxes if x0 is not None and x1 is not None]
    if len(placed) < 5 or len(placed) < len(boxes):
        return None
    widths = [(x1 - x0) / text_width(line) for line, x0, x1 in placed if text_width(line) >= 10 and x1 > x0]
    if len(widths) < 3:
        return None
    em = statistics.median(widths)
    lefts = sorted(x0 for _, x0, _ in placed)
    rights = sorted(x1 for _, _, x1 in placed)
    left = lefts[len(lefts) // 10]
    right = rights[(len(rights) * 9) // 10]
    flush = sum(1 for x in lefts if abs(x - left) < 0.75 * em)
    indented = sum(1 for x in lefts if INDENT_MIN * em <= x - left <= INDENT_MAX * em)
    if flush < len(placed) * 0.3 or indented < max(2, len(placed) * 0.03) or right - left < 10 * em:
        return None

    def continues(before: tuple[Line, float, float], after: tuple[Line, float, float]) -> bool:
        if abs(after[1] - left) >= 0.75 * em:
            return False  # indented, centred or right-aligned: a paragraph of its own
        if before[1] - left > INDENT_MAX * em:
            return False  # after a centred or right-aligned line (a title, a signature)
        if before[2] >= right - 2.5 * em:
            return True  # the line before runs to the right margin
        return not _SENTENCE_END.search(before[0])

    out: list[str] = []
    for i, box in enumerate(placed):
        line = box[0]
        if i and continues(placed[i - 1], box):
            glue = " " if out[-1][-1:].isascii() and out[-1][-1:].isalpha() and line.compact[:1].isascii() else ""
            out[-1] += glue + line.compact
        else:
            out.append(line.compact)
    return out


def text_width(text: str) -> float:
    """Width in ems: East Asian wide characters 1, the rest half."""
    return sum(1.0 if east_asian_width(ch) in "WF" else 0.5 for ch in text)


def _meaningful(lines: list[str]) -> int:
    return sum(len(_MEANINGFUL.findall(line)) for line in lines)


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] → "1–3、7"."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return "、".join(parts)
