"""Links users type are refused unless safe, in every URL field of the forms and of the API, and a
stored link is rendered live only when safe, with rel="noopener noreferrer"."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.db import connection
from django.urls import reverse
from lxml import html

from tests.support.hostile_links import HOSTILE
from zhenggai.api.main import api
from zhenggai.ledger.links import validate_link
from zhenggai.ledger.models import Result, ResultKind

URLISH = re.compile(r"link|url|href|website|homepage|网址", re.IGNORECASE)
# Fields named like a URL that are not one: the public opinion form's honeypot (never stored or shown).
NOT_URLS = {("zhenggai.public.forms", "OpinionForm", "website")}
# Every URL field of the API's request bodies, each covered by test_the_api_refuses_hostile_links below.
API_URL_FIELDS = {("ResultIn", "document_link")}


def _all_forms() -> list[type[forms.BaseForm]]:
    import zhenggai.urls  # noqa: F401 - every view, hence every form, is imported from here

    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("zhenggai."):
            found.append(cls)
    return found


def test_every_url_field_of_every_form_uses_the_one_link_rule():
    url_fields = []
    for form in _all_forms():
        for name, field in form.base_fields.items():
            if URLISH.search(name) and (form.__module__, form.__name__, name) not in NOT_URLS:
                url_fields.append((form.__name__, name))
                assert validate_link in field.validators, f"{form.__module__}.{form.__name__}.{name}"
    assert ("ResultForm", "document_link") in url_fields


def test_every_url_field_of_the_api_is_known_and_attacked_below():
    schema = api.get_openapi_schema()
    bodies = set()
    for operations in schema["paths"].values():
        for operation in operations.values():
            content = (operation.get("requestBody") or {}).get("content", {})
            for media in content.values():
                ref = media.get("schema", {}).get("$ref", "")
                if ref:
                    bodies.add(ref.rsplit("/", 1)[-1])
    components = schema["components"]["schemas"]
    url_fields = {
        (name, prop) for name in bodies for prop in components[name].get("properties", {}) if URLISH.search(prop)
    }
    assert url_fields == API_URL_FIELDS


@pytest.mark.parametrize("link", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_result_form_refuses_hostile_links(client, world, link):
    client.force_login(world["users"]["unit_office_own"])
    before = Result.objects.count()
    url = reverse("web:result_add", kwargs={"pk": world["a"].pk})
    response = client.post(url, {"kind": "rule_new", "title": "修订巡河制度", "document_link": link})
    assert response.status_code == 400
    assert "链接" in html.fromstring(response.content.decode()).get_element_by_id("results").text_content()
    assert Result.objects.count() == before


def test_a_safe_link_is_kept_and_rendered_as_an_outside_link(client, world):
    client.force_login(world["users"]["unit_office_own"])
    url = reverse("web:result_add", kwargs={"pk": world["a"].pk})
    link = "https://www.example.gov.cn/2024/制度.pdf"
    assert client.post(url, {"kind": "rule_new", "title": "新制度", "document_link": link}).status_code == 302
    page = html.fromstring(client.get(reverse("web:inspection", kwargs={"pk": world["a"].pk})).content.decode())
    (anchor,) = page.xpath(f"//section[@id='results']//a[@href='{link}']")
    assert anchor.get("rel") == "noopener noreferrer" and anchor.get("target") == "_blank"


@pytest.mark.parametrize("link", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_link_stored_before_the_rule_is_shown_as_text(client, world, link):
    """Rows saved before the rule keep their text, but no browser gets it as a link."""
    if "\x00" in link and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL cannot store a NUL character, so no such row exists there")
    Result.objects.create(
        inspection=world["a"],
        kind=ResultKind.RULE_REVISED,
        title="旧成效",
        document_link=link,
        created_by=world["users"]["office"],
    )
    client.force_login(world["users"]["office"])
    page = html.fromstring(client.get(reverse("web:inspection", kwargs={"pk": world["a"].pk})).content.decode())
    results = page.get_element_by_id("results")
    hrefs = [a.get("href") for a in results.iter("a")]
    assert not [h for h in hrefs if h and not h.startswith(("/", "#"))], hrefs
    assert not [h for h in hrefs if h and h.startswith("//")]
    if link.strip():
        assert results.xpath("//span[@class='unsafe-link']")
