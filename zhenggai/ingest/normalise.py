"""Normalise extracted paragraphs: widths, Traditional characters, web furniture, wrapped lines.

The output is a list of `Line`s: `text` is what the report says, kept as written; `key` is the same
line, position by position, in half-width Simplified form: every later step matches its patterns
against the key and cuts the text at the same positions.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import repeat
from typing import NamedTuple
from unicodedata import east_asian_width

from zhenggai.ingest.cues import looks_like_problem

# Full-width ASCII variants → half-width; the ideographic space → space (for the key only).
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20})
# Invisible characters are removed from the text itself, so that text and key align position by position.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u2028\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")

# Characters common in reports that exist only in Traditional script (and their Simplified forms):
# a cheap test before OpenCC. Characters both scripts share (部, 查, 律, 督) must not be listed.
_TRADITIONAL_MARKERS = frozenset(
    "們會問題關於黨組織實為這個時發現設說對與應經進過還區縣導領嚴務響濟規劃據屬權積極據記錄幹據處議論檢"
    "機構標準確認歲點鐘紀監學習貫徹導報週辦並從後見責幫條現續舉總專項優"
)
_SIMPLIFIED_TWINS = frozenset(
    "们会问题关于党组织实为这个时发现设说对与应经进过还区县导领严务响济规划据属权积极记录干处议论检"
)

_TRADITIONAL_RE = re.compile("[" + "".join(sorted(_TRADITIONAL_MARKERS)) + "]")
_SIMPLIFIED_RE = re.compile("[" + "".join(sorted(_SIMPLIFIED_TWINS)) + "]")
_WEB_FURNITURE = re.compile(
    r"^(来源|来\s*源|编辑|责任编辑|责编|审核|校对|作者|发布时间|发布日期|点击数|浏览次数|阅读次数|字号|打印本页|关闭窗口|"
    r"本文链接|原文链接|分享到|【打印】|【关闭】|扫一扫|上一篇|下一篇|相关链接|相关文章)\s*[::]?"
)
_PAGE_FOOTER = re.compile(r"^[—\-–―－_\s]*\d{1,4}[—\-–―－_\s]*$|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$")
_ENUM_START = re.compile(
    r"^([一二三四五六七八九十]{1,3}是|整改(情况|措施|进展|成效|结果)|[((]?[一二三四五六七八九十\d]{1,3}[)).、．])"
)


# A labelled heading that ends like one (…问题, …方面) is complete even when it fills the line.
_HEADING_END = re.compile(r"^\s*[(（]?[一二三四五六七八九十\d]{1,3}[)）.、．].*(问题|方面|问题”|情况)$")


_CONTINUATION = frozenset(",.;:!?)、。”’》」』")
_PUNCTUATED = re.compile(r"[,.;:!?，。；：！？、]")


class Line(NamedTuple):
    """One line as written (`text`) and its folded form (`key`), aligned position by position."""

    text: str
    key: str


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # type: ignore[import-not-found, import-untyped, unused-ignore]

    return opencc.OpenCC("t2s")


def is_traditional(text: str) -> bool:
    """Many Traditional-only characters and few of their Simplified twins (in the first pages)."""
    text = text[:4000]
    if not _TRADITIONAL_RE.search(text):
        return False  # the usual case, settled by one scan
    traditional = len(set(_TRADITIONAL_RE.findall(text)))
    return traditional >= 5 and traditional > len(set(_SIMPLIFIED_RE.findall(text)))


_FOLDABLE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_WIDTH)) + "]")


_HALF = {chr(cp): chr(half) for cp, half in _WIDTH.items()}
_SPACES = tuple(chr(cp) for cp in _WIDTH if cp < 0xFF00)


def fold_width(text: str) -> str:
    """Full-width ASCII variants → half-width.

    Scanning Chinese text costs far more than replacing in it, so the text is scanned once, for the
    distinct full-width characters it holds (a report uses a dozen), and each is replaced in turn;
    a text without any (the high byte 0xFF never occurs in its UTF-16 form) is not scanned at all."""
    if text.isascii():
        return text
    if b"\xff" not in text.encode("utf-16-le", "surrogatepass")[1::2] and not any(sp in text for sp in _SPACES):
        return text
    for char in set(_FOLDABLE.findall(text)):
        text = text.replace(char, _HALF[char])
    return text


def normalise(paragraphs: list[str], *, wrapped: bool = False) -> list[Line]:
    """Re-join wrapped lines, squeeze blanks, drop page and web furniture; the key folds widths and
    Traditional characters so that every later pattern is written once, in half-width Simplified."""
    if not wrapped and looks_wrapped(paragraphs):
        wrapped = True
    raw = "\n".join(unwrap(paragraphs) if wrapped else paragraphs)
    if any(ch in raw for ch in _INVISIBLE_CHARS):
        raw = _INVISIBLE.sub("", raw)
    texts: list[str] = []
    keys: list[str] = []
    for text, key in zip(raw.split("\n"), fold_width(raw).split("\n"), strict=True):
        if key and (key[0].isspace() or key[-1].isspace() or "  " in key or "\t" in key or "\r" in key):
            text, key = " ".join(text.split()), " ".join(key.split())
        if key and not (len(key) < 16 and _PAGE_FOOTER.match(key)):
            texts.append(text)
            keys.append(key)
    end = _end_of_text(keys)
    if end < len(keys):
        texts, keys = texts[:end], keys[:end]
    joined = "\n".join(keys)
    if is_traditional(joined):
        simplified = _t2s().convert(joined).split("\n")
        if len(simplified) == len(keys) and all(len(a) == len(b) for a, b in zip(simplified, keys, strict=True)):
            keys = simplified
    return list(map(_new_tuple, repeat(Line, len(keys)), zip(texts, keys, strict=True)))


_new_tuple = tuple.__new__  # builds the NamedTuple without a Python-level __new__ call per line


def _end_of_text(keys: list[str]) -> int:
    """Web copies end with 来源/编辑/本文链接 lines after the signature: where the report itself ends."""
    end = len(keys)
    while end and (_WEB_FURNITURE.match(keys[end - 1]) or keys[end - 1].startswith(("http://", "https://"))):
        end -= 1
    return end


def display_width(text: str) -> float:
    """Width in ems as printed: CJK characters and full-width forms 1, the rest half."""
    return sum(1.0 if east_asian_width(ch) in "WF" else 0.5 for ch in text)


def looks_wrapped(lines: list[str]) -> bool:
    """Plain text copied from a PDF or a fixed-width page: many lines of one full width that end
    mid-sentence. Paragraph-per-line text has lengths all over the place."""
    stripped = [line for line in map(str.strip, lines) if line]
    if len(stripped) < 10:
        return False
    # cheap first look by length: paragraph-per-line text has no crowd of equally long lines
    lengths = Counter([length // 4 for length in map(len, stripped)])
    if max(lengths.values()) < 0.25 * len(stripped):
        return False
    widths = [round(display_width(line)) for line in stripped]
    counts: dict[int, int] = {}
    for width in widths:
        counts[width] = counts.get(width, 0) + 1
    full = max(counts, key=lambda w: (counts[w] + counts.get(w - 1, 0), w))
    at_full = [line.strip() for line in lines if line.strip() and full - 1 <= display_width(line.strip()) <= full + 0.5]
    open_ended = sum(1 for line in at_full if not line.endswith(("。", ";", "；", ":", "：", "!", "？", "”")))
    return full >= 12 and len(at_full) >= 0.35 * len(widths) and open_ended >= 0.6 * len(at_full)


def unwrap(lines: list[str]) -> list[str]:
    """Re-join lines broken inside a paragraph (PDF, fixed-width text).

    A line that fills the text width continues on the next line, unless that line is indented (where
    the document indents its paragraphs), starts a numbered block, an enumeration or a rectification
    note, the line before closes a heading, or it is a short unpunctuated line (a signature, a date)
    after a sentence's end, or a problem statement after a sentence's end. A line that starts with
    closing punctuation always continues."""
    lines = [line.rstrip() for line in lines if line.strip()]
    if len(lines) < 2:
        return [line.strip() for line in lines]
    widths = [display_width(line) for line in lines]
    full = sorted(widths)[int(len(widths) * 0.9)] - 2.5
    indented = [line[:1].isspace() for line in lines]
    indents_paragraphs = sum(indented) >= 0.1 * len(lines)
    out: list[str] = []
    prev_full = False
    for line, width, indent in zip(lines, widths, indented, strict=True):
        text = line.strip()
        key = fold_width(text)
        joins = bool(out) and (
            key[:1] in _CONTINUATION
            or (
                prev_full
                and not (indent and indents_paragraphs)
                and not _ENUM_START.match(key)
                and not _HEADING_END.search(fold_width(out[-1]))
                and not (out[-1].endswith("。") and width < full * 0.6 and not _PUNCTUATED.search(text))
                and not (out[-1].endswith("。") and looks_like_problem(key))
            )
        )
        if joins:
            out[-1] += text
        else:
            out.append(text)
        prev_full = width >= full
    return out
