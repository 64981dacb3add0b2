"""Blocks → the findings tree: nest headings by rank, find which sections hold the findings, and turn
each leaf's rectification text into measures and a status.

Reports differ in depth (2 to 4 levels), in whether the findings have a heading of their own, and
in where their organisation and next-step sections sit; the rules below rely on what every report of
the genre shares: findings are the labelled problems that carry rectification text.
"""

from __future__ import annotations

import re

from zhenggai.ingest.leaf import body_status, find_inline_mark, split_measures, split_statement
from zhenggai.ingest.ledgerdoc import Finding
from zhenggai.ingest.segment import MARK_FIRST, RECTIFICATION_MARK, Block


class Node:
    """A heading with the lines under it and the headings nested in it (a plain class: see Block)."""

    __slots__ = ("body", "children", "key", "label", "rank", "style", "title", "value")

    def __init__(
        self, label: str | None, title: str, key: str, rank: float, style: str | None = None, value: int | None = None
    ) -> None:
        self.label = label
        self.title = title
        self.key = key
        self.rank = rank
        self.style = style
        self.value = value
        self.body: list[Block] = []
        self.children: list[Node] = []

    def __repr__(self) -> str:
        return f"Node({self.label!r}, {self.title[:20]!r}, {len(self.children)} children)"

    def depth(self) -> int:
        """Levels of headings in this subtree, this node included."""
        return 1 + max((c.depth() for c in self.children), default=0)


_CONTAINER_TITLE = re.compile(r"整改.{0,6}情况|反馈问题|问题整改|整改落实|主要成效|具体问题|整改成效")


def nest(blocks: list[Block]) -> Node:
    """Headings nest under the nearest preceding heading of a smaller rank; body lines belong to the
    heading above them. A level whose labels were lost takes one rank for the whole document."""
    root = Node(None, "", "", 0.0)
    stack = [root]
    lost_rank: float | None = None
    for block in blocks:
        if block.closing:
            root.body.append(block)
            continue
        if block.style is None:
            stack[-1].body.append(block)
            continue
        if block.lost:
            if lost_rank is None:
                lost_rank = stack[-1].rank + 0.5
            rank = lost_rank
        else:
            rank = float(block.rank)
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
    if find_inline_mark(node.key):
        return True
    if not node.body:
        return False
    first = node.body[0].key
    if first.startswith(("一是", "二是")) or (first.startswith(MARK_FIRST) and RECTIFICATION_MARK.match(first)):
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
    statement, inline, tag_status = split_statement((node.title, node.key))
    if node.children:
        return Finding(node.label, statement[0], [to_finding(c) for c in node.children])
    body = ([inline] if inline else []) + [(b.text, b.key) for b in node.body]
    status = tag_status or body_status(body)
    return Finding(node.label, statement[0], measures=split_measures(body), status=status)


def build_findings(blocks: list[Block]) -> tuple[list[Finding], Node, list[Node]]:
    """The findings, the whole heading tree and the nodes chosen as aspects (to find what lies outside)."""
    root = nest(blocks)
    aspects = select_aspects(root)
    return [to_finding(n) for n in aspects], root, aspects
