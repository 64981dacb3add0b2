"""The permission matrix: every URL of the web app × every role, for GET and for POST.

Each row gives the expected answer per role, in the order of `ROLES` in conftest.py:

    anonymous office supervisor team_own team_other unit_office_own unit_office_other responsible_own responsible_other

"L" means a redirect to the login page; a number is the status code. POSTs send valid data, so an
allowed action answers with its success (usually 302) and a refused one with 403 (action not
allowed) or 404 (object out of sight). Every role's request runs inside a savepoint that is rolled
back, so each one meets the world as the fixture built it.

A URL added to zhenggai/web/urls.py without a row here fails `test_every_url_has_a_row`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import get_resolver, reverse

from tests.conftest import TEST_PASSWORD
from tests.support.headers import assert_security_headers
from tests.web.conftest import ROLES
from zhenggai.ledger.models import Event

World = dict[str, Any]


@dataclass
class Row:
    kwargs: Callable[[World], dict] = lambda w: {}
    get: str = ""
    post: str = ""
    data: Callable[[World], dict] = lambda w: {}
    query: str = ""


def version(key: str) -> Callable[[World], dict]:
    return lambda w: {"version": w[key].version}


def _upload(name: str = "台账.txt", content: bytes = b"fictional evidence") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def _report() -> SimpleUploadedFile:
    from zhenggai.fiction import generate_report, to_text

    return SimpleUploadedFile("report.txt", to_text(generate_report(3)).encode("utf-8"), content_type="text/plain")


OFFICE_ONLY_GET = "L 200 403 403 403 403 403 403 403"
OFFICE_ONLY_POST = "L 302 403 403 403 403 403 403 403"
POST_ONLY = "L 405 405 405 405 405 405 405 405"
GET_ONLY = POST_ONLY
# Task-level writes on unit A's open task (responsible_own holds it).
TASK_EDIT = "L 302 403 403 404 302 404 302 404"
TASK_VIEW = "L 200 200 200 404 200 404 200 404"
# The office's closure decisions on unit A's tasks.
DECIDE = "L 302 403 403 404 403 404 403 404"

MATRIX: dict[str, Row] = {
    "login": Row(get="200 302 302 302 302 302 302 302 302", post="200 302 302 302 302 302 302 302 302",
                 data=lambda w: {"username": "nobody", "password": "wrong"}),
    "logout": Row(get="405 405 405 405 405 405 405 405 405", post="L L L L L L L L L"),
    "home": Row(get="L 302 302 302 302 302 302 302 302", post=GET_ONLY),
    "rounds": Row(get="L 200 200 200 200 200 200 200 200", post=GET_ONLY),
    "round": Row(lambda w: {"pk": w["a"].round_id}, get="L 200 200 200 200 200 200 200 404", post=GET_ONLY),
    "inspection": Row(lambda w: {"pk": w["a"].pk}, get=TASK_VIEW, post=GET_ONLY),
    "export": Row(lambda w: {"pk": w["a"].pk}, get="L 200 200 200 404 200 404 403 404", post=GET_ONLY),
    "result_add": Row(lambda w: {"pk": w["a"].pk}, get=POST_ONLY, post="L 302 403 403 404 302 404 403 404",
                      data=lambda w: {"kind": "meeting", "title": "召开专题民主生活会"}),
    "result_delete": Row(lambda w: {"pk": w["result"].pk}, get=POST_ONLY, post="L 302 403 403 404 302 404 403 404"),
    "task": Row(lambda w: {"pk": w["task"].pk}, get=TASK_VIEW, post=GET_ONLY),
    "task_assign": Row(lambda w: {"pk": w["task"].pk}, get=POST_ONLY, post="L 302 403 403 404 302 404 403 404",
                       data=lambda w: {"version": w["task"].version, "responsible_leader": "分管副局长",
                                       "department": "河湖科", "deadline": "2024-08-20", "kind": "rules"}),
    "task_status": Row(lambda w: {"pk": w["task"].pk}, get=POST_ONLY, post=TASK_EDIT,
                       data=lambda w: {"version": w["task"].version, "status": "正在推进"}),
    "task_note": Row(lambda w: {"pk": w["task"].pk}, get=POST_ONLY, post=TASK_EDIT,
                     data=lambda w: {"text": "已完成第一批河段的巡河记录检查。"}),
    "task_evidence": Row(lambda w: {"pk": w["task"].pk}, get=POST_ONLY, post=TASK_EDIT,
                         data=lambda w: {"file": _upload()}),
    "closure_request": Row(lambda w: {"pk": w["task"].pk}, get=POST_ONLY, post="L 403 403 403 404 302 404 302 404",
                           data=lambda w: {"version": w["task"].version, "note": "已完成", "evidence": [w["evidence"].pk]}),
    "closure_accept": Row(lambda w: {"pk": w["requested"].pk}, get=POST_ONLY, post=DECIDE, data=version("requested")),
    "closure_return": Row(lambda w: {"pk": w["requested"].pk}, get=POST_ONLY, post=DECIDE,
                          data=lambda w: {"return-version": w["requested"].version, "return-reason": "佐证材料不足"}),
    "closure_reopen": Row(lambda w: {"pk": w["closed"].pk}, get=POST_ONLY, post=DECIDE,
                          data=lambda w: {"reopen-version": w["closed"].version, "reopen-reason": "问题反弹"}),
    "evidence": Row(lambda w: {"pk": w["evidence"].pk}, get=TASK_VIEW, post=GET_ONLY),
    "finding_pin": Row(lambda w: {"pk": w["task"].finding_id}, get=POST_ONLY, post="L 302 403 403 404 302 404 403 404",
                       data=lambda w: {"status": "基本完成", "task": w["task"].pk}),
    "my_tasks": Row(get="L 200 200 200 200 200 200 200 200", post=GET_ONLY),
    "import": Row(get=OFFICE_ONLY_GET, post=OFFICE_ONLY_POST, data=lambda w: {"file": _report(), "round": w["a"].round_id}),
    "import_preview": Row(lambda w: {"pk": w["draft"].pk}, get=OFFICE_ONLY_GET, post=GET_ONLY),
    "import_fields": Row(lambda w: {"pk": w["draft"].pk}, get=POST_ONLY, post=OFFICE_ONLY_POST,
                         data=lambda w: {"unit": "青溪县农业农村局党组", "feedback_date": "2024-06-01"}),
    "import_node": Row(lambda w: {"pk": w["draft"].pk}, get="L 302 403 403 403 403 403 403 403", post=OFFICE_ONLY_POST,
                       query="?path=0", data=lambda w: {"path": "0.0", "text": "河湖长制落实不扎实，责任未压实"}),
    "import_confirm": Row(lambda w: {"pk": w["draft"].pk}, get=POST_ONLY, post=OFFICE_ONLY_POST),
    "import_discard": Row(lambda w: {"pk": w["draft"].pk}, get=POST_ONLY, post=OFFICE_ONLY_POST),
    "manage_users": Row(get=OFFICE_ONLY_GET, post=OFFICE_ONLY_POST,
                        data=lambda w: {"username": "newcomer", "display_name": "新同事", "password": "青溪-新密码-2024",
                                        "role": "supervisor"}),
    "manage_user": Row(lambda w: {"pk": w["person"].pk}, get=OFFICE_ONLY_GET, post=GET_ONLY),
    "manage_user_role": Row(lambda w: {"pk": w["person"].pk}, get=POST_ONLY, post=OFFICE_ONLY_POST,
                            data=lambda w: {"role": "unit_office", "unit": w["a"].unit_id}),
    "manage_user_password": Row(lambda w: {"pk": w["person"].pk}, get=POST_ONLY, post=OFFICE_ONLY_POST,
                                data=lambda w: {"password": "青溪-重置密码-2024", "password2": "青溪-重置密码-2024"}),
    "manage_user_deactivate": Row(lambda w: {"pk": w["person"].pk}, get=POST_ONLY, post=OFFICE_ONLY_POST),
    "manage_unit_rename": Row(lambda w: {"pk": w["a"].unit_id}, get=POST_ONLY, post=OFFICE_ONLY_POST,
                              data=lambda w: {"name": "青溪县水务局党组"}),
    "manage_team_rename": Row(lambda w: {"pk": w["a"].team_id}, get=POST_ONLY, post=OFFICE_ONLY_POST,
                              data=lambda w: {"name": "县委第八巡察组"}),
    "manage_user_reactivate": Row(lambda w: {"pk": w["person"].pk}, get=POST_ONLY, post=OFFICE_ONLY_POST),
    # a user's API tokens: the office, and the owner (responsible_other) through their own page too
    "manage_user_tokens": Row(lambda w: {"pk": w["person"].pk}, get="L 200 403 403 403 403 403 403 200", post=GET_ONLY),
    "account_tokens": Row(get="L 200 200 200 200 200 200 200 200", post=GET_ONLY),
    "account_password": Row(get="L 200 200 200 200 200 200 200 200", post="L 302 302 302 302 302 302 302 302",
                            data=lambda w: {"old_password": TEST_PASSWORD, "password": "青溪-新的密码-2025",
                                            "password2": "青溪-新的密码-2025"}),
    "token_revoke": Row(lambda w: {"pk": w["token"].pk}, get=POST_ONLY, post="L 302 403 403 403 403 403 403 302"),
    "manage_units": Row(get=OFFICE_ONLY_GET, post=OFFICE_ONLY_POST,
                        data=lambda w: {"committee": w["committee"].pk, "name": "青溪县文旅局党组", "kind": "department"}),
    "manage_teams": Row(get=OFFICE_ONLY_GET, post=OFFICE_ONLY_POST,
                        data=lambda w: {"committee": w["committee"].pk, "name": "县委第五巡察组"}),
    "manage_committees": Row(get=OFFICE_ONLY_GET, post=OFFICE_ONLY_POST,
                             data=lambda w: {"name": "白石市委", "level": "city", "plan_due_days": 30, "concentrated_months": 6,
                                             "report_due_months": 3, "green_days": 20, "yellow_days": 10}),
    "manage_committee": Row(lambda w: {"pk": w["committee"].pk}, get=OFFICE_ONLY_GET, post=OFFICE_ONLY_POST,
                            data=lambda w: {"plan_due_days": 15, "concentrated_months": 2, "report_due_months": 2,
                                            "green_days": 15, "yellow_days": 5}),
    "manage_rounds": Row(get=OFFICE_ONLY_GET, post=OFFICE_ONLY_POST,
                         data=lambda w: {"committee": w["committee"].pk, "name": "十五届县委第四轮巡察", "year": 2024, "number": 4}),
}  # fmt: skip


def web_url_names() -> set[str]:
    namespace = get_resolver().namespace_dict["web"][1]
    return {pattern.name for pattern in namespace.url_patterns}


def test_every_url_has_a_row():
    assert web_url_names() == set(MATRIX)


def outcome(response) -> str:
    assert_security_headers(response)
    if response.status_code == 302 and response["Location"].startswith("/login/"):
        return "L"
    return str(response.status_code)


def _run(client, world: World, name: str, method: str) -> dict[str, str]:
    row = MATRIX[name]
    url = reverse(f"web:{name}", kwargs=row.kwargs(world)) + row.query
    seen = {}
    for role in ROLES:
        with transaction.atomic():
            client.logout()
            if world["users"][role] is not None:
                client.force_login(world["users"][role])
            response = client.get(url) if method == "GET" else client.post(url, row.data(world))
            seen[role] = outcome(response)
            transaction.set_rollback(True)
    return seen


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(client, world, name, method):
    expected = dict(zip(ROLES, (MATRIX[name].get if method == "GET" else MATRIX[name].post).split(), strict=True))
    assert _run(client, world, name, method) == expected


# --- a unit office reaching into another unit's ledger by URL: refused, and the refusal is logged ---


@dataclass
class Attempt:
    name: str
    key: str
    method: str = "GET"
    data: Callable[[World], dict] = field(default=lambda w: {})


ATTEMPTS = [
    Attempt("inspection", "a"),
    Attempt("export", "a"),
    Attempt("task", "task"),
    Attempt("evidence", "evidence"),
    Attempt("task_assign", "task", "POST", lambda w: {"version": w["task"].version, "department": "外单位"}),
    Attempt("task_note", "task", "POST", lambda w: {"text": "越权记录"}),
    Attempt("closure_request", "task", "POST", lambda w: {"version": w["task"].version, "note": "越权申请"}),
    Attempt("result_delete", "result", "POST"),
]


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda a: f"{a.method}-{a.name}")
def test_another_units_ledger_is_refused_and_logged(client, world, caplog, attempt):
    intruder = world["users"]["unit_office_other"]
    client.force_login(intruder)
    target = world[attempt.key]
    url = reverse(f"web:{attempt.name}", kwargs={"pk": target.pk})
    before = world["task"].version
    with caplog.at_level(logging.WARNING, logger="zhenggai.security"):
        response = client.get(url) if attempt.method == "GET" else client.post(url, attempt.data(world))
    assert response.status_code == 404
    assert "未找到" in response.content.decode()
    denied = Event.objects.filter(action="denied", actor=intruder, inspection=world["a"])
    assert denied.count() == 1
    assert any(f"user={intruder.username}" in r.getMessage() for r in caplog.records if r.name == "zhenggai.security")
    world["task"].refresh_from_db()
    assert world["task"].version == before
    assert not Event.objects.filter(actor=intruder).exclude(action="denied").exists()


def test_a_refused_action_answers_with_a_chinese_page(client, world):
    client.force_login(world["users"]["supervisor"])
    response = client.post(reverse("web:task_assign", kwargs={"pk": world["task"].pk}), {"version": 1})
    assert response.status_code == 403
    assert "您没有权限进行此操作" in response.content.decode()
    assert Event.objects.filter(action="denied", actor=world["users"]["supervisor"]).exists()
