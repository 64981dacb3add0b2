"""Which backups to keep: the newest of each of the last N days and of each of the last M months.

A pure rule, so it is tested on its own: the days and months counted are those that have a backup
(a week the server was off does not use up the allowance), one backup may count for both, and
the newest backup is never removed even when both numbers are zero.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import datetime
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def kept(backups: Sequence[T], *, when: Callable[[T], datetime], daily: int, monthly: int) -> dict[T, set[str]]:
    """The backups to keep, each with why: "daily", "monthly" or (only when nothing else is) "newest"."""
    newest_first = sorted(backups, key=when, reverse=True)
    reasons: dict[T, set[str]] = {}
    rules: list[tuple[str, int, Callable[[datetime], Hashable]]] = [
        ("daily", daily, lambda t: t.date()),
        ("monthly", monthly, lambda t: (t.year, t.month)),
    ]
    for label, limit, period_of in rules:
        periods: set[Hashable] = set()
        for backup in newest_first:
            if len(periods) >= limit:
                break
            period = period_of(when(backup))
            if period not in periods:  # the first seen is the newest of its period
                periods.add(period)
                reasons.setdefault(backup, set()).add(label)
    if not reasons and newest_first:
        reasons[newest_first[0]] = {"newest"}
    return reasons


def to_remove(backups: Sequence[T], *, when: Callable[[T], datetime], daily: int, monthly: int) -> list[T]:
    keep = kept(backups, when=when, daily=daily, monthly=monthly)
    return [backup for backup in sorted(backups, key=when) if backup not in keep]
