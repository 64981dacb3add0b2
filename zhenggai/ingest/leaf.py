"""A specific problem's own parts: its statement, its rectification text split into measures, its status.

Every function takes aligned (text, key) pairs: patterns are matched on the key (half-width,
Simplified) and the text as written is cut at the same positions.
"""

from __future__ import annotations

import re

from zhenggai.ingest.segment import RECTIFICATION_MARK, cn_number
from zhenggai.ingest.status import STATUS_TAG, TAG_ENDS, classify_status, status_of_line

Pair = tuple[str, str]

_CN_NUMERALS = frozenset("一二三四五六七八九十")
_ENUM_BEFORE = frozenset("。;!?:,\n ")
INLINE_MARK = re.compile(r"[。;]?\s*(?:整改(?:落实)?(?:情况|措施|进展|进度|成效|结果)|落实情况)\s*:")
_LEADING_ENUM = re.compile(r"^[一二三四五六七八九十]{1,3}是[,:]?")


def split_statement(title: Pair) -> tuple[Pair, Pair | None, str | None]:
    """The statement without a status tag, rectification text written on the same line, and the tag's status.

    "1.问题陈述。整改情况:一是…" → ("问题陈述。", "整改情况:一是…"); "问题(已完成)" → ("问题", None, 完成整改).
    """
    text, key = title
    inline: Pair | None = None
    if "整改" in key or "落实情况" in key:
        match = INLINE_MARK.search(key)
        if match and match.start() > 0:
            keep = match.start() + (1 if key[match.start()] in "。;" else 0)
            rest = match.end() - len(key[match.start() : match.end()].lstrip("。; "))
            inline = (text[rest:], key[rest:])
            text, key = text[:keep], key[:keep]
    status = None
    if key.endswith(TAG_ENDS):
        tag = STATUS_TAG.search(key)
        if tag:
            status = classify_status(tag.group(1))
            if status:
                text, key = text[: tag.start()], key[: tag.start()]
    return (text.strip(), key.strip()), inline, status


def body_status(body: list[Pair]) -> str | None:
    """A status stated on its own line among the rectification text (first or last lines)."""
    for _, key in (body[-1], body[0]) if body else ():
        status = status_of_line(key)
        if status:
            return status
    return None


def split_measures(body: list[Pair]) -> list[str]:
    """The rectification text as one string per measure: 一是…二是…三是… gives one each, in order;
    without such an enumeration each paragraph is one measure. Status lines are not measures."""
    pairs = [_strip_mark(p) for p in body if len(p[1]) > 30 or status_of_line(p[1]) is None]
    pairs = [p for p in pairs if p[1]]
    if not pairs:
        return []
    if len(pairs) == 1:
        text, key = pairs[0]
    else:
        text, key = "\n".join(p[0] for p in pairs), "\n".join(p[1] for p in pairs)
    cuts = _enumeration_cuts(key) if "是" in key else []
    if not cuts:
        return [p[0] for p in pairs]
    ends = [*cuts[1:], len(key)]
    measures = [_strip_enum(_one_line(text[a:b]), _one_line(key[a:b])) for a, b in zip(cuts, ends, strict=True)]
    intro = _one_line(text[: cuts[0]])
    if intro and key.startswith("一是", cuts[0]):
        measures[0] = intro + measures[0]  # an introduction ("采取以下措施:") belongs to the first measure
    elif intro:
        measures.insert(0, intro)  # the first enumerator was left out ("一深化…二是…")
    return [m for m in measures if m]


def _one_line(text: str) -> str:
    return text.replace("\n", "").strip() if "\n" in text else text.strip()


def _enumeration_cuts(key: str) -> list[int]:
    """Positions of 一是/二是/三是… that follow each other in sequence (so 统一是 is not a cut).

    Scans for 是 and looks back, which is several times faster than a look-behind regex."""
    cuts: list[int] = []
    expected = 1
    pos = key.find("是")
    while pos != -1:
        start = pos
        while start > 0 and pos - start < 3 and key[start - 1] in _CN_NUMERALS:
            start -= 1
        if start < pos and (start == 0 or key[start - 1] in _ENUM_BEFORE) and len(key) > pos + 2:
            value = cn_number(key[start:pos])
            if value == expected or (not cuts and value == 2):
                cuts.append(start)
                expected = (value or 0) + 1
        pos = key.find("是", pos + 1)
    return cuts if len(cuts) >= 2 or (cuts and key.startswith("一是", cuts[0])) else []


def _strip_mark(pair: Pair) -> Pair:
    text, key = pair
    if key.startswith(("整改", "落实", "完成")):
        match = RECTIFICATION_MARK.match(key)
        if match:
            return text[match.end() :].strip(), key[match.end() :].strip()
    return text.strip(), key.strip()


def _strip_enum(text: str, key: str) -> str:
    match = _LEADING_ENUM.match(key) if key[:1] in _CN_NUMERALS else None
    return text[match.end() :].strip() if match else text
