"""Slot filling for one report: dates after the feedback, counts, amounts, meetings and leaders.

What every sentence of a report shares (the unit's name for itself, its meetings, its sub-units) is
computed once per report, so composing a sentence is one `str.format_map`: generation stays fast.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from zhenggai.fiction import vocabulary as V


def pick(rng: random.Random, seq):
    """`rng.choice` without its overhead: generation calls it hundreds of times per report."""
    return seq[int(rng.random() * len(seq))]


def between(rng: random.Random, low: int, high: int) -> int:
    """`rng.randint` without its overhead (inclusive bounds)."""
    return low + int(rng.random() * (high - low + 1))


def knob_int(rng: random.Random, value, default: tuple[int, int]) -> int:
    """A count knob given as an int, a (low, high) pair, or None (the default range)."""
    if isinstance(value, int):
        return value
    low, high = value or default
    return between(rng, low, high)


def party_body(unit: str) -> str:
    """The party organ that ends a unit's name: 党组, 党委 or 党工委."""
    return "党工委" if unit.endswith("党工委") else unit[-2:]


class Writer:
    """Fills the vocabulary's slots for one report."""

    def __init__(self, rng: random.Random, unit: str, own: str, kind: V.UnitKind, feedback: date, until: date):
        self.rng = rng
        body = party_body(unit)
        self.short = unit[: -len(body)]  # 县财政局, 石桥镇: used in rule names and addresses
        self.feedback, self.days = feedback, max((until - feedback).days - 5, 10)
        lead = "纪委书记" if body != "党组" else "纪检组长"
        self.ctx: dict[str, object] = {"self": own, "site": kind.site, "acct": rng.choice(V.ACCOUNTS)}
        self.meetings = [m.format(body=body) for m in V.MEETINGS_PARTY]
        self.leaders = [x if x != "纪检组长" else lead for x in V.LEADERS]

    def new_amount(self) -> None:
        """Draw the amount of money (元) that one problem's detail and measures all speak of."""
        self.ctx["w"] = int(10 ** (3.3 + self.rng.random() * 2.2))

    def day(self) -> str:
        """A working day during the rectification, without the year unless it is the next one."""
        d = self.feedback + timedelta(days=between(self.rng, 2, self.days))
        if d.weekday() > 4:
            d += timedelta(days=7 - d.weekday())
        if d.month == 10 and d.day < 8:  # national holiday week
            d = d.replace(day=9)
        return f"{d.month}月{d.day}日" if d.year == self.feedback.year else f"{d.year}年{d.month}月{d.day}日"

    def fill(self, template: str, subject: str = "", rule: str = "", year: int = 0) -> str:
        r = self.rng.random
        n = 3 + int(r() * 28)
        ctx = self.ctx
        ctx["s"], ctx["r"], ctx["y"], ctx["n"] = subject, rule, year, n
        ctx["m"], ctx["k"] = 1 + int(r() * min(n - 1, 12)), 3 + int(r() * 7)
        if "{d}" in template:
            ctx["d"] = self.day()
        if "{meet}" in template or "{lead}" in template:
            ctx["meet"], ctx["lead"] = pick(self.rng, self.meetings), pick(self.rng, self.leaders)
        text = template.format_map(ctx)
        return text.replace("工作工作", "工作") if subject.endswith("工作") else text
