"""The API's frame: the OpenAPI file, no documentation page pulling a CDN, JSON errors everywhere."""

import json

import pytest
from django.test import Client

from zhenggai.api.main import api


@pytest.mark.django_db
def test_openapi_is_served_and_describes_bearer_auth():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "整改系统 API"
    assert "/api/v1/tasks/{task_id}" in schema["paths"]
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


@pytest.mark.django_db
def test_no_docs_page_and_nothing_from_a_cdn():
    assert api.docs_url is None
    assert not [u for u in api.urls[0] if "docs" in str(u.pattern)]
    text = json.dumps(api.get_openapi_schema())
    assert "cdn" not in text.lower() and "unpkg" not in text.lower()


@pytest.mark.django_db
def test_unknown_ids_are_404_json(world):
    response = world.call("office", "GET", "/api/v1/tasks/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_malformed_input_is_422_with_errors(world):
    response = world.call("office", "PATCH", f"/api/v1/tasks/{world.tasks['open'].pk}", json_body={"deadline": "x"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request" and body["errors"]


@pytest.mark.django_db
def test_domain_validation_is_422_with_field_errors(world):
    response = world.call("unit_own", "POST", f"/api/v1/tasks/{world.tasks['open'].pk}/notes", json_body={"text": " "})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert response.json()["errors"] == {"text": ["请填写进展情况"]}


@pytest.mark.django_db
def test_workflow_refusal_is_409(world):
    # the task is closed: its status cannot be changed by hand
    task = world.tasks["closed"]
    response = world.call(
        "unit_own", "POST", f"/api/v1/tasks/{task.pk}/status", json_body={"version": task.version, "status": "正在推进"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
