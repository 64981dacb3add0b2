"""Every URL of the public side × every role, for GET and for POST.

Staff pages (namespace "publication"): rows give the expected answer per role in the order of ROLES
("L" is the login redirect). Each request runs in a savepoint that is rolled back.
Public pages (namespace "public"): the same answer for everyone, logged in or not — the public site
knows no users. A URL added to either urls.py without a row here fails `test_every_url_has_a_row`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse

from tests.public.conftest import ROLES, form_data
from tests.support.headers import assert_security_headers
from zhenggai.public.protect.challenge import new_challenge

World = dict[str, Any]


@dataclass
class Row:
    kwargs: Callable[[World], dict] = lambda w: {}
    get: str = ""
    post: str = ""
    data: Callable[[World], dict] = lambda w: {}


POST_ONLY = "L 405 405 405 405 405 405 405 405"
GET_ONLY = POST_ONLY
DECIDE_B = "L 302 403 404 403 404 403 404 404"  # the office decides on B's submission
OPINION_VIEW = "L 200 200 200 404 200 404 200 404"

STAFF: dict[str, Row] = {
    "overview": Row(get="L 200 200 200 200 200 200 403 403", post=GET_ONLY),
    "submit": Row(lambda w: {"pk": w["a"].pk}, get="L 200 403 403 404 200 404 404 404",
                  post="L 302 403 403 404 302 404 404 404",
                  data=lambda w: {"as_of": "2024-08-30", "correction_note": "补充联系电话"}),
    "revision": Row(lambda w: {"pk": w["revision"].pk}, get="L 200 200 200 404 200 404 404 404", post=GET_ONLY),
    "approve": Row(lambda w: {"pk": w["pending"].pk}, get=POST_ONLY, post=DECIDE_B),
    "return": Row(lambda w: {"pk": w["pending"].pk}, get=POST_ONLY, post=DECIDE_B,
                  data=lambda w: {"reason": "请补充整改成效"}),
    "refuse_exemption": Row(lambda w: {"pk": w["pending"].pk, "exemption": w["exemption_b"].pk}, get=POST_ONLY,
                            post=DECIDE_B, data=lambda w: {"note": "不属于不予公开范围"}),
    "withdraw": Row(lambda w: {"pk": w["report"].pk}, get=POST_ONLY, post="L 302 403 403 404 403 404 404 404",
                    data=lambda w: {"reason": "内容需要核实"}),
    "opinions": Row(get="L 200 200 200 200 200 200 200 200", post=GET_ONLY),
    "opinion": Row(lambda w: {"pk": w["handled"].pk}, get=OPINION_VIEW, post=GET_ONLY),
    "assign": Row(lambda w: {"pk": w["handled"].pk}, get=POST_ONLY, post="L 302 403 403 404 302 404 403 404",
                  data=lambda w: {"handler": w["users"]["responsible_other"].pk}),
    "reply": Row(lambda w: {"pk": w["handled"].pk}, get=POST_ONLY, post="L 302 403 403 404 302 404 302 404",
                 data=lambda w: {"reply": "已责成相关科室限期整改。"}),
    "close": Row(lambda w: {"pk": w["replied"].pk}, get=POST_ONLY, post="L 302 403 403 404 302 404 403 404"),
}  # fmt: skip

PUBLIC: dict[str, tuple[Callable[[World], dict], int, int]] = {
    # name: (kwargs, GET status, POST status)
    "home": (lambda w: {}, 200, 405),
    "reports": (lambda w: {}, 200, 405),
    "report": (lambda w: {"pk": w["report"].pk}, 200, 405),
    "print": (lambda w: {"pk": w["report"].pk}, 200, 405),
    "docx": (lambda w: {"pk": w["report"].pk}, 200, 405),
    "pdf": (lambda w: {"pk": w["report"].pk}, 200, 405),
    "report_opinion": (lambda w: {"pk": w["report"].pk}, 200, 200),
    "search": (lambda w: {}, 200, 405),
    "opinion": (lambda w: {}, 200, 200),
    "status": (lambda w: {}, 200, 400),
    "challenge": (lambda w: {}, 200, 405),  # GET with a form's token (?t=); without one 404
    "feed": (lambda w: {}, 200, 405),
}


def names(namespace: str) -> set[str]:
    return {pattern.name for pattern in get_resolver().namespace_dict[namespace][1].url_patterns}


def test_every_url_has_a_row():
    assert names("publication") == set(STAFF)
    assert names("public") == set(PUBLIC)


def outcome(response) -> str:
    assert_security_headers(response)
    if response.status_code == 302 and response["Location"].startswith("/login/"):
        return "L"
    return str(response.status_code)


@pytest.fixture
def everything(world, opinions):
    """B's submission withholds one problem on an exemption its unit proposed, for the office to refuse."""
    from zhenggai.public.models import Revision
    from zhenggai.reports.exemptions import propose_exemption, withheld_entries

    b = world["b"]
    finding = b.findings.filter(children__isnull=True).order_by("pk").first()
    exemption = propose_exemption(
        b, actor=world["users"]["unit_office_other"], ground="case", reason="案件正在核查", finding=finding
    )
    Revision.objects.filter(pk=world["pending"].pk).update(exemptions=withheld_entries(b))
    return {**world, **opinions, "exemption_b": exemption}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", sorted(STAFF))
def test_staff_matrix(client, everything, name, method):
    row = STAFF[name]
    url = reverse(f"publication:{name}", kwargs=row.kwargs(everything))
    seen = {}
    for role in ROLES:
        with transaction.atomic():
            client.logout()
            if everything["users"][role] is not None:
                client.force_login(everything["users"][role])
            response = client.get(url) if method == "GET" else client.post(url, row.data(everything))
            seen[role] = outcome(response)
            transaction.set_rollback(True)
    expected = dict(zip(ROLES, (row.get if method == "GET" else row.post).split(), strict=True))
    assert seen == expected


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_answer_everyone_alike(client, everything, name):
    """The same status for anonymous readers and every staff role, for GET and for an honest POST."""
    kwargs, get_status, post_status = PUBLIC[name]
    url = reverse(f"public:{name}", kwargs=kwargs(everything))
    for role in ROLES:
        with transaction.atomic():
            client.logout()
            if everything["users"][role] is not None:
                client.force_login(everything["users"][role])
            response = client.get(url, {"t": new_challenge().token} if name == "challenge" else {})
            if name == "pdf" and response.status_code == 503:
                pytest.skip("LibreOffice is not installed")
            assert response.status_code == get_status, (role, "GET")
            assert_security_headers(response, script_free=True)
            data = form_data(response.content.decode()) if name.endswith("opinion") else {}
            assert client.post(url, data).status_code == post_status, (role, "POST")
            transaction.set_rollback(True)


@pytest.mark.parametrize(
    "name,key", [("report", "report_b"), ("print", "report_b"), ("docx", "report_b"), ("report_opinion", "report_b")]
)
def test_unpublished_reports_are_not_found(client, everything, name, key):
    response = client.get(reverse(f"public:{name}", kwargs={"pk": everything[key].pk}))
    assert response.status_code == 404
    assert "未找到" in response.content.decode()


def test_public_forms_need_the_csrf_token(everything):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("public:opinion")).content.decode()
    assert client.post(reverse("public:opinion"), form_data(page)).status_code == 403
    assert client.post(reverse("public:status"), {"receipt": "ABCD"}).status_code == 403
