"""Traffic lights: green at ≤ 20 days left, yellow at ≤ 10, red once overdue (one county's rule, the default)."""

from datetime import date, timedelta

import pytest

from zhenggai.ledger.lights import Light, light

TODAY = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (30, Light.NONE),
        (21, Light.NONE),
        (20, Light.GREEN),
        (11, Light.GREEN),
        (10, Light.YELLOW),
        (1, Light.YELLOW),
        (0, Light.YELLOW),  # the deadline day itself is not yet overdue
        (-1, Light.RED),
        (-100, Light.RED),
    ],
)
def test_thresholds(days_left, expected):
    assert light(TODAY + timedelta(days=days_left), TODAY, green_days=20, yellow_days=10) == expected


def test_thresholds_are_settings():
    deadline = TODAY + timedelta(days=25)
    assert light(deadline, TODAY, green_days=30, yellow_days=25) == Light.YELLOW


def test_closed_tasks_and_tasks_without_deadline_show_no_light():
    assert light(TODAY - timedelta(days=5), TODAY, green_days=20, yellow_days=10, closed=True) == Light.NONE
    assert light(None, TODAY, green_days=20, yellow_days=10) == Light.NONE


def test_labels_are_chinese():
    assert Light.RED.label == "红灯"
