"""Normalise extracted paragraphs: widths, Traditional characters, web furniture, wrapped lines.

The output is a list of `Line`s: `text` is what the report says, kept as written; `key` is the same
line, position by position, in half-width Simplified form: every later step matches its patterns
against the key and cuts the text at the same positions.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple
from unicodedata import east_asian_width

# Full-width ASCII variants → half-width; the ideographic space → space (for the key only).
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20})
# Invisible characters are removed from the text itself, so that text and key align position by position.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u2028\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")

# Characters common in reports that exist only in Traditional script: a cheap test before OpenCC.
_TRADITIONAL_MARKERS = frozenset(
    "們會問題關於黨組織實為這個時發現設說對與應經進過還區縣導領嚴務響濟規劃據屬權積極據記錄幹部據處議論檢查"
    "機構標準確認歲點鐘紀律監督學習貫徹導報週辦並從後見責幫條現續舉總專項優"
)
_SIMPLIFIED_TWINS = frozenset(
    "们会问题关于党组织实为这个时发现设说对与应经进过还区县导领严务响济规划据属权积极记录干部处议论检查"
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


class Line(NamedTuple):
    """One line as written (`text`) and its folded form (`key`), aligned position by position."""

    text: str
    key: str


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def is_traditional(text: str) -> bool:
    """Many Traditional-only characters and few of their Simplified twins (in the first pages)."""
    text = text[:4000]
    traditional = len(set(_TRADITIONAL_RE.findall(text)))
    return traditional >= 5 and traditional > len(set(_SIMPLIFIED_RE.findall(text)))


_FOLDABLE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_WIDTH)) + "]")


def _fold_char(match: re.Match[str]) -> str:
    return chr(_WIDTH[ord(match.group())])


def fold_width(text: str) -> str:
    """Full-width ASCII variants → half-width (a regex pass: far cheaper than str.translate on CJK text)."""
    return _FOLDABLE.sub(_fold_char, text)


def normalise(paragraphs: list[str], *, wrapped: bool = False) -> list[Line]:
    """Re-join wrapped lines, squeeze blanks, drop page and web furniture; the key folds widths and
    Traditional characters so that every later pattern is written once, in half-width Simplified."""
    raw = "\n".join(unwrap(paragraphs) if wrapped else paragraphs)
    if any(ch in raw for ch in _INVISIBLE_CHARS):
        raw = _INVISIBLE.sub("", raw)
    texts: list[str] = []
    keys: list[str] = []
    for text, key in zip(raw.split("\n"), fold_width(raw).split("\n"), strict=True):
        if _needs_squeeze(key):
            text, key = " ".join(text.split()), " ".join(key.split())
        if key and not (len(key) < 16 and _PAGE_FOOTER.match(key)):
            texts.append(text)
            keys.append(key)
    end = _end_of_text(keys)
    texts, keys = texts[:end], keys[:end]
    joined = "\n".join(keys)
    if is_traditional(joined):
        simplified = _t2s().convert(joined).split("\n")
        if len(simplified) == len(keys) and all(len(a) == len(b) for a, b in zip(simplified, keys, strict=True)):
            keys = simplified
    return [Line(t, k) for t, k in zip(texts, keys, strict=True)]


def _needs_squeeze(raw: str) -> bool:
    return bool(raw) and (raw[0].isspace() or raw[-1].isspace() or "  " in raw or "\t" in raw or "\r" in raw)


def _end_of_text(keys: list[str]) -> int:
    """Web copies end with 来源/编辑/本文链接 lines after the signature: where the report itself ends."""
    end = len(keys)
    while end and (_WEB_FURNITURE.match(keys[end - 1]) or keys[end - 1].startswith(("http://", "https://"))):
        end -= 1
    return end


def display_width(text: str) -> float:
    """Width in ems as printed: CJK characters and full-width punctuation 1, the rest half."""
    return sum(1.0 if east_asian_width(ch) in "WF" else 0.5 for ch in text)


def unwrap(lines: list[str]) -> list[str]:
    """Re-join lines broken inside a paragraph (PDF): a line that fills the text width continues on
    the next line unless that line starts a numbered block, an enumeration or a rectification note,
    or the line before closes a heading."""
    lines = [line.strip() for line in lines if line.strip()]
    if len(lines) < 2:
        return lines
    widths = [display_width(line) for line in lines]
    full = sorted(widths)[int(len(widths) * 0.9)] - 2.5
    out: list[str] = []
    prev_full = False
    for line, width in zip(lines, widths, strict=True):
        if (
            out
            and prev_full
            and not _ENUM_START.match(fold_width(line))
            and not _HEADING_END.search(fold_width(out[-1]))
        ):
            out[-1] += line
        else:
            out.append(line)
        prev_full = width >= full
    return out
