"""The search index exists in each database's own form, and the system check says when PostgreSQL
cannot index Chinese."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.db import connection

from zhenggai.public.checks import check_trigram_search

pytestmark = pytest.mark.django_db


def test_search_tables_exist():
    tables = set(connection.introspection.table_names())
    if connection.vendor == "sqlite":
        assert {"public_search_trigram", "public_search_grams"} <= tables
    else:
        assert "public_search_grams" in tables


def test_no_warning_on_a_good_database():
    assert check_trigram_search(None, databases=["default"]) == []
    assert not [m for m in run_checks(databases=["default"]) if m.id == "public.W001"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_warning_when_trigrams_cannot_read_chinese(monkeypatch):
    from zhenggai.public.search import postgres

    monkeypatch.setattr(postgres, "trigram_works", lambda cursor: False)
    (warning,) = check_trigram_search(None, databases=["default"])
    assert warning.id == "public.W001" and "LIKE" in warning.msg and "C.UTF-8" in warning.hint


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_report_text_is_stored_for_fast_reading():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage, attcompression FROM pg_attribute "
            "WHERE attrelid = 'public_revision'::regclass AND attname = 'body_text'"
        )
        assert cursor.fetchone() == ("m", "l")
