"""An API world: two units' ledgers in two rounds of one committee, a user for every role with a token,
and tasks of unit A in every closure state, each handled by A's responsible person.

The findings text is the fictional 青溪县 ledger of `tests/conftest.py`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from zhenggai.api.tokens import create_token, revoke_token
from zhenggai.ledger.models import Result, ResultKind, Status, Task
from zhenggai.ledger.services.closure import accept_closure, request_closure
from zhenggai.ledger.services.progress import add_evidence
from zhenggai.ledger.workflow import transition
from zhenggai.reports.ledger_xlsx import ledger_workbook

ROLES = (
    "office",
    "supervisor",
    "team_own",
    "team_other",
    "unit_own",
    "unit_other",
    "resp_own",
    "resp_other",
    "anonymous",
    "revoked",
)


@dataclass
class World:
    a: Any
    b: Any
    users: dict[str, Any]
    tokens: dict[str, str]
    tasks: dict[str, Task]
    evidence: Any
    result: Any
    spare_user: Any
    objects: dict[str, Any] = field(default_factory=dict)

    def call(self, role: str, method: str, path: str, *, json_body: Any = None, **kwargs):
        """One request as `role` (by bearer token; none for anonymous) through the full middleware stack."""
        client = Client()
        headers = {}
        if role in self.tokens:
            headers["Authorization"] = f"Bearer {self.tokens[role]}"
        if json_body is not None:
            kwargs["data"] = json.dumps(json_body)
            kwargs["content_type"] = "application/json"
        return getattr(client, method.lower())(path, headers=headers, **kwargs)


def _task(inspection, title: str, position: int = 0) -> Task:
    return Task.objects.get(finding__inspection=inspection, finding__title=title, position=position)


@pytest.fixture
def world(make_inspection, make_doc, make_round, make_user, office) -> World:
    a = make_inspection()
    doc_b = make_doc()
    doc_b.inspection.unit, doc_b.inspection.team = "青溪县林业局党组", "县委第三巡察组"
    b = make_inspection(doc_b, round=make_round(name="十五届县委第四轮巡察", number=4))
    users = {
        "office": office,
        "supervisor": make_user("supervisor", username="supervisor"),
        "team_own": make_user("team", team=a.team, username="team_own"),
        "team_other": make_user("team", team=b.team, username="team_other"),
        "unit_own": make_user("unit_office", unit=a.unit, username="unit_own"),
        "unit_other": make_user("unit_office", unit=b.unit, username="unit_other"),
        "resp_own": make_user("responsible", unit=a.unit, username="resp_own"),
        "resp_other": make_user("responsible", unit=a.unit, username="resp_other"),
    }
    revoked_holder = make_user("office", username="revoked_office")
    tokens = {role: create_token(user, name="tests")[1] for role, user in users.items()}
    token, tokens["revoked"] = create_token(revoked_holder, name="old")
    revoke_token(token)

    # open: basically done, with evidence; requested: waiting for the office; closed: accepted.
    tasks = {
        "open": _task(a, "河道采砂监管存在空档。"),
        "requested": _task(a, "集体决策制度执行不严。", 0),
        "closed": _task(a, "集体决策制度执行不严。", 1),
        "other": _task(a, "防汛物资储备管理不规范。"),
    }
    for name, task in tasks.items():
        task.handler = users["resp_other" if name == "other" else "resp_own"]
        task.save()
    person = users["resp_own"]
    open_task = tasks["open"]
    transition(open_task, actor=person, to_status=Status.BASICALLY)
    evidence = add_evidence(open_task, actor=person, file=ContentFile(b"minutes of the meeting", name="纪要.txt"))
    request_closure(tasks["requested"], actor=person, note="已修订议事规则")
    request_closure(tasks["closed"], actor=person, note="已自查")
    accept_closure(tasks["closed"], actor=office)
    for task in tasks.values():
        task.refresh_from_db()
    result = Result.objects.create(
        inspection=a, kind=ResultKind.RULE_REVISED, title="修订《党组议事规则》", created_by=users["unit_own"]
    )
    spare = make_user("responsible", unit=a.unit, username="spare")
    new_doc = make_doc()
    new_doc.inspection.unit = "青溪县交通运输局党组"
    world = World(a, b, users, tokens, tasks, evidence, result, spare)
    world.objects["new_ledger_json"] = new_doc.to_json()
    world.objects["workbook"] = ledger_workbook(a, actor=office, as_of=a.feedback_date)
    return world
