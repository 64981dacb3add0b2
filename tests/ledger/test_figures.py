"""Completion figures are computed from the ledger, never typed in."""

from datetime import date, timedelta
from decimal import Decimal

from zhenggai.ledger.figures import Figures, completion_rate, format_rate, total
from zhenggai.ledger.models import Closure, Status, Task
from zhenggai.ledger.stats import figures_by_inspection, figures_for_inspection, figures_for_round


def test_the_round_summary_rate():
    """反馈的697个问题,完成整改688个 … 总体完成率98.71%."""
    assert completion_rate(688, 697) == Decimal("98.71")
    assert format_rate(completion_rate(688, 697)) == "98.71%"


def test_rates_round_half_up_and_handle_nothing():
    assert format_rate(completion_rate(1, 8)) == "12.50%"
    assert format_rate(completion_rate(2, 3)) == "66.67%"
    assert format_rate(completion_rate(5, 5)) == "100.00%"
    assert format_rate(completion_rate(0, 0)) == "—"


def test_basically_and_long_term_are_not_completed():
    figures = Figures(leaves=10, completed=7, basically=2, long_term=1)
    assert figures.rate_text == "70.00%"


def test_totals_add_up():
    summed = total([Figures(leaves=3, completed=1), Figures(leaves=2, completed=2, overdue=1)])
    assert (summed.leaves, summed.completed, summed.overdue, summed.rate_text) == (5, 3, 1, "60.00%")


def test_figures_of_an_imported_inspection(make_inspection):
    inspection = make_inspection()
    figures = figures_for_inspection(inspection, date(2024, 6, 1))
    assert figures.findings == 8
    assert figures.leaves == 5
    assert (figures.completed, figures.in_progress, figures.long_term, figures.unreported) == (2, 1, 1, 1)
    assert figures.tasks == 7
    assert figures.rate_text == "40.00%"


def test_overdue_and_lights_follow_the_committee(make_inspection):
    inspection = make_inspection()
    today = date(2024, 6, 1)
    tasks = list(Task.objects.filter(finding__inspection=inspection).order_by("pk"))
    deadlines = [-3, 0, 10, 11, 20, 21, -1]
    for task, days in zip(tasks, deadlines, strict=True):
        task.deadline = today + timedelta(days=days)
    tasks[6].closure = Closure.CLOSED  # closed: neither overdue nor lit
    tasks[6].status = Status.COMPLETED
    Task.objects.bulk_update(tasks, ["deadline", "closure", "status"])

    figures = figures_for_inspection(inspection, today)
    assert (figures.overdue, figures.yellow, figures.green, figures.closed) == (1, 2, 2, 1)


def test_round_figures_sum_its_inspections(make_inspection, make_unit, make_doc):
    first = make_inspection()
    second_doc = make_doc()
    second_doc.inspection.unit = "青溪县林业局党组"
    make_inspection(second_doc, round=first.round)
    by_inspection = figures_by_inspection(first.round.inspections.all(), date(2024, 6, 1))
    assert len(by_inspection) == 2
    round_figures = figures_for_round(first.round, date(2024, 6, 1))
    assert (round_figures.leaves, round_figures.completed) == (10, 4)
