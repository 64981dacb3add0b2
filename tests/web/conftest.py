"""Fixtures of the web tests: two units' ledgers in one round and a user for every role.

Unit A (青溪县水利局党组, team 县委第二巡察组) and unit B (青溪县林业局党组, team 县委第三巡察组)
each hold the fictional ledger of tests/conftest.py. In A, three tasks are handled by
`responsible_own`: `task` is open and basically done, `requested` waits for review, `closed`
is closed; `responsible_other` works in unit A but holds no task.
"""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import TEST_PASSWORD
from zhenggai.api.tokens import create_token

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # Playwright's sync API runs an event loop

ROLES = (
    "anonymous",
    "office",
    "supervisor",
    "team_own",
    "team_other",
    "unit_office_own",
    "unit_office_other",
    "responsible_own",
    "responsible_other",
)


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Pages link static files by name; the manifest storage needs collectstatic, tests do without it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def world(make_inspection, make_doc, make_user, make_team, office):
    from zhenggai.ledger.models import Result, ResultKind, Status, Task
    from zhenggai.ledger.services.closure import accept_closure, request_closure
    from zhenggai.ledger.services.progress import add_evidence
    from zhenggai.web.models import ImportDraft

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
        "unit_office_own": make_user("unit_office", unit=a.unit, username="unit_office_own"),
        "unit_office_other": make_user("unit_office", unit=b.unit, username="unit_office_other"),
        "responsible_own": make_user("responsible", unit=a.unit, username="responsible_own"),
        "responsible_other": make_user("responsible", unit=a.unit, username="responsible_other"),
    }
    owner = users["responsible_own"]
    tasks = list(Task.objects.filter(finding__inspection=a).order_by("pk"))
    task, requested, closed = tasks[1], tasks[2], tasks[3]
    for item, status in ((task, Status.BASICALLY), (requested, Status.BASICALLY), (closed, Status.BASICALLY)):
        Task.objects.filter(pk=item.pk).update(handler=owner, status=status)
        item.refresh_from_db()
    evidence = add_evidence(
        task,
        actor=owner,
        file=SimpleUploadedFile("巡河记录.pdf", b"%PDF-1.4 fictional", content_type="application/pdf"),
    )
    request_closure(requested, actor=owner, note="已完成整改")
    request_closure(closed, actor=owner, note="已完成整改")
    accept_closure(closed, actor=office)
    for item in (task, requested, closed):
        item.refresh_from_db()
    result = Result.objects.create(inspection=a, kind=ResultKind.RULE_REVISED, title="修订巡河制度", created_by=office)
    doc_draft = make_doc()
    doc_draft.inspection.unit = "青溪县农业农村局党组"
    draft = ImportDraft.objects.create(
        owner=office, round=a.round, filename="draft.json", source=b"{}", document=doc_draft.to_dict()
    )
    return {
        "a": a,
        "b": b,
        "users": users,
        "task": task,
        "requested": requested,
        "closed": closed,
        "task_b": Task.objects.filter(finding__inspection=b).order_by("pk").first(),
        "evidence": evidence,
        "result": result,
        "draft": draft,
        "person": users["responsible_other"],
        "committee": a.round.committee,
        "token": create_token(users["responsible_other"], name="报表系统")[0],
    }


@pytest.fixture
def login(client):
    """Log the test client in as a user (None stays anonymous); returns the client."""

    def as_user(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return as_user


@pytest.fixture
def password():
    return TEST_PASSWORD
