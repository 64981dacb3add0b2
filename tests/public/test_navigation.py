"""The staff navigation leads to the publication pages for the roles those pages answer, and only for them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.public.conftest import ROLES

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<nav aria-label="主导航">.*?</nav>', re.S)
# the office approves, the unit office submits and handles opinions, supervisors and teams follow read-only
SHOWN = {"office", "supervisor", "team_own", "team_other", "unit_office_own", "unit_office_other"}


def navigation(client) -> str:
    page = client.get(reverse("oversight:inbox"))  # a page every signed-in role may open
    assert page.status_code == 200
    found = LINK.search(page.content.decode())
    assert found, "no main navigation in the page"
    return found.group(0)


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_the_publication_link_shows_for_the_roles_that_may_use_it(login, world, role):
    client = login(world["users"][role])
    nav = navigation(client)
    link = f'href="{reverse("publication:overview")}"'
    assert (link in nav) == (role in SHOWN), nav
    if role in SHOWN:
        assert "公开与意见" in nav
        assert client.get(reverse("publication:overview")).status_code == 200  # the link leads somewhere it may go
    else:
        assert "公开与意见" not in nav


@pytest.mark.parametrize("name", ["publication:overview", "publication:opinions"])
def test_the_publication_link_is_marked_current_on_its_pages(login, world, name):
    page = login(world["users"]["unit_office_own"]).get(reverse(name)).content.decode()
    nav = LINK.search(page).group(0)
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', nav)
    assert current == ["公开与意见"]
