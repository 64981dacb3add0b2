"""Completion figures (整改完成率 and its companions), computed from counts, never typed in.

Completion rate = completed ÷ all specific problems; "basically completed" and "long-term" are
reported beside it but are not counted as completed (688 of 697 → 98.71%).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal


def completion_rate(completed: int, total: int) -> Decimal | None:
    """Percentage with two decimals, half up; None when there is nothing to count."""
    if total <= 0:
        return None
    return (Decimal(completed) * 100 / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_rate(rate: Decimal | None) -> str:
    """As the reports write it: '98.71%'; '—' when there is no rate."""
    return "—" if rate is None else f"{rate}%"


@dataclass
class Figures:
    """Counts for one inspection, or summed over a unit or a round."""

    findings: int = 0
    leaves: int = 0
    completed: int = 0
    basically: int = 0
    in_progress: int = 0
    long_term: int = 0
    not_done: int = 0
    unreported: int = 0
    tasks: int = 0
    closed: int = 0
    overdue: int = 0
    yellow: int = 0
    green: int = 0

    @property
    def rate(self) -> Decimal | None:
        return completion_rate(self.completed, self.leaves)

    @property
    def rate_text(self) -> str:
        return format_rate(self.rate)

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


def total(figures: list[Figures]) -> Figures:
    result = Figures()
    for item in figures:
        result = result + item
    return result
