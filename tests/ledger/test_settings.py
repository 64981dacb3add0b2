"""Settings from the environment: typed helpers, DATABASE_URL, the SQLite pragmas, the system checks."""

import os
import stat
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from zhenggai import settings as module
from zhenggai.org.checks import check_database_url, check_debug_with_https


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("ZG_FLAG", "yes")
    monkeypatch.setenv("ZG_NUMBER", " 42 ")
    monkeypatch.setenv("ZG_BLANK", "  ")
    assert module.env_bool("ZG_FLAG") is True
    assert module.env_int("ZG_NUMBER", 0) == 42
    assert module.env_str("ZG_BLANK", "default") == "default"
    assert module.env_path("ZG_MISSING", "data").is_absolute()
    monkeypatch.setenv("ZG_FLAG", "maybe")
    with pytest.raises(ValueError):
        module.env_bool("ZG_FLAG")


def test_postgres_url_is_parsed(tmp_path):
    db = module.database_from_url("postgres://zg:p%40ss@db.example:6543/ledger?sslmode=require", tmp_path)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "ledger",
        "zg",
        "p@ss",
        "db.example",
        "6543",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_sqlite_is_the_default_with_its_pragmas(tmp_path):
    db = module.database_from_url("", tmp_path)
    assert db["NAME"] == tmp_path / "db.sqlite3"
    assert "PRAGMA journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert module.database_from_url("sqlite:////srv/zg/ledger.db", tmp_path)["NAME"] == Path("/srv/zg/ledger.db")


def test_unknown_scheme_falls_back_and_is_reported(tmp_path, monkeypatch):
    db = module.database_from_url("mysql://u@h/x", tmp_path)
    assert db["UNKNOWN_SCHEME"] == "mysql"
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert check_database_url(None) == []
    monkeypatch.setitem(django_settings.DATABASES["default"], "UNKNOWN_SCHEME", "mysql")
    assert [m.id for m in check_database_url(None)] == ["zhenggai.E001"]


def test_debug_over_https_is_warned_about(settings):
    settings.DEBUG, settings.HTTPS = True, True
    assert [m.id for m in check_debug_with_https(None)] == ["zhenggai.W001"]
    settings.DEBUG = False
    assert check_debug_with_https(None) == []


def test_secret_key_is_generated_once_and_private(tmp_path):
    first = module._stored_secret_key(tmp_path)
    assert module._stored_secret_key(tmp_path) == first
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600


def test_secure_defaults():
    assert django_settings.SESSION_COOKIE_HTTPONLY and django_settings.CSRF_COOKIE_HTTPONLY
    assert django_settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert django_settings.SESSION_COOKIE_AGE == 8 * 3600
    assert (django_settings.LANGUAGE_CODE, django_settings.TIME_ZONE, django_settings.USE_TZ) == (
        "zh-hans",
        "Asia/Shanghai",
        True,
    )
    assert django_settings.AUTH_USER_MODEL == "org.User"


@pytest.mark.django_db
def test_the_connection_uses_the_pragmas():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_system_checks_pass():
    call_command("check", fail_level="WARNING")


def test_archive_limits_from_settings_apply_to_every_reader(settings):
    from datetime import date

    from django.apps import apps

    from zhenggai.ingest import archive
    from zhenggai.ingest.archive import ArchiveLimits
    from zhenggai.outputs.errors import WorkbookRejected
    from zhenggai.outputs.xlsx_read import read_workbook
    from zhenggai.outputs.xlsx_write import LedgerWorkbook, to_xlsx

    data = to_xlsx(LedgerWorkbook("某单位", date(2026, 1, 1), (), ()))
    settings.ZHENGGAI_ARCHIVE_LIMITS = {"max_entries": 3}
    try:
        apps.get_app_config("ledger").ready()
        assert archive.defaults() == ArchiveLimits(max_entries=3)
        with pytest.raises(WorkbookRejected, match="超过上限 3 个"):
            read_workbook(data)
    finally:
        archive.configure()
