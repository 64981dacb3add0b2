"""The dashboard's numbers against the ledger's own counts, and each number against the tasks it links to."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from tests.oversight.conftest import TODAY
from zhenggai.ledger.models import Inspection
from zhenggai.ledger.stats import figures_by_inspection
from zhenggai.oversight.models import FindingCategory, InspectionFigures, OpenDeadline
from zhenggai.oversight.services import dashboard, figures

pytestmark = pytest.mark.django_db

SAME = ("leaves", "completed", "basically", "in_progress", "long_term", "not_done", "unreported", "tasks", "closed")


def test_round_figures_equal_the_ledgers_counts(world):
    board = dashboard.round_board(world["round"], Inspection.objects.all(), TODAY)
    expected = figures_by_inspection(Inspection.objects.filter(round=world["round"]), TODAY)
    assert len(board.units) == 2
    for row in board.units:
        mine, theirs = row.tally, expected[row.key]
        assert {k: getattr(mine, k) for k in SAME} == {k: getattr(theirs, k) for k in SAME}
        assert (mine.red, mine.yellow, mine.green) == (theirs.overdue, theirs.yellow, theirs.green)
    a = next(r.tally for r in board.units if r.key == world["a"].pk)
    assert (a.red, a.yellow, a.green, a.requested, a.closed) == (2, 1, 1, 1, 1)  # the waiting one is late too
    assert sum(r.tally.leaves for r in board.aspects) == board.total.leaves == 10
    assert sum(r.tally.tasks for r in board.teams) == board.total.tasks == 14


def test_progress_counts_accepted_closures_by_week_after_feedback(world):
    board = dashboard.round_board(world["round"], Inspection.objects.all(), TODAY)
    assert board.progress[-1]["cumulative"] == 1
    assert sum(week["accepted"] for week in board.progress) == 1


def test_stored_figures_follow_every_event(world, make_inspection, make_doc, django_capture_on_commit_callbacks):
    """Imports and closures recount the stored counts through the Event signal once they commit, without a
    page view (the fixture's imports have not committed: the test's transaction is still open)."""
    assert not InspectionFigures.objects.filter(inspection=world["a"]).exists()
    doc = make_doc()
    doc.inspection.unit = "青溪县交通运输局党组"
    with django_capture_on_commit_callbacks(execute=True):
        c = make_inspection(doc, round=world["round"])
    expected = figures_by_inspection(Inspection.objects.filter(pk=c.pk), TODAY)[c.pk]
    stored = InspectionFigures.objects.get(inspection=c)
    assert (stored.leaves, stored.completed, stored.tasks, stored.closed) == (
        expected.leaves,
        expected.completed,
        expected.tasks,
        expected.closed,
    )
    expected = figures_by_inspection(Inspection.objects.filter(pk=world["a"].pk), TODAY)[world["a"].pk]
    # the world fixture set deadlines with queryset.update (no event): refresh, as the nightly run does
    figures.refresh_all()
    stored = InspectionFigures.objects.get(inspection=world["a"])
    assert (stored.leaves, stored.completed, stored.tasks, stored.closed, stored.requested) == (
        expected.leaves,
        expected.completed,
        expected.tasks,
        expected.closed,
        1,
    )
    assert sum(OpenDeadline.objects.filter(inspection=world["a"]).values_list("tasks", flat=True)) == 5


def test_closure_event_refreshes_the_stored_counts(world, make_user, django_capture_on_commit_callbacks):
    from zhenggai.ledger.services.closure import accept_closure

    requested = world["tasks"][5]
    figures.refresh_all()
    before = InspectionFigures.objects.get(inspection=world["a"]).closed
    with django_capture_on_commit_callbacks(execute=True):
        accept_closure(requested, actor=world["users"]["office"])
    assert InspectionFigures.objects.get(inspection=world["a"]).closed == before + 1


def test_import_classifies_the_findings(world):
    leaves = world["a"].findings.filter(kind="item").count()
    assert FindingCategory.objects.filter(finding__inspection=world["a"]).count() == leaves * 2  # two taxonomies


def test_overview_equals_the_round_page(world):
    figures.refresh_all()
    scope = Inspection.objects.all()
    summary = dashboard.overview(scope, TODAY, list(dashboard.visible_rounds(scope)))[0]
    total = dashboard.overview_total(scope, TODAY)
    board = dashboard.round_board(world["round"], Inspection.objects.all(), TODAY)
    for name in ("leaves", "completed", "tasks", "closed", "requested", "red", "yellow", "green"):
        assert getattr(summary.tally, name) == getattr(board.total, name) == getattr(total, name), name


def _numbers_and_links(html: str) -> list[tuple[int, str]]:
    return [
        (int(n), link.replace("&amp;", "&"))
        for link, n in re.findall(r'<a href="(/oversight/tasks/\?[^"]*)">(?:<b>)?(\d+)', html)
    ]


def test_every_number_on_the_round_page_leads_to_its_tasks(world, login):
    client = login(world["users"]["office"])
    html = client.get(reverse("oversight:round", args=[world["round"].pk])).content.decode()
    links = _numbers_and_links(html)
    assert len(links) > 50
    for number, link in links:
        page = client.get(link).content.decode()
        tasks = int(re.search(r'data-count="tasks">(\d+)<', page).group(1))
        found = int(re.search(r'data-count="findings">(\d+)<', page).group(1))
        query = parse_qs(urlparse(link).query)
        if "light" in query or "closure" in query or "accepted_week" in query:
            assert tasks == number, link
        elif "status" in query:
            assert found == number, link
        else:  # 具体问题 and 整改任务 of the same row share the link: one counts findings, the other tasks
            assert number in (tasks, found), link


def test_the_overview_pages_the_rounds_under_the_totals(world, login, make_round, make_inspection, make_doc):
    for n in range(31):
        doc = make_doc()
        doc.inspection.unit = f"青溪县第{n}局党组"
        make_inspection(doc, round=make_round(name=f"第{n}轮专项巡察", year=2020, number=n))
    client = login(world["users"]["office"])
    first = client.get(reverse("oversight:overview")).content.decode()
    assert first.count('data-row="round-') == 30
    assert "共2页（32个轮次）" in first
    second = client.get(reverse("oversight:overview") + "?page=2").content.decode()
    assert second.count('data-row="round-') == 2
    total = dashboard.overview_total(Inspection.objects.all(), TODAY)
    assert f'<li data-col="leaves"><a href="/oversight/tasks/?"><b>{total.leaves}</b>' in first
    assert total.leaves == 32 * 5 + 5
