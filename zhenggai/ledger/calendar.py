"""The rectification calendar: deadlines that follow the feedback date by a committee's rules.

Pure functions on dates and integers, so the rules are tested without a database and the
same arithmetic serves pages, reminders and reports.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol


class CalendarRules(Protocol):
    """What a committee says about its calendar (`zhenggai.org.models.Committee` fits)."""

    plan_due_days: int
    concentrated_months: int
    report_due_months: int


def add_months(start: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (Jan 31 + 1 month → Feb 28/29)."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def plan_due(feedback: date, days: int) -> date:
    """整改方案 due: N days after the feedback meeting."""
    return feedback + timedelta(days=days)


def concentrated_end(feedback: date, months: int) -> date:
    """集中整改 ends N months after feedback."""
    return add_months(feedback, months)


def report_due(feedback: date, months: int) -> date:
    """整改情况报告 due to the committee N months after feedback."""
    return add_months(feedback, months)


def countdown(target: date, today: date) -> int:
    """Days left until `target`; 0 on the day itself, negative once it has passed."""
    return (target - today).days


@dataclass(frozen=True)
class Deadlines:
    plan_due: date
    concentrated_end: date
    report_due: date


def deadlines_for(feedback: date | None, rules: CalendarRules) -> Deadlines | None:
    """All three deadlines of an inspection, or None while its feedback date is unknown."""
    if feedback is None:
        return None
    return Deadlines(
        plan_due=plan_due(feedback, rules.plan_due_days),
        concentrated_end=concentrated_end(feedback, rules.concentrated_months),
        report_due=report_due(feedback, rules.report_due_months),
    )
