"""Schemathesis over /api/v1/openapi.json, in process (the WSGI app, no socket), as several roles and
anonymously: no answer is a 5xx, and every documented answer matches its schema and content type.

Each operation gets a bounded number of generated requests, valid and invalid (negative mode: numbers
past their bounds, wrong types, text with NUL); every request runs in a savepoint rolled back after
it, so a generated "deactivate user 1" does not change the world for the next one.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup, ServerError
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.support.fuzz import SHARP

pytestmark = pytest.mark.django_db
SCHEMA = "/api/v1/openapi.json"
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# examples per operation and generation mode: office sees every operation's real work, the others mostly refusals
EXAMPLES = {"office": 3, "unit_own": 1, "anonymous": 1}


@pytest.fixture
def app():
    """Django's WSGI handler on the test's own connection: the handler would otherwise close it after each
    request (Django's test client disconnects the same signal)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def fuzz(app, operations, headers: dict[str, str], examples: int) -> int:
    """Run each operation's generated cases through `app`; returns how many requests were sent."""
    sent = [0]

    def send(case) -> None:
        with transaction.atomic():
            try:
                case.call_and_validate(app=app, headers=headers, checks=CHECKS)
            finally:
                sent[0] += 1
                transaction.set_rollback(True)

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            bounded = settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,  # the same requests on every run and both databases
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            bounded(given(case=operation.as_strategy(generation_mode=mode))(send))()
    return sent[0]


def operations_of(app, location: str = SCHEMA):
    schema = schemathesis.openapi.from_wsgi(location, app)
    return [result.ok() for result in schema.get_all_operations()]


def test_no_api_operation_answers_with_a_server_error_or_off_its_schema(world, app):
    started = time.monotonic()
    operations = operations_of(app)
    assert len(operations) > 30
    sent = 0
    for role, examples in EXAMPLES.items():
        headers = {"Authorization": f"Bearer {world.tokens[role]}"} if role in world.tokens else {}
        sent += fuzz(app, operations, headers, examples)
    print(f"schemathesis: {sent} requests over {len(operations)} operations in {time.monotonic() - started:.1f} s")


def test_the_run_fails_on_a_server_error(app, settings):
    """The run can fail: an operation that divides by a number it was given is caught."""
    settings.ROOT_URLCONF = "tests.api.careless_api"
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    with pytest.raises(FailureGroup) as caught:
        fuzz(app, operations_of(app, "/careless/openapi.json"), {}, 20)
    assert any(isinstance(failure, ServerError) for failure in caught.value.exceptions)


def test_every_api_parameter_refuses_hostile_values(world):
    """Generated examples rarely hit a number past bigint; this walk sends the page fuzz's sharpest values
    in every query and path parameter the OpenAPI names, as the office (who reaches every operation)."""
    from django.test import Client

    spec = Client().get(SCHEMA).json()
    failures, sent = [], 0
    for template, methods in spec["paths"].items():
        for method, operation in methods.items():
            params = [p for p in operation.get("parameters", []) if p["in"] in ("query", "path")]
            for param in params:
                for value in (*SHARP, "9223372036854775808", "-1", "1.5"):
                    path, query = template, {}
                    for other in params:
                        if other["in"] == "path":
                            path = path.replace("{" + other["name"] + "}", value if other is param else "1")
                    if param["in"] == "query":
                        query[param["name"]] = value
                    sent += 1
                    if method == "get":
                        response = world.call("office", "GET", path, data=query)
                    else:
                        response = world.call("office", method.upper(), path + "?" + urlencode(query), json_body={})
                    if response.status_code >= 500:
                        failures.append(f"{response.status_code} {method.upper()} {path} {query!r}")
    assert sent > 100
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/tasks/99999999999999999999999", {}),
        ("/api/v1/tasks/9223372036854775808", {}),
        ("/api/v1/tasks/0", {}),
        ("/api/v1/tasks", {"unit": "99999999999999999999999"}),
        ("/api/v1/tasks", {"unit": "²"}),
        ("/api/v1/tasks", {"offset": "99999999999999999999999"}),
        ("/api/v1/inspections", {"round": "-1"}),
        ("/api/v1/users", {"team": "9223372036854775808"}),
        ("/api/v1/tasks", {"department": "a\x00b"}),
    ],
)
def test_a_number_past_its_column_is_a_422_in_chinese(world, path, query):
    response = world.call("office", "GET", path, data=query)
    assert response.status_code == 422, response.content
    assert response.json()["detail"] == "请求内容不符合接口要求"


def test_a_body_number_past_its_column_is_a_422(world):
    task = world.tasks["open"]
    for body in ({"version": 2**31}, {"version": task.version, "handler_id": 2**63}):
        response = world.call("office", "PATCH", f"/api/v1/tasks/{task.pk}", json_body=body)
        assert response.status_code == 422, response.content
    response = world.call(
        "office", "POST", "/api/v1/rounds", json_body={"committee_id": 1, "name": "x", "year": 99999999}
    )
    assert response.status_code == 422
    response = world.call("office", "POST", f"/api/v1/tasks/{task.pk}/notes", json_body={"text": "进展\x00"})
    assert response.status_code == 422
    assert "空字符" in response.content.decode()
