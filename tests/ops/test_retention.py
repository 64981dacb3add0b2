"""The retention rule on its own: the newest backup of each of the last N days and M months."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from zhenggai.ops.retention import kept, to_remove

START = datetime(2026, 12, 3, 2, 30)


def daily_for(days: int, *, per_day: int = 1) -> list[datetime]:
    """A backup every day (several a day when asked), going back from START."""
    return [START - timedelta(days=d, hours=h) for d in range(days) for h in range(per_day)]


def counted(backups, daily, monthly):
    reasons = kept(backups, when=lambda t: t, daily=daily, monthly=monthly)
    return (
        {t.date() for t, why in reasons.items() if "daily" in why},
        {(t.year, t.month) for t, why in reasons.items() if "monthly" in why},
        reasons,
    )


@pytest.mark.parametrize(
    ("days", "per_day", "daily", "monthly", "kept_days", "kept_months", "total"),
    [
        # a backup every day since 30 October 2025; the last days of November are still among the 7 days,
        # so December's and November's newest count twice and the other 10 months add one each
        (400, 1, 7, 12, 7, 12, 7 + 10),
        (400, 1, 2, 12, 2, 12, 2 + 11),  # 3 and 2 December, then 30 November, 31 October, …
        (400, 1, 7, 0, 7, 0, 7),
        (400, 1, 0, 3, 0, 3, 3),
        (400, 1, 1, 1, 1, 1, 1),
        (400, 3, 2, 3, 2, 3, 2 + 2),  # three a day: only the day's newest counts
        (5, 1, 7, 12, 5, 2, 5),  # fewer days than allowed: keep them all
        (30, 1, 30, 3, 30, 2, 30),  # 30 days reach back into two months only, both already kept
        (0, 1, 7, 12, 0, 0, 0),
    ],
)
def test_keeps_exactly_n_days_and_m_months(days, per_day, daily, monthly, kept_days, kept_months, total):
    backups = daily_for(days, per_day=per_day)
    day_set, month_set, reasons = counted(backups, daily, monthly)
    assert len(day_set) == kept_days
    assert len(month_set) == kept_months
    assert len(reasons) == total
    # the days kept are the most recent ones, each by its newest backup
    assert day_set == {(START - timedelta(days=d)).date() for d in range(kept_days)}
    for t, why in reasons.items():
        if "daily" in why:
            assert t == max(b for b in backups if b.date() == t.date())
        if "monthly" in why:
            assert t == max(b for b in backups if (b.year, b.month) == (t.year, t.month))


def test_days_without_a_backup_do_not_use_up_the_allowance():
    backups = [START - timedelta(days=d) for d in (0, 10, 20, 30, 40)]
    day_set, _, _ = counted(backups, 3, 0)
    assert day_set == {START.date(), (START - timedelta(days=10)).date(), (START - timedelta(days=20)).date()}


def test_the_newest_backup_is_never_removed():
    backups = daily_for(10)
    assert to_remove(backups, when=lambda t: t, daily=0, monthly=0) == sorted(backups)[:-1]
    assert kept(backups, when=lambda t: t, daily=0, monthly=0) == {START: {"newest"}}


def test_to_remove_is_everything_not_kept_oldest_first():
    backups = daily_for(60)
    removed = to_remove(backups, when=lambda t: t, daily=7, monthly=3)
    keep = kept(backups, when=lambda t: t, daily=7, monthly=3)
    assert set(removed) | set(keep) == set(backups) and not set(removed) & set(keep)
    assert removed == sorted(removed)
