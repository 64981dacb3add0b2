"""When the stored dashboard figures are written: once per writing transaction and inspection, after the
commit — never inside the writing transaction, and never by a page that only shows them."""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.oversight.conftest import TODAY
from zhenggai.ledger.models import Event, Inspection, Status, Task
from zhenggai.ledger.services.progress import add_note
from zhenggai.ledger.workflow import transition
from zhenggai.oversight.models import FindingCategory, InspectionFigures, OpenDeadline
from zhenggai.oversight.services import dashboard, figures

FIGURES_TABLES = ("oversight_inspectionfigures", "oversight_opendeadline")
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def figure_writes(queries: list[dict]) -> list[str]:
    return [q["sql"] for q in queries if WRITE.match(q["sql"]) and any(t in q["sql"] for t in FIGURES_TABLES)]


def recounts(queries: list[dict]) -> list[str]:
    """One upsert of the figures table per recount (every touched inspection's row goes in it)."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith("INSERT") and "oversight_inspectionfigures" in q["sql"]
    ]


def open_task(world) -> Task:
    """An open long-term task of unit A (集体决策制度执行不严): making it basically done rolls up to its problem
    and that problem's parent."""
    return Task.objects.filter(finding__inspection=world["a"], closure="open", status=Status.LONG_TERM).first()


@pytest.mark.django_db(transaction=True)
def test_one_status_change_recounts_its_inspection_once_after_commit(world):
    figures.refresh_all()
    task = open_task(world)
    a = world["a"].pk
    events_before = Event.objects.filter(inspection_id=a).count()
    basically = InspectionFigures.objects.get(inspection_id=a).basically
    with CaptureQueriesContext(connection) as everything, transaction.atomic():
        transition(task, actor=world["users"]["unit_office_own"], to_status=Status.BASICALLY)
        assert InspectionFigures.objects.get(inspection_id=a).basically == basically  # not yet: uncommitted
        inside = len(everything.captured_queries)
    events = Event.objects.filter(inspection_id=a).count() - events_before
    assert events >= 2  # status_changed, and status_derived for the problem (and its parent)
    assert figure_writes(everything.captured_queries[:inside]) == []
    assert len(recounts(everything.captured_queries[inside:])) == 1
    stored = InspectionFigures.objects.get(inspection_id=a)
    assert stored.basically == figures.count([a])[a]["basically"] == basically + 1


@pytest.mark.django_db(transaction=True)
def test_one_transaction_over_two_inspections_recounts_each_once(world):
    figures.refresh_all()
    a, b = world["a"], world["b"]
    task_b = Task.objects.filter(finding__inspection=b, closure="open", status=Status.IN_PROGRESS).first()
    with CaptureQueriesContext(connection) as everything:
        with transaction.atomic():
            transition(open_task(world), actor=world["users"]["office"], to_status=Status.IN_PROGRESS)
            transition(task_b, actor=world["users"]["office"], to_status=Status.LONG_TERM)
            add_note(task_b, actor=world["users"]["office"], text="已召开专题会议")
            inside = len(everything.captured_queries)
        assert figure_writes(everything.captured_queries[:inside]) == []
        upserts = recounts(everything.captured_queries[inside:])
    assert len(upserts) == 1  # one recount of the set of touched inspections...
    for inspection in (a, b):  # ...that leaves each of them counted afresh
        stored = InspectionFigures.objects.get(inspection=inspection)
        fresh = figures.count([inspection.pk])[inspection.pk]
        assert (stored.long_term, stored.in_progress) == (fresh["long_term"], fresh["in_progress"])


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_recounts_nothing(world):
    figures.refresh_all()
    task = open_task(world)
    counted_at = InspectionFigures.objects.get(inspection=world["a"]).refreshed_at
    with CaptureQueriesContext(connection) as everything:
        with pytest.raises(RuntimeError), transaction.atomic():
            transition(task, actor=world["users"]["office"], to_status=Status.IN_PROGRESS)
            raise RuntimeError("the caller gives up")
        with transaction.atomic():  # the next transaction on the connection inherits nothing
            add_note(
                Task.objects.filter(finding__inspection=world["b"]).first(), actor=world["users"]["office"], text="x"
            )
    upserts = recounts(everything.captured_queries)
    assert len(upserts) == 1
    assert InspectionFigures.objects.get(inspection=world["a"]).refreshed_at == counted_at  # only B was recounted


DASHBOARD_PAGES = (
    ("oversight:overview", ()),
    ("oversight:overview_csv", ()),
    ("oversight:round", ("round",)),
    ("oversight:round_csv", ("round", "units")),
    ("oversight:round_csv", ("round", "aspects")),
    ("oversight:round_csv", ("round", "lights")),
    ("oversight:tasks", ()),
    ("web:home", ()),
    ("web:rounds", ()),
    ("web:round", ("round",)),
    ("web:inspection", ("inspection",)),
)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["office", "supervisor", "team_own", "unit_office_own"])
def test_dashboard_pages_never_write(world, login, role):
    """The dashboards (and the ledger's overview pages) only read: figures or classifications missing
    (imported in bulk, or before the dashboard existed) are counted for the page, not stored by it."""
    figures.refresh_all()
    InspectionFigures.objects.filter(inspection=world["b"]).delete()
    OpenDeadline.objects.filter(inspection=world["b"]).delete()
    FindingCategory.objects.filter(finding__inspection=world["a"]).delete()
    client = login(world["users"][role])
    for name, args in DASHBOARD_PAGES:
        values = [{"round": world["round"].pk, "inspection": world["a"].pk}.get(a, a) for a in args]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name, args=values))
        assert response.status_code in (200, 302, 404), (name, response.status_code)
        writes = [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]
        assert writes == [], (name, writes)
    assert not InspectionFigures.objects.filter(inspection=world["b"]).exists()
    assert not FindingCategory.objects.filter(finding__inspection=world["a"]).exists()


@pytest.mark.django_db
def test_the_overview_counts_missing_figures_as_the_stored_ones_would_be(world):
    scope = Inspection.objects.all()
    figures.refresh_all()
    stored = dashboard.overview(scope, TODAY, list(dashboard.visible_rounds(scope)))[0]
    stored_total = dashboard.overview_total(scope, TODAY)
    InspectionFigures.objects.filter(inspection=world["b"]).delete()
    OpenDeadline.objects.filter(inspection=world["b"]).delete()
    partly = dashboard.overview(scope, TODAY, list(dashboard.visible_rounds(scope)))[0]
    InspectionFigures.objects.all().delete()
    OpenDeadline.objects.all().delete()
    counted_total = dashboard.overview_total(scope, TODAY)
    assert partly.units == stored.units == 2
    assert partly.tally == stored.tally
    assert counted_total == stored_total
    assert (stored_total.red, stored_total.yellow, stored_total.green) == (2, 1, 1)


@pytest.mark.django_db
def test_the_cached_total_follows_a_recount_that_came_after_the_event(world):
    """Figures are recounted just after a change commits; a total cached in between (under the change's
    Event) must not outlive the recount."""
    scope = Inspection.objects.all()
    figures.refresh_all()
    before = dashboard.overview_total(scope, TODAY)
    Task.objects.filter(finding__inspection=world["a"], closure="open").update(deadline=TODAY.replace(year=2023))
    figures.refresh([world["a"].pk])  # the recount lands after the total was cached; no new Event
    after = dashboard.overview_total(scope, TODAY)
    assert after.red > before.red
