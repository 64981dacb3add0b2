"""Traffic lights (红黄绿灯) on task deadlines, by a committee's thresholds.

Typical county rule: green notice at ≤ 20 days left, yellow warning at ≤ 10, red once overdue.
A closed task, or one without a deadline, shows no light.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class Light(StrEnum):
    NONE = "none"
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        return {"none": "", "green": "绿灯", "yellow": "黄灯", "red": "红灯"}[self.value]


def light(deadline: date | None, today: date, *, green_days: int, yellow_days: int, closed: bool = False) -> Light:
    """The light a task shows today: red after the deadline day, yellow/green as it draws near."""
    if closed or deadline is None:
        return Light.NONE
    days_left = (deadline - today).days
    if days_left < 0:
        return Light.RED
    if days_left <= yellow_days:
        return Light.YELLOW
    if days_left <= green_days:
        return Light.GREEN
    return Light.NONE
