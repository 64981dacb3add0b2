"""The API's URL fields refuse hostile links (the attack table of tests/support/hostile_links.py) with a 422
that names the field, and store nothing. tests/web/test_links.py checks that this list of fields is complete."""

from __future__ import annotations

import pytest

from tests.support.hostile_links import HOSTILE
from zhenggai.ledger.models import Result


@pytest.mark.parametrize("link", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_api_refuses_hostile_links(world, link):
    before = Result.objects.count()
    response = world.call(
        "unit_own",
        "POST",
        f"/api/v1/inspections/{world.a.pk}/results",
        json_body={"kind": "rule_new", "title": "修订巡河制度", "document_link": link},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request"
    assert any(error["loc"][-1] == "document_link" and "链接" in error["msg"] for error in body["errors"])
    assert Result.objects.count() == before
