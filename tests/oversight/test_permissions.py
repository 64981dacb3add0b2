"""Every oversight URL × every role, GET and POST; and what each scoped role sees of the other unit.

Expected answers per role, in the order of `ROLES` in conftest.py:

    anonymous office supervisor team_own team_other unit_office_own unit_office_other responsible_own

"L" is a redirect to the login page; a number is the status code. A URL added to
zhenggai/oversight/urls.py without a row here fails `test_every_url_has_a_row`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import get_resolver, reverse

from tests.oversight.conftest import ROLES
from tests.support.headers import assert_security_headers

VIEW = "L 200 200 200 200 200 200 403"
VIEW_POST = "L 405 405 405 405 405 405 403"
MINE = "L 200 200 200 200 200 200 200"
MINE_POST = "L 405 405 405 405 405 405 405"
SETTINGS = "L 200 200 403 403 403 403 403"
SETTINGS_POST = "L 405 405 403 403 403 403 403"
MANAGE_GET = "L 405 403 403 403 403 403 403"
MANAGE_POST = "L 302 403 403 403 403 403 403"


@dataclass
class Row:
    kwargs: Callable[[dict], dict] = lambda w: {}
    get: str = VIEW
    post: str = VIEW_POST
    data: Callable[[dict], dict] = lambda w: {}


def _note(w):
    from zhenggai.oversight.models import Notification

    note = Notification.objects.create(
        recipient=w["users"]["responsible_own"],
        task=w["tasks"][0],
        light="red",
        day=w["today"],
        subject="提醒",
        body="-",
    )
    return {"pk": note.pk}


def _category(w):
    from zhenggai.oversight.models import Category

    return {"pk": Category.objects.order_by("pk").first().pk}


def _taxonomy(w):
    from zhenggai.oversight.models import Taxonomy

    return {"pk": Taxonomy.objects.filter(is_default=False).first().pk}


MATRIX: dict[str, Row] = {
    "overview": Row(),
    "overview_csv": Row(),
    "round": Row(lambda w: {"pk": w["round"].pk}),
    "round_csv": Row(lambda w: {"pk": w["round"].pk, "name": "units"}),
    "tasks": Row(),
    "tasks_csv": Row(),
    "common": Row(),
    "common_export": Row(lambda w: {"fmt": "xlsx"}),
    "repeats": Row(),
    "quality": Row(),
    "quality_csv": Row(),
    "inbox": Row(get=MINE, post=MINE_POST),
    "unread": Row(get=MINE, post=MINE_POST),
    "read": Row(_note, get=MINE_POST, post="L 404 404 404 404 404 404 302"),
    "read_all": Row(get=MINE_POST, post="L 302 302 302 302 302 302 302"),
    "taxonomies": Row(get=SETTINGS, post=SETTINGS_POST),
    "category_edit": Row(
        _category, get=MANAGE_GET, post=MANAGE_POST, data=lambda w: {"name": "政治建设", "keywords": "政治 决策"}
    ),
    "taxonomy_default": Row(_taxonomy, get=MANAGE_GET, post=MANAGE_POST),
    "reminders": Row(get=SETTINGS, post=SETTINGS_POST),
    "reminder_edit": Row(
        lambda w: {"pk": w["committee"].pk},
        get=MANAGE_GET,
        post=MANAGE_POST,
        data=lambda w: {"red_recipients": ["handler", "unit_head"], "repeat_days": "3"},
    ),
}


def test_every_url_has_a_row():
    names = {p.name for p in get_resolver("zhenggai.oversight.urls").url_patterns}
    assert names == set(MATRIX)


def _answer(response) -> str:
    assert_security_headers(response)
    if response.status_code == 302 and "/login/" in response["Location"]:
        return "L"
    return str(response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("method", ["get", "post"])
def test_matrix(name, method, world, login):
    row = MATRIX[name]
    w = {**world, "today": world["a"].feedback_date}
    expected = dict(zip(ROLES, getattr(row, method).split(), strict=True))
    got = {}
    for role in ROLES:
        sid = transaction.savepoint()
        try:
            client = login(w["users"][role])
            url = reverse(f"oversight:{name}", kwargs=row.kwargs(w))
            response = client.get(url) if method == "get" else client.post(url, row.data(w))
            got[role] = _answer(response)
        finally:
            transaction.savepoint_rollback(sid)
    assert got == expected


@pytest.mark.django_db
def test_scoped_roles_see_only_their_own_unit(world, login):
    a, b = world["a"].unit.name, world["b"].unit.name
    for role, visible, hidden in (("unit_office_own", a, b), ("team_other", b, a), ("unit_office_other", b, a)):
        client = login(world["users"][role])
        for name, kwargs in (("round", {"pk": world["round"].pk}), ("tasks", {}), ("quality", {})):
            html = client.get(reverse(f"oversight:{name}", kwargs=kwargs)).content.decode()
            assert visible in html, (role, name)
            assert hidden not in html, (role, name)


@pytest.mark.django_db
def test_a_round_outside_the_scope_is_not_found(world, login, make_round, make_inspection, make_doc):
    other = make_round(name="十五届县委第四轮巡察", number=4)
    doc = make_doc()
    doc.inspection.unit = "青溪县交通运输局党组"
    make_inspection(doc, round=other)
    client = login(world["users"]["unit_office_own"])
    assert client.get(reverse("oversight:round", args=[other.pk])).status_code == 404
    assert client.get(reverse("oversight:round_csv", args=[world["round"].pk, "nothing"])).status_code == 404
