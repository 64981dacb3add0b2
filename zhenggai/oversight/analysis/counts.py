"""Counts a unit claims (报告自述数字) against what its ledger holds: "反馈问题38个，已完成35个".

A report's claims are checked once against the tree when it is parsed; here they are checked
against the ledger as it stands, so a claim of completion that the ledger does not back is flagged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

FIELDS = {
    "aspects": "方面",
    "problems": "问题",
    "items": "具体问题",
    "completed": "已完成整改",
    "basically_completed": "基本完成",
    "in_progress": "正在推进",
    "long_term": "长期坚持",
}
PARTS = ("completed", "basically_completed", "in_progress", "long_term")


@dataclass(frozen=True)
class Mismatch:
    field: str
    claimed: int
    ledger: int | None
    message: str


def mismatches(claimed: Mapping[str, int | None], ledger: Mapping[str, int]) -> list[Mismatch]:
    """Every claimed count that differs from the ledger's, and claimed parts that exceed their total.

    `ledger` holds the same keys as FIELDS; "problems" is compared only when the ledger has middle
    problems, and passes when it equals the specific problems (reports count either as 问题).
    """
    out = []
    for key, label in FIELDS.items():
        value = claimed.get(key)
        if value is None or key not in ledger:
            continue
        actual = ledger[key]
        if key == "problems" and (not actual or value == ledger.get("items")):
            continue  # without middle problems the ledger cannot tell; some reports count leaves as 问题
        if value != actual:
            out.append(Mismatch(key, value, actual, f"报告称{label}{value}个，台账记录{actual}个"))
    total = claimed.get("items")
    parts = [claimed.get(key) for key in PARTS]
    if total is not None and any(p is not None for p in parts):
        summed = sum(p or 0 for p in parts)
        if summed > total:
            out.append(Mismatch("parts", summed, total, f"报告所称各状态数之和{summed}个，超过具体问题总数{total}个"))
    return out
