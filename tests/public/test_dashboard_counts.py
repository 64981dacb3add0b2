"""Opinion counts feed the oversight dashboard: by state, within what each role may see, and every linked
number leads to an opinion list of exactly that many."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from zhenggai.public.models import Opinion
from zhenggai.public.protect.receipt import new_receipt

pytestmark = pytest.mark.django_db
CARD = re.compile(r'<li data-col="opinion-(\w+)">(?:<a href="([^"]+)">)?<b>(\d+)</b>')


def cards(html: str) -> dict[str, tuple[int, str | None]]:
    return {key: (int(n), link.replace("&amp;", "&") or None) for key, link, n in CARD.findall(html)}


@pytest.fixture
def more(world, opinions):
    """Besides the fixture's three (A: handling, A: replied and not rectified, a general one): A received, A closed."""
    report = world["report"]
    for state in (Opinion.State.RECEIVED, Opinion.State.CLOSED):
        Opinion.objects.create(
            receipt=new_receipt(), report=report, unit=report.unit, text="公示栏未更新。", state=state
        )
    return opinions


def test_the_office_sees_every_opinion_by_state_and_each_number_opens_its_list(login, world, more):
    client = login(world["users"]["office"])
    found = cards(client.get(reverse("oversight:overview")).content.decode())
    assert {key: n for key, (n, _) in found.items()} == {
        "total": 5,
        "open": 4,
        "received": 2,  # one on A's report, the general one
        "handling": 1,
        "replied": 1,
        "closed": 1,
        "not_rectified": 1,
    }
    for key, (number, link) in found.items():
        if key == "not_rectified":
            assert link is None  # the list does not filter by kind
            continue
        listing = client.get(link).content.decode()
        assert f"<caption>共{number}条</caption>" in listing, key


def test_the_round_page_counts_the_opinions_on_its_reports(login, world, more):
    client = login(world["users"]["office"])
    found = cards(client.get(reverse("oversight:round", args=[world["a"].round_id])).content.decode())
    assert found["total"] == (4, None) and found["received"] == (1, None)  # the general opinion is no round's


@pytest.mark.parametrize(
    "role,total",
    [("supervisor", 5), ("team_own", 4), ("team_other", 0), ("unit_office_own", 4), ("unit_office_other", 0)],
)
def test_each_role_counts_only_what_it_may_see(login, world, more, role, total):
    client = login(world["users"][role])
    found = cards(client.get(reverse("oversight:overview")).content.decode())
    assert found["total"][0] == total
    listing = client.get(found["total"][1]).content.decode()
    assert f"<caption>共{total}条</caption>" in listing


@pytest.mark.parametrize("role", ["responsible_own", "anonymous"])
def test_roles_without_the_dashboard_get_no_counts(login, world, more, role):
    response = login(world["users"][role]).get(reverse("oversight:overview"))
    assert response.status_code in (302, 403)
    assert not CARD.search(response.content.decode())
