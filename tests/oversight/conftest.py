"""Fixtures of the oversight tests: a round of two units' ledgers with lights, closures and users of every role.

Unit A (青溪县水利局党组, team 县委第二巡察组) and unit B (青溪县林业局党组, team 县委第三巡察组) hold
the fictional ledger of tests/conftest.py in round `十五届县委第三轮巡察`, fed back on 2024-05-20.
`today` is fixed at 2024-07-01; A's tasks get deadlines that show every light on that day, one task
waits for review and one was accepted (so the progress chart has a point).
"""

from __future__ import annotations

import os
from datetime import date

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # Playwright's sync API runs an event loop

TODAY = date(2024, 7, 1)
ROLES = (
    "anonymous",
    "office",
    "supervisor",
    "team_own",
    "team_other",
    "unit_office_own",
    "unit_office_other",
    "responsible_own",
)


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Pages link static files by name; the manifest storage needs collectstatic, tests do without it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached totals are keyed by the latest Event id, which a rolled-back test database hands out again."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fixed_today(monkeypatch):
    """Pin the oversight views' and the ledger's idea of today."""
    from zhenggai.oversight.views import common

    monkeypatch.setattr(common, "today", lambda: TODAY)
    for module in ("board", "tasks"):
        monkeypatch.setattr(f"zhenggai.oversight.views.{module}.today", lambda: TODAY)
    return TODAY


@pytest.fixture
def world(make_inspection, make_doc, make_user, office, fixed_today):
    from zhenggai.ledger.models import Status, Task
    from zhenggai.ledger.services.closure import accept_closure, request_closure

    a = make_inspection()
    doc_b = make_doc()
    doc_b.inspection.unit, doc_b.inspection.team = "青溪县林业局党组", "县委第三巡察组"
    b = make_inspection(doc_b, round=a.round)
    users = {
        "anonymous": None,
        "office": office,
        "supervisor": make_user("supervisor", username="supervisor"),
        "team_own": make_user("team", team=a.team, username="team_own"),
        "team_other": make_user("team", team=b.team, username="team_other"),
        "unit_office_own": make_user("unit_office", unit=a.unit, username="unit_office_own", email="a@example.org"),
        "unit_office_other": make_user("unit_office", unit=b.unit, username="unit_office_other"),
        "responsible_own": make_user("responsible", unit=a.unit, username="responsible_own", email="r@example.org"),
    }
    owner = users["responsible_own"]
    tasks = list(Task.objects.filter(finding__inspection=a).order_by("pk"))
    # deadlines seen from 2024-07-01 with the default thresholds (green ≤ 20 days, yellow ≤ 10 days)
    deadlines = [date(2024, 6, 20), date(2024, 7, 5), date(2024, 7, 15), date(2024, 9, 1), None, date(2024, 6, 1), None]
    for task, deadline in zip(tasks, deadlines, strict=True):
        Task.objects.filter(pk=task.pk).update(deadline=deadline, handler=owner)
    requested, closed = tasks[5], tasks[6]
    for item in (requested, closed):
        Task.objects.filter(pk=item.pk).update(status=Status.BASICALLY)
        item.refresh_from_db()
    request_closure(requested, actor=owner, note="已完成整改")
    request_closure(closed, actor=owner, note="已修订党组议事规则")
    accept_closure(closed, actor=office)
    for item in tasks:
        item.refresh_from_db()
    return {"a": a, "b": b, "round": a.round, "users": users, "tasks": tasks, "committee": a.round.committee}


@pytest.fixture
def login(client):
    def as_user(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return as_user


@pytest.fixture
def keep_connection(monkeypatch):
    """Commands close every connection when they finish, which would end the test's transaction on
    PostgreSQL; the entry point runs as users run it, only that last step is skipped."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
