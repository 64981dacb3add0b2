"""Fixtures of the public side: two units' ledgers in one round, a user for every role, and helpers
to publish a report and to answer the opinion form's challenge. The page holds no answer (a person
reads it from the picture), so the tests ask the server's own `sum_for` with the page's token.

Unit A (青溪县水利局党组, team 县委第二巡察组) gets a published report; unit B (青溪县林业局党组,
team 县委第三巡察组) has a submission waiting for the office. Ledger-only facts — a handler's name,
departments, progress notes — are planted in A's ledger so the crawl can look for them.
"""

from __future__ import annotations

import os
import re

import pytest

from tests.web.conftest import ROLES

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # Playwright's sync API runs an event loop

__all__ = ["ROLES"]

SECRETS = {
    "handler": "欧阳秘办",  # display name of the person handling a task
    "department": "河湖秘密科",
    "leader": "分管秘密副局长",
    "note": "进展秘密记录甲乙丙",
    "exempt": "河道采砂监管存在空档",  # the finding left out of the public version
    "draft": "待审核草稿专用语句",  # only in B's submission, never approved
}


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Pages link static files by name; the manifest storage needs collectstatic, tests do without it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_search_index(request):
    """Transactional tests flush the tables but not the search index the database keeps beside them."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        from django.db import connection

        from zhenggai.public.search import index

        module = index.backend()
        if module is not None:
            with connection.cursor() as cursor:
                module.clear(cursor)
    yield


def answer(html: str) -> str:
    """The answer to the challenge of a page, known from its token with the server's key (tests only)."""
    return solve(token(html))


def solve(challenge_token: str) -> str:
    from zhenggai.public.protect.challenge import sum_for

    return str(sum_for(challenge_token).answer)


def token(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found, "no challenge token in the page"
    return found[1]


def form_data(html: str, **fields) -> dict:
    """What a person sends from the opinion form in `html`."""
    return {"kind": "suggestion", "text": "请加快整改进度。", "contact": "", "website": "", **fields} | {
        "token": token(html),
        "answer": fields.get("answer", answer(html)),
    }


@pytest.fixture
def world(make_inspection, make_doc, make_user, office):
    from zhenggai.ledger.models import ProgressNote, Task
    from zhenggai.public.services.decide import approve
    from zhenggai.public.services.submit import submit_public_version

    a = make_inspection()
    doc_b = make_doc()
    doc_b.inspection.unit, doc_b.inspection.team = "青溪县林业局党组", "县委第三巡察组"
    doc_b.findings[0].children[1].title = SECRETS["draft"]
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
    person = users["responsible_own"]
    person.display_name = SECRETS["handler"]
    person.save(update_fields=["display_name"])
    task = Task.objects.filter(finding__inspection=a).order_by("pk").first()
    Task.objects.filter(pk=task.pk).update(
        handler=person, department=SECRETS["department"], responsible_leader=SECRETS["leader"]
    )
    ProgressNote.objects.create(task=task, author=person, text=SECRETS["note"])
    exempt = a.findings.get(title__startswith=SECRETS["exempt"])
    path = _path_of(exempt)
    revision = submit_public_version(a, actor=users["unit_office_own"], exempt=[path])
    approve(revision, actor=office)
    pending = submit_public_version(b, actor=users["unit_office_other"])
    return {
        "a": a,
        "b": b,
        "users": users,
        "report": revision.report,
        "revision": revision,
        "pending": pending,
        "report_b": pending.report,
        "committee": a.round.committee,
    }


def _path_of(finding) -> list[int]:
    path = []
    node = finding
    while node is not None:
        siblings = list(
            type(node).objects.filter(inspection_id=node.inspection_id, parent_id=node.parent_id).order_by("position")
        )
        path.insert(0, [s.pk for s in siblings].index(node.pk))
        node = node.parent
    return path


@pytest.fixture
def login(client):
    def as_user(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return as_user


@pytest.fixture
def opinions(world):
    """Three opinions: on A's report, handled by responsible_own; on A's report, replied; a general one."""
    from zhenggai.public.models import Opinion
    from zhenggai.public.protect.receipt import new_receipt

    report, users = world["report"], world["users"]

    def make(**fields):
        return Opinion.objects.create(receipt=new_receipt(), **fields)

    handled = make(
        report=report,
        unit=report.unit,
        text="食堂账目仍未公开。",
        state=Opinion.State.HANDLING,
        handler=users["responsible_own"],
    )
    replied = make(
        report=report,
        unit=report.unit,
        text="巡河记录仍有缺失。",
        kind=Opinion.Kind.NOT_RECTIFIED,
        state=Opinion.State.REPLIED,
        handler=users["responsible_own"],
        reply="已核实并补齐记录。",
        reply_org="青溪县水利局党组",
    )
    general = make(text="建议公开更多整改成效。")
    return {"handled": handled, "replied": replied, "general": general}
