"""The API permission matrix: every operation of the OpenAPI description × every role → expected status.

The operations are enumerated from the schema, so a new endpoint without a row here fails
`test_every_operation_has_a_row`. Every refusal (403, 404 for something that exists) must leave a
denied Event naming the caller, the trace `zhenggai.ledger.access.require` keeps.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import ROLES
from zhenggai.api.main import api
from zhenggai.api.models import ApiToken
from zhenggai.ledger.models import Event

V1 = "/api/v1"
ALL_READ = "200 200 200 200 200 200 200 200 401 401"
OFFICE_ONLY = {"200": "200 403 403 403 403 403 403 403 401 401", "201": "201 403 403 403 403 403 403 403 401 401"}


def upload(name: str, data: bytes) -> dict:
    return {"data": {"file": SimpleUploadedFile(name, data)}}


# op → (request builder, expected statuses in the order of ROLES:
#       office supervisor team_own team_other unit_own unit_other resp_own resp_other anonymous revoked)
MATRIX = {
    "GET /rounds": (lambda w: ("/rounds", {}), ALL_READ),
    "POST /rounds": (
        lambda w: ("/rounds", {"json_body": {"committee_id": w.a.round.committee_id, "name": "第五轮", "year": 2025}}),
        OFFICE_ONLY["201"],
    ),
    "GET /rounds/{round_id}": (
        lambda w: (f"/rounds/{w.a.round_id}", {}),
        "200 200 200 404 200 404 200 200 401 401",
    ),
    "GET /inspections": (lambda w: ("/inspections", {}), ALL_READ),
    "GET /inspections/{inspection_id}": (
        lambda w: (f"/inspections/{w.a.pk}", {}),
        "200 200 200 404 200 404 200 200 401 401",
    ),
    "GET /inspections/{inspection_id}/tree": (
        lambda w: (f"/inspections/{w.a.pk}/tree", {}),
        "200 200 200 404 200 404 200 200 401 401",
    ),
    "GET /inspections/{inspection_id}/export": (
        lambda w: (f"/inspections/{w.a.pk}/export", {}),
        "200 200 200 404 200 404 403 403 401 401",
    ),
    "POST /findings/{finding_id}/status": (
        lambda w: (f"/findings/{w.tasks['open'].finding_id}/status", {"json_body": {"status": "基本完成"}}),
        "200 403 403 404 200 404 403 403 401 401",
    ),
    "GET /tasks": (lambda w: ("/tasks", {}), ALL_READ),
    "GET /tasks/{task_id}": (
        lambda w: (f"/tasks/{w.tasks['open'].pk}", {}),
        "200 200 200 404 200 404 200 404 401 401",
    ),
    "PATCH /tasks/{task_id}": (
        lambda w: (
            f"/tasks/{w.tasks['open'].pk}",
            {"json_body": {"version": w.tasks["open"].version, "department": "办公室"}},
        ),
        "200 403 403 404 200 404 403 404 401 401",
    ),
    "POST /tasks/{task_id}/status": (
        lambda w: (
            f"/tasks/{w.tasks['open'].pk}/status",
            {"json_body": {"version": w.tasks["open"].version, "status": "正在推进"}},
        ),
        "200 403 403 404 200 404 200 404 401 401",
    ),
    "POST /tasks/{task_id}/notes": (
        lambda w: (f"/tasks/{w.tasks['open'].pk}/notes", {"json_body": {"text": "已召开专题会议"}}),
        "201 403 403 404 201 404 201 404 401 401",
    ),
    "POST /tasks/{task_id}/evidence": (
        lambda w: (f"/tasks/{w.tasks['open'].pk}/evidence", upload("通知.txt", b"notice text")),
        "201 403 403 404 201 404 201 404 401 401",
    ),
    "GET /evidence/{evidence_id}/download": (
        lambda w: (f"/evidence/{w.evidence.pk}/download", {}),
        "200 200 200 404 200 404 200 404 401 401",
    ),
    "POST /tasks/{task_id}/closure/request": (
        lambda w: (
            f"/tasks/{w.tasks['open'].pk}/closure/request",
            {"json_body": {"note": "已完成", "evidence": [w.evidence.pk]}},
        ),
        "403 403 403 404 200 404 200 404 401 401",
    ),
    "POST /tasks/{task_id}/closure/accept": (
        lambda w: (f"/tasks/{w.tasks['requested'].pk}/closure/accept", {"json_body": {}}),
        "200 403 403 404 403 404 403 404 401 401",
    ),
    "POST /tasks/{task_id}/closure/return": (
        lambda w: (f"/tasks/{w.tasks['requested'].pk}/closure/return", {"json_body": {"reason": "佐证不足"}}),
        "200 403 403 404 403 404 403 404 401 401",
    ),
    "POST /tasks/{task_id}/closure/reopen": (
        lambda w: (f"/tasks/{w.tasks['closed'].pk}/closure/reopen", {"json_body": {"reason": "问题反弹"}}),
        "200 403 403 404 403 404 403 404 401 401",
    ),
    "GET /inspections/{inspection_id}/results": (
        lambda w: (f"/inspections/{w.a.pk}/results", {}),
        "200 200 200 404 200 404 200 200 401 401",
    ),
    "POST /inspections/{inspection_id}/results": (
        lambda w: (
            f"/inspections/{w.a.pk}/results",
            {"json_body": {"kind": "accountability", "title": "问责处理", "count": 2}},
        ),
        "201 403 403 404 201 404 403 403 401 401",
    ),
    "DELETE /results/{result_id}": (
        lambda w: (f"/results/{w.result.pk}", {}),
        "204 403 403 404 204 404 403 403 401 401",
    ),
    "POST /imports": (
        lambda w: (
            "/imports",
            {
                "data": {
                    "file": SimpleUploadedFile("ledger.json", w.objects["new_ledger_json"].encode()),
                    "round_id": w.a.round_id,
                }
            },
        ),
        OFFICE_ONLY["201"],
    ),
    "POST /imports/preview": (
        lambda w: (
            "/imports/preview",
            {"data": {"file": SimpleUploadedFile("l.json", w.objects["new_ledger_json"].encode())}},
        ),
        OFFICE_ONLY["200"],
    ),
    "GET /inspections/{inspection_id}/workbook": (
        lambda w: (f"/inspections/{w.a.pk}/workbook", {}),
        "200 200 200 404 200 404 403 403 401 401",
    ),
    "POST /inspections/{inspection_id}/workbook": (
        lambda w: (f"/inspections/{w.a.pk}/workbook", upload("台账.xlsx", w.objects["workbook"])),
        "200 403 403 404 200 404 403 403 401 401",
    ),
    "GET /me": (lambda w: ("/me", {}), ALL_READ),
    "GET /users": (lambda w: ("/users", {}), OFFICE_ONLY["200"]),
    "POST /users": (
        lambda w: (
            "/users",
            {"json_body": {"username": "newbie", "password": "青溪-new-password-1", "role": "supervisor"}},
        ),
        OFFICE_ONLY["201"],
    ),
    "PUT /users/{user_id}/role": (
        lambda w: (f"/users/{w.spare_user.pk}/role", {"json_body": {"role": "unit_office", "unit_id": w.a.unit_id}}),
        OFFICE_ONLY["200"],
    ),
    "POST /users/{user_id}/password": (
        lambda w: (f"/users/{w.spare_user.pk}/password", {"json_body": {"password": "青溪-reset-password-2"}}),
        "204 403 403 403 403 403 403 403 401 401",
    ),
    "POST /users/{user_id}/deactivate": (
        lambda w: (f"/users/{w.spare_user.pk}/deactivate", {"json_body": {}}),
        OFFICE_ONLY["200"],
    ),
    "POST /users/{user_id}/reactivate": (
        lambda w: (f"/users/{w.spare_user.pk}/reactivate", {"json_body": {}}),
        OFFICE_ONLY["200"],
    ),
    "GET /me/tokens": (lambda w: ("/me/tokens", {}), ALL_READ),
    "GET /users/{user_id}/tokens": (
        lambda w: (f"/users/{w.users['resp_own'].pk}/tokens", {}),
        "200 403 403 403 403 403 200 403 401 401",
    ),
    "POST /tokens/{token_id}/revoke": (
        lambda w: (f"/tokens/{ApiToken.objects.get(user=w.users['resp_own']).pk}/revoke", {"json_body": {}}),
        "200 403 403 403 403 403 200 403 401 401",
    ),
    "GET /committees": (lambda w: ("/committees", {}), ALL_READ),
    "POST /committees": (
        lambda w: ("/committees", {"json_body": {"name": "白石市委", "level": "city"}}),
        OFFICE_ONLY["201"],
    ),
    "PATCH /committees/{committee_id}": (
        lambda w: (f"/committees/{w.a.round.committee_id}", {"json_body": {"green_days": 15}}),
        OFFICE_ONLY["200"],
    ),
    "GET /units": (lambda w: ("/units", {}), ALL_READ),
    "POST /units": (
        lambda w: ("/units", {"json_body": {"committee_id": w.a.round.committee_id, "name": "青溪县统计局党组"}}),
        OFFICE_ONLY["201"],
    ),
    "PATCH /units/{unit_id}": (
        lambda w: (f"/units/{w.a.unit_id}", {"json_body": {"name": "青溪县水务局党组"}}),
        OFFICE_ONLY["200"],
    ),
    "PATCH /teams/{team_id}": (
        lambda w: (f"/teams/{w.a.team_id}", {"json_body": {"name": "县委第八巡察组"}}),
        OFFICE_ONLY["200"],
    ),
    "GET /teams": (lambda w: ("/teams", {}), ALL_READ),
    "POST /teams": (
        lambda w: ("/teams", {"json_body": {"committee_id": w.a.round.committee_id, "name": "县委第九巡察组"}}),
        OFFICE_ONLY["201"],
    ),
}


def schema_operations() -> set[str]:
    paths = api.get_openapi_schema(path_prefix="")["paths"]
    return {f"{method.upper()} {path}" for path, ops in paths.items() for method in ops}


def test_every_operation_has_a_row():
    assert schema_operations() == set(MATRIX)


def test_operation_ids_are_unique():
    paths = api.get_openapi_schema(path_prefix="")["paths"]
    ids = [op["operationId"] for ops in paths.values() for op in ops.values()]
    assert len(ids) == len(set(ids))


CASES = [
    pytest.param(op, role, int(expected.split()[i]), id=f"{op} as {role}")
    for op, (_, expected) in MATRIX.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("op", "role", "status"), CASES)
def test_permission_matrix(world, op, role, status):
    build, _ = MATRIX[op]
    method = op.split()[0]
    path, kwargs = build(world)
    denied_before = Event.objects.filter(action="denied").count()
    response = world.call(role, method, V1 + path, **kwargs)
    assert response.status_code == status, response.content.decode()[:500]
    if status >= 400:
        body = response.json()
        assert set(body) >= {"detail", "code"} and body["detail"]
    if status in (403, 404):
        user = world.users[role]
        assert Event.objects.filter(action="denied", actor=user).count() > 0
        assert Event.objects.filter(action="denied").count() > denied_before
