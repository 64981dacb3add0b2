"""A specific problem's own parts: its statement, its rectification text split into measures, its status.

Every function takes aligned (text, key) pairs: patterns are matched on the key (half-width,
Simplified) and the text as written is cut at the same positions.
"""

from __future__ import annotations

import re

from zhenggai.ingest.segment import MARK_FIRST, RECTIFICATION_MARK, cn_number
from zhenggai.ingest.status import STATUS_TAG, TAG_ENDS, classify_status, status_of_line

Pair = tuple[str, str]

_CN_NUMERALS = frozenset("一二三四五六七八九十")
_ENUM_BEFORE = frozenset("。;!?:,\n ")

_INLINE_MARK = re.compile(r"(?:整改(?:落实)?(?:情况|措施|进展|进度|成效|结果)|落实情况)\s*:")


def find_inline_mark(key: str) -> tuple[int, int] | None:
    """Where a "整改情况:" note written on the statement's own line starts (with the 。 or ; and the
    spaces before it) and ends. The search looks for the note itself, which a regex finds quickly,
    and then steps back over what may precede it."""
    if "整改" not in key and "落实情况" not in key:
        return None
    match = _INLINE_MARK.search(key)
    if not match:
        return None
    start = match.start()
    while start > 0 and key[start - 1].isspace():
        start -= 1
    if start > 0 and key[start - 1] in "。;":
        start -= 1
    return start, match.end()


def split_statement(title: Pair) -> tuple[Pair, Pair | None, str | None]:
    """The statement without a status tag, rectification text written on the same line, and the tag's status.

    "1.问题陈述。整改情况:一是…" → ("问题陈述。", "整改情况:一是…"); "问题(已完成)" → ("问题", None, 完成整改).
    """
    text, key = title
    inline: Pair | None = None
    mark = find_inline_mark(key)
    if mark and mark[0] > 0:
        start, end = mark
        keep = start + (1 if key[start] in "。;" else 0)
        rest = end - len(key[start:end].lstrip("。; "))
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
    pairs: list[Pair] = []
    for text, key in body:
        if len(key) <= 30 and status_of_line(key) is not None:
            continue
        if key.startswith(MARK_FIRST):
            mark = RECTIFICATION_MARK.match(key)
            if mark:
                text, key = text[mark.end() :], key[mark.end() :]
        key = key.strip()
        if key:
            pairs.append((text.strip(), key))
    if not pairs:
        return []
    if len(pairs) == 1:
        text, key = pairs[0]
    else:
        text, key = "\n".join([p[0] for p in pairs]), "\n".join([p[1] for p in pairs])
    cuts = _enumeration_cuts(key) if "是" in key else []
    if not cuts:
        return [p[0] for p in pairs]
    measures = []
    for (a, enumerator_end), b in zip(cuts, [c[0] for c in cuts[1:]] + [len(key)], strict=True):
        part = text[a:b]
        if "\n" in part:
            part = part.replace("\n", "")
        if key[enumerator_end : enumerator_end + 1] in (",", ":"):
            enumerator_end += 1  # "一是:" and "一是," lose their punctuation too
        measures.append(part[enumerator_end - a :].strip())
    intro = text[: cuts[0][0]].replace("\n", "").strip()
    if intro and key.startswith("一是", cuts[0][0]):
        measures[0] = intro + measures[0]  # an introduction ("采取以下措施:") belongs to the first measure
    elif intro:
        measures.insert(0, intro)  # the first enumerator was left out ("一深化…二是…")
    return [m for m in measures if m]


def _enumeration_cuts(key: str) -> list[tuple[int, int]]:
    """Where each of 一是/二是/三是… starts and ends, when they follow each other in sequence (so 统一是
    is not a cut).

    Finds each 是 and looks back: str.find is many times faster than any regex over Chinese text."""
    # an enumeration opens with 一是 (or 二是 when the first enumerator was left out): start there
    opening = [at for at in (key.find("一是"), key.find("二是")) if at >= 0]
    if not opening:
        return []
    cuts: list[tuple[int, int]] = []
    expected = 1
    pos = min(opening) + 1
    while pos != -1:
        start = pos
        while start > 0 and pos - start < 3 and key[start - 1] in _CN_NUMERALS:
            start -= 1
        if start < pos and (start == 0 or key[start - 1] in _ENUM_BEFORE) and len(key) > pos + 2:
            value = cn_number(key[start:pos])
            if value == expected or (not cuts and value == 2):
                cuts.append((start, pos + 1))
                expected = (value or 0) + 1
        pos = key.find("是", pos + 1)
    return cuts if len(cuts) >= 2 or (cuts and key.startswith("一是", cuts[0][0])) else []
