"""A feedback list (反馈问题清单) as the inspection team hands it over, turned into a findings tree.

One row per specific problem: 方面 and 具体问题 at least, 问题 and 整改措施 when the list has them.
Cells merged down a column (an aspect written once for several rows) come back empty in every row
but the first, so an empty 方面 or 问题 repeats the one above. Without 具体问题 the 问题 is the leaf.
"""

from __future__ import annotations

import re

from zhenggai.ingest.ledgerdoc import Finding
from zhenggai.outputs.errors import WorkbookRejected
from zhenggai.outputs.numbering import cn_numeral
from zhenggai.outputs.xlsx_read import Sheet

_ENUMERATOR = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}是|\d{1,2}[.、．)）]|[(（]\d{1,2}[)）])[，,:：]?\s*")


def measures_of(text: str) -> list[str]:
    """One measure a line; leading enumerators (一是, 1., (1)) are dropped."""
    return [m for m in (_ENUMERATOR.sub("", line).strip() for line in (text or "").splitlines()) if m]


def feedback_findings(sheet: Sheet) -> tuple[list[Finding], list[str]]:
    """The findings tree of a feedback sheet and the problems found in it, by row."""
    errors: list[str] = []
    aspects: dict[str, Finding] = {}
    problems: dict[tuple[str, str], Finding] = {}
    aspect = problem = ""
    has_items = "item" in sheet.columns
    for row in sheet.rows:
        v = row.values
        new_aspect = (v.get("aspect") or "").strip()
        if new_aspect and new_aspect != aspect:
            aspect, problem = new_aspect, ""
        problem = (v.get("problem") or "").strip() or problem
        item = (v.get("item") or "").strip() if has_items else ""
        leaf_title = item or problem
        if not aspect:
            errors.append(f"{sheet.where(row.number)}:缺少“方面”")
            continue
        if not leaf_title:
            errors.append(f"{sheet.where(row.number)}:缺少“具体问题”")
            continue
        top = aspects.get(aspect)
        if top is None:
            top = aspects[aspect] = Finding(None, aspect)
        parent = top
        if item and problem:
            parent = problems.get((aspect, problem))
            if parent is None:
                parent = problems[(aspect, problem)] = Finding(None, problem)
                top.children.append(parent)
        parent.children.append(Finding(None, leaf_title, measures=measures_of(v.get("measure") or "")))
    if not aspects and not errors:
        raise WorkbookRejected(f"工作表“{sheet.name}”没有反馈问题")
    findings = list(aspects.values())
    _label(findings, 1)
    return findings, errors


def _label(nodes: list[Finding], depth: int) -> None:
    """Labels as the ledger format writes them: 一, (一), 1, (1)."""
    for n, node in enumerate(nodes, 1):
        node.label = {1: cn_numeral(n), 2: f"({cn_numeral(n)})", 3: str(n)}.get(depth, f"({n})")
        _label(node.children, depth + 1)
