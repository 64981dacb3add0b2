"""The results section (整改成效) of a report: rules, money, people held to account, meetings.

Pure: the reports app hands over one `ResultLine` per recorded result; this module adds them up by
kind and words them. Amounts are summed as Decimals, so a single entry prints exactly as the unit
entered it (12.345万元 stays 12.345) and a sum keeps the most decimals any entry gave. People appear
as counts by kind only; rules are listed by name in the in-party version and counted in the public one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from zhenggai.outputs.context import ResultLine

SECTION_RESULTS = "整改成效"


@dataclass(frozen=True)
class ResultTotals:
    """Per kind label, in the order the kinds come: rule names, money in 万元, people, and meetings."""

    rules: dict[str, list[str]] = field(default_factory=dict)
    money: dict[str, Decimal] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)
    meetings: int = 0

    @property
    def rule_count(self) -> int:
        return sum(len(names) for names in self.rules.values())

    @property
    def money_total(self) -> Decimal:
        return sum(self.money.values(), Decimal(0))

    @property
    def people_total(self) -> int:
        return sum(self.people.values())

    @property
    def empty(self) -> bool:
        return not (self.rules or self.money or self.people or self.meetings)


def totals(lines: tuple[ResultLine, ...] | list[ResultLine]) -> ResultTotals:
    out = ResultTotals()
    meetings = 0
    for line in lines:
        if line.group == "rule":
            out.rules.setdefault(line.label, []).append(line.title)
        elif line.group == "money" and line.amount is not None:
            before = out.money.get(line.label)
            out.money[line.label] = line.amount if before is None else before + line.amount
        elif line.group == "people":
            out.people[line.label] = out.people.get(line.label, 0) + (line.count or 0)
        elif line.group == "meeting":
            meetings += line.count or 1
    return ResultTotals(out.rules, out.money, out.people, meetings)


def _book(title: str) -> str:
    title = title.strip()
    return title if title.startswith("《") else f"《{title}》"


def amount_text(value: Decimal) -> str:
    """万元 as entered: no exponent, no padding, no rounding."""
    return f"{format(value, 'f')}万元"


def paragraphs(lines: tuple[ResultLine, ...] | list[ResultLine], *, names: bool) -> list[str]:
    """The section's paragraphs; empty when nothing was recorded (no filler sentence)."""
    t = totals(lines)
    out: list[str] = []
    if t.rules:
        if names:
            parts = [f"{label}{len(items)}项：{'、'.join(_book(i) for i in items)}" for label, items in t.rules.items()]
            out.append("建章立制方面，" + "；".join(parts) + "。")
        else:
            out.append(
                "建章立制方面，" + "、".join(f"{label}{len(items)}项" for label, items in t.rules.items()) + "。"
            )
    if t.money:
        out.append("资金方面，" + "，".join(f"{label}{amount_text(value)}" for label, value in t.money.items()) + "。")
    if t.people:
        kinds = "、".join(f"{label}{n}人次" for label, n in t.people.items())
        out.append(f"追责问责方面，共问责{t.people_total}人次，其中{kinds}。")
    if t.meetings:
        out.append(f"召开巡察整改专题会议{t.meetings}次。")
    return out
