"""Warnings for the reader: what the parse could not reconcile and a person should check."""

from __future__ import annotations

from itertools import pairwise

from zhenggai.ingest.ledgerdoc import Finding, LedgerDocument
from zhenggai.ingest.segment import cn_number

ORDERED_STYLES = {"一", "(一)", "1", "(1)"}


def check(doc: LedgerDocument) -> list[str]:
    warnings: list[str] = []
    leaves = doc.leaves()
    claimed = doc.claimed
    if claimed.items is not None and claimed.items != len(leaves):
        warnings.append(f"报告称{claimed.items}个具体问题,实际识别{len(leaves)}个")
    if claimed.aspects is not None and claimed.aspects != len(doc.findings):
        warnings.append(f"报告称{claimed.aspects}个方面,实际识别{len(doc.findings)}个")
    if claimed.problems is not None:
        middle = sum(1 for top in doc.findings for child in top.children if child.children)
        found = middle or len(doc.findings)
        if claimed.problems != found and claimed.problems != len(leaves):
            warnings.append(f"报告称{claimed.problems}个问题,实际识别{found}个")
    parts = [claimed.completed, claimed.basically_completed, claimed.in_progress, claimed.long_term]
    total = claimed.items if claimed.items is not None else None
    if total is not None and any(p is not None for p in parts) and sum(p or 0 for p in parts) > total:
        warnings.append(f"报告所称各状态数之和({sum(p or 0 for p in parts)})超过问题总数({total})")
    if not leaves:
        warnings.append("未识别到任何具体问题")
    for leaf in leaves:
        if not leaf.measures:
            warnings.append(f"具体问题“{_short(leaf.title)}”没有整改情况")
    warnings.extend(_label_gaps(doc.findings, "整改问题"))
    warnings.extend(_date_order(doc))
    return warnings


def _label_gaps(nodes: list[Finding], where: str) -> list[str]:
    """A numbered sequence that skips or repeats a number, e.g. 1、2、4."""
    out: list[str] = []
    values = [_value(n.label) for n in nodes]
    known = [v for v in values if v is not None]
    for prev, cur in pairwise(known):
        if cur != prev + 1 and cur != 1:
            out.append(f"编号不连续:“{where}”下{prev}之后是{cur}")
            break
    for node in nodes:
        if node.children:
            out.extend(_label_gaps(node.children, _short(node.title)))
    return out


def _value(label: str | None) -> int | None:
    if not label:
        return None
    return cn_number(label.strip("()"))


def _date_order(doc: LedgerDocument) -> list[str]:
    insp = doc.inspection
    chain = [
        ("巡察开始", insp.start),
        ("巡察结束", insp.end),
        ("反馈", insp.feedback_date),
        ("报告落款", doc.report.date),
    ]
    known = [(name, value) for name, value in chain if value]
    out = []
    for (a, x), (b, y) in pairwise(known):
        if y < x:
            out.append(f"日期顺序异常:{a}({x})晚于{b}({y})")
    return out


def _short(text: str, n: int = 20) -> str:
    return text if len(text) <= n else text[:n] + "…"
