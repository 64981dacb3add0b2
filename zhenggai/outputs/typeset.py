"""The punctuation rule of 公文 typesetting, applied once to every text a document carries.

Source text (ledgers typed in Excel, pasted from web pages, edited by a unit) mixes half-width
punctuation into Chinese sentences ("规则》,于12月19日"). A document prints full-width punctuation
wherever it sits next to Chinese; punctuation inside runs of numbers and Latin ("1,000", "10:30",
"Excel(xlsx)", "https://…") is left as it is. `compose` passes every paragraph through `punctuate`,
so the .docx, the PDF, the web page and the plain text all carry the same corrected text.
"""

from __future__ import annotations

import re

# Chinese characters and the full-width punctuation that sits among them: a half-width mark next to
# one of these belongs to a Chinese sentence.
_HAN = (
    r"\u3000-\u303f"  # CJK symbols and punctuation (、。《》「」【】…)
    r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # ideographs
    r"\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"  # full-width punctuation (no digits, no letters)
    r"\u2014\u2018\u2019\u201c\u201d\u2026"  # — ‘ ’ “ ” …
)
_SEPARATORS = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
# A separator with the spaces around it, next to Chinese on either side.
_SEPARATOR = re.compile(rf"(?<=[{_HAN}])[ \t]*([,;:?!])[ \t]*|[ \t]*([,;:?!])[ \t]*(?=[{_HAN}])")
# A pair of round brackets with nothing bracketed inside (innermost pairs first).
_BRACKETS = re.compile(r"\(([^()]*)\)")
_QUOTES = re.compile(r'"([^"]*)"')
_IS_HAN = re.compile(rf"[{_HAN}]")


def _chinese(text: str) -> bool:
    return bool(_IS_HAN.search(text))


def _around(text: str, start: int, end: int) -> str:
    """The characters just outside text[start:end], spaces skipped."""
    before = text[:start].rstrip(" \t")[-1:]
    after = text[end:].lstrip(" \t")[:1]
    return before + after


def _pairs(pattern: re.Pattern[str], text: str, opening: str, closing: str) -> str:
    """Turn each half-width pair that encloses Chinese, or touches it, into the full-width pair."""
    while True:
        changed = False
        pieces: list[str] = []
        last = 0
        for match in pattern.finditer(text):
            if not (_chinese(match.group(1)) or _chinese(_around(text, match.start(), match.end()))):
                continue
            pieces += [text[last : match.start()], opening, match.group(1), closing]
            last = match.end()
            changed = True
        if not changed:
            return text
        text = "".join(pieces) + text[last:]
        if pattern is _QUOTES:
            return text


def punctuate(text: str) -> str:
    """`text` with full-width punctuation wherever it sits next to Chinese (commas, colons,
    semicolons, question and exclamation marks, round brackets, double quotes); numbers and Latin
    keep theirs. Pure and idempotent."""
    if not text or not _chinese(text):
        return text
    text = _pairs(_BRACKETS, text, "（", "）")
    text = _pairs(_QUOTES, text, "“", "”")
    return _SEPARATOR.sub(lambda m: _SEPARATORS[m.group(1) or m.group(2)], text)
