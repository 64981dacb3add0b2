"""The rectification calendar: deadlines follow the feedback date by the committee's rules."""

from datetime import date

import pytest

from zhenggai.ledger.calendar import add_months, countdown, deadlines_for, plan_due, report_due


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year: clamped to the 29th
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 4, 30)),
        (date(2024, 5, 20), 3, date(2024, 8, 20)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),  # across the year end
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 5, 20), 0, date(2024, 5, 20)),
    ],
)
def test_month_arithmetic_clamps_to_the_last_day(start, months, expected):
    assert add_months(start, months) == expected


def test_plan_is_due_days_after_feedback():
    assert plan_due(date(2024, 5, 20), 30) == date(2024, 6, 19)


def test_report_is_due_months_after_feedback():
    assert report_due(date(2024, 5, 20), 2) == date(2024, 7, 20)


def test_countdown_is_zero_on_the_day_and_negative_after():
    assert countdown(date(2024, 6, 1), date(2024, 5, 30)) == 2
    assert countdown(date(2024, 6, 1), date(2024, 6, 1)) == 0
    assert countdown(date(2024, 6, 1), date(2024, 6, 4)) == -3


class Rules:
    plan_due_days = 30
    concentrated_months = 3
    report_due_months = 2


def test_all_deadlines_of_an_inspection():
    deadlines = deadlines_for(date(2024, 1, 31), Rules())
    assert deadlines.plan_due == date(2024, 3, 1)
    assert deadlines.concentrated_end == date(2024, 4, 30)
    assert deadlines.report_due == date(2024, 3, 31)


def test_no_deadlines_without_a_feedback_date():
    assert deadlines_for(None, Rules()) is None


def test_a_committee_supplies_its_own_rules(make_committee):
    committee = make_committee(name="白鹭县委", report_due_months=3, concentrated_months=6)
    deadlines = deadlines_for(date(2024, 5, 20), committee)
    assert deadlines.report_due == date(2024, 8, 20)
    assert deadlines.concentrated_end == date(2024, 11, 20)
    assert deadlines.plan_due == date(2024, 6, 19)  # the default 30 days from settings
