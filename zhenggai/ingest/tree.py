"""Blocks → the findings tree: nest headings by rank, find which sections hold the findings, and turn
each leaf's rectification text into measures and a status.

Reports differ in depth (2 to 4 levels), in whether the findings have a heading of their own, and
in where their organisation and next-step sections sit; the rules below rely on what every report of
the genre shares: findings are the labelled problems that carry rectification text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zhenggai.ingest.ledgerdoc import Finding
from zhenggai.ingest.segment import RECTIFICATION_MARK, Block, cn_number


@dataclass(slots=True)
class Node:
    label: str | None
    title: str
    key: str
    rank: float
    style: str | None = None
    value: int | None = None
    body: list[Block] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    def depth(self) -> int:
        """Levels of headings in this subtree, this node included."""
        return 1 + max((c.depth() for c in self.children), default=0)


_CN_NUMERALS = frozenset("一二三四五六七八九十")
_ENUM_BEFORE = frozenset("。;!?:\n ")
_INLINE_MARK = re.compile(r"[。;]?\s*(?:整改(?:落实)?(?:情况|措施|进展|进度|成效|结果)|落实情况)\s*[::]")
_CONTAINER_TITLE = re.compile(r"整改.{0,6}情况|反馈问题|问题整改|整改落实|主要成效|具体问题|整改成效")
STATUS_WORDS = {
    "已完成整改": "完成整改",
    "完成整改": "完成整改",
    "已完成": "完成整改",
    "已整改": "完成整改",
    "已办结": "完成整改",
    "基本完成整改": "基本完成",
    "基本完成": "基本完成",
    "正在推进": "正在推进",
    "持续推进": "正在推进",
    "正在整改": "正在推进",
    "长期坚持": "长期坚持",
    "未完成": "未完成",
    "未完成整改": "未完成",
}
_STATUS_ALT = "|".join(sorted(STATUS_WORDS, key=len, reverse=True))
_STATUS_FIELD = re.compile(rf"(?:整改(?:状态|进度|进展|结果)|完成情况|目前状态|状态)\s*[::]\s*({_STATUS_ALT})")
_STATUS_TAG = re.compile(rf"[(【\[]\s*({_STATUS_ALT})\s*[)】\]]\s*[。.]?$")
_STATUS_LINE = re.compile(rf"^({_STATUS_ALT})[。.]?$")
_TAG_ENDS = (")", "】", "]", ")。", "】。", ").")
_LEADING_ENUM = re.compile(r"^[一二三四五六七八九十]{1,3}是[,::]?")


def nest(blocks: list[Block]) -> Node:
    """Headings nest under the nearest preceding heading of a smaller rank; body lines belong to the
    heading above them. A level whose labels were lost takes one rank for the whole document."""
    root = Node(None, "", "", 0)
    stack = [root]
    lost_rank: float | None = None
    for block in blocks:
        if not block.is_heading:
            stack[-1].body.append(block)
            continue
        if block.lost:
            if lost_rank is None:
                lost_rank = stack[-1].rank + 0.5
            rank = lost_rank
        else:
            rank = block.rank
        while len(stack) > 1 and stack[-1].rank >= rank:
            stack.pop()
        node = Node(block.label, block.text, block.key, rank, block.style, block.value)
        stack[-1].children.append(node)
        stack.append(node)
    return root


def is_rectified_leaf(node: Node) -> bool:
    """A problem that carries its rectification text: a "整改情况:" note, an 一是… enumeration, or a
    "针对…问题" heading followed by text."""
    if node.children:
        return False
    if ("整改" in node.key or "落实情况" in node.key) and _INLINE_MARK.search(node.key):
        return True
    if not node.body:
        return False
    first = node.body[0].key
    if RECTIFICATION_MARK.match(first) or first.startswith(("一是", "二是")):
        return True
    return node.key.startswith(("针对", "关于")) and node.key.rstrip("。").endswith("问题")


def evidence(node: Node) -> int:
    if not node.children:
        return int(is_rectified_leaf(node))
    return sum(evidence(child) for child in node.children)


def select_aspects(root: Node) -> list[Node]:
    """The top groupings of the findings among the report's sections.

    A single section holding problems two levels down is the findings' own heading (二、巡察反馈问题
    整改情况): its children are the aspects. Several such sections are the aspects themselves. Sections
    without labelled children (organisation, next steps, closing) are never findings.
    """
    tops = [n for n in root.children if n.children and evidence(n)]
    if not tops:
        leaves = [n for n in root.children if is_rectified_leaf(n)]
        return leaves
    if len(tops) == 1:
        only = tops[0]
        if (only.depth() >= 3 and not only.key.rstrip("。").endswith("方面")) or (
            only.depth() >= 3 and _CONTAINER_TITLE.search(only.key)
        ):
            return [c for c in only.children if c.children or is_rectified_leaf(c)]
    return tops


def to_finding(node: Node) -> Finding:
    if node.children:
        return Finding(node.label, _clean_title(node.title), [to_finding(c) for c in node.children])
    title, inline = _split_inline(node.title)
    body = ([inline] if inline else []) + [b.text for b in node.body]
    status = _status(node.title, body)
    return Finding(node.label, _clean_title(title), measures=split_measures(body), status=status)


def _split_inline(title: str) -> tuple[str, str]:
    """ "1.问题陈述。整改情况:一是…" → ("1.问题陈述。", "整改情况:一是…")."""
    match = _INLINE_MARK.search(title) if "整改" in title or "落实情况" in title else None
    if not match or match.start() == 0:
        return title, ""
    head = title[: match.start()] + (title[match.start()] if title[match.start()] in "。;" else "")
    return head, title[match.start() :].lstrip("。; ")


def _clean_title(title: str) -> str:
    if not title.endswith((")", "】", "]", "。", ".")):
        return title.strip()
    return _STATUS_TAG.sub("", title).strip()


def _status(title: str, body: list[str]) -> str | None:
    candidates = (title, body[0], body[-1]) if len(body) > 1 else (title, *body)
    for text in candidates:
        match = (
            (_STATUS_FIELD.search(text) if _has_field_cue(text) else None)
            or (_STATUS_TAG.search(text) if text.endswith(_TAG_ENDS) else None)
            or (_STATUS_LINE.match(text) if len(text) <= 7 else None)
        )
        if match:
            return STATUS_WORDS[match.group(1)]
    return None


def _has_field_cue(text: str) -> bool:
    return "状态" in text or "进度" in text or "进展" in text or "结果" in text or "完成情况" in text


def split_measures(paragraphs: list[str]) -> list[str]:
    """The rectification text as one string per measure: 一是…二是…三是… gives one each, in order;
    without such an enumeration each paragraph is one measure."""
    paragraphs = [p for p in (_strip_mark(p) for p in paragraphs) if p and (len(p) > 7 or not _STATUS_LINE.match(p))]
    if not paragraphs:
        return []
    text = "\n".join(paragraphs)
    cuts = _enumeration_cuts(text)
    if not cuts:
        return paragraphs
    ends = [*cuts[1:], len(text)]
    measures = [_strip_enum(" ".join(text[a:b].split("\n")).strip()) for a, b in zip(cuts, ends, strict=True)]
    intro = " ".join(text[: cuts[0]].split("\n")).strip()
    if intro and text.startswith("一是", cuts[0]):
        measures[0] = intro + measures[0]  # an introduction ("采取以下措施:") belongs to the first measure
    elif intro:
        measures.insert(0, intro)  # the first enumerator was left out ("一深化…二是…")
    return [m for m in measures if m]


def _enumeration_cuts(text: str) -> list[int]:
    """Positions of 一是/二是/三是… that follow each other in sequence (so 统一是 is not a cut).

    Scans for 是 and looks back, which is several times faster than a look-behind regex."""
    cuts: list[int] = []
    expected = 1
    pos = text.find("是")
    while pos != -1:
        start = pos
        while start > 0 and pos - start < 3 and text[start - 1] in _CN_NUMERALS:
            start -= 1
        if start < pos and (start == 0 or text[start - 1] in _ENUM_BEFORE) and len(text) > pos + 2:
            value = cn_number(text[start:pos])
            if value == expected or (not cuts and value == 2):
                cuts.append(start)
                expected = (value or 0) + 1
        pos = text.find("是", pos + 1)
    return cuts if len(cuts) >= 2 or (cuts and text.startswith("一是", cuts[0])) else []


def _strip_mark(text: str) -> str:
    if not text.startswith(("整改", "落实", "完成")):
        return text.strip()
    return RECTIFICATION_MARK.sub("", text, count=1).strip()


def _strip_enum(text: str) -> str:
    return _LEADING_ENUM.sub("", text).strip()


def build_findings(blocks: list[Block]) -> tuple[list[Finding], Node, list[Node]]:
    """The findings, the whole heading tree and the nodes chosen as aspects (to find what lies outside)."""
    root = nest(blocks)
    aspects = select_aspects(root)
    return [to_finding(n) for n in aspects], root, aspects
