"""The one link rule (`ledger.links`) and the result service that applies it for forms, API and imports."""

from __future__ import annotations

import pytest

from tests.support.hostile_links import HOSTILE, SAFE
from zhenggai.ledger.errors import ValidationFailed
from zhenggai.ledger.links import UnsafeLink, clean_link, is_own_path, is_safe_link
from zhenggai.ledger.models import Result
from zhenggai.ledger.services.results import add_result


@pytest.mark.parametrize("link", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_links_are_refused(link):
    with pytest.raises(UnsafeLink) as refused:
        clean_link(link)
    assert "链接" in refused.value.message
    assert not is_safe_link(link)
    assert not is_own_path(link)


@pytest.mark.parametrize(("link", "stored"), SAFE.values(), ids=SAFE.keys())
def test_links_users_rightly_type_are_kept(link, stored):
    assert clean_link(link) == stored


def test_a_link_longer_than_the_column_is_refused():
    with pytest.raises(UnsafeLink, match="过长"):
        clean_link("https://example.org/" + "a" * 500)


def test_only_paths_of_our_own_count_as_own():
    assert is_own_path("/oversight/inbox/")
    assert not is_own_path("https://example.org/")


@pytest.mark.parametrize("link", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_result_service_refuses_hostile_links(make_inspection, make_user, link):
    inspection = make_inspection()
    unit_office = make_user("unit_office", unit=inspection.unit)
    with pytest.raises(ValidationFailed) as refused:
        add_result(inspection, actor=unit_office, kind="rule_new", title="修订制度", document_link=link)
    assert "document_link" in refused.value.errors
    assert not Result.objects.filter(inspection=inspection).exists()


def test_the_result_service_stores_the_cleaned_link(make_inspection, office):
    inspection = make_inspection()
    result = add_result(
        inspection, actor=office, kind="rule_new", title="修订制度", document_link="  https://example.org/a.pdf "
    )
    assert Result.objects.get(pk=result.pk).document_link == "https://example.org/a.pdf"
