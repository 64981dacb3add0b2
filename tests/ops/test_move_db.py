"""`zhenggai move-db`: a demo installation on SQLite moves into a fresh PostgreSQL database and the
target serves the same ledger; a target holding data and a source that is not SQLite are refused."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import pytest
from django.contrib.auth.hashers import check_password

from tests.ops.conftest import Installation, _recreate, make_installation, server_url
from zhenggai.ledger.management.demo import DEMO_PASSWORD
from zhenggai.ops import engines, tables

pytestmark = pytest.mark.database

COUNTED = ("ledger_task", "ledger_event", "org_user", "ledger_evidence", "django_migrations")


@pytest.fixture
def sqlite_site(tmp_path):
    site = make_installation(tmp_path / "sqlite", engines.SQLITE)
    site.ok("migrate", "--noinput", "-v", "0")
    site.ok("demo", "--brief")
    return site


@pytest.fixture
def target(tmp_path):
    """A fresh PostgreSQL database of this test's own, as an installation pointed at it."""
    url = server_url()
    if url is None:
        pytest.skip("DATABASE_URL does not name a PostgreSQL server")
    base = os.environ.get("ZHENGGAI_TEST_DB_NAME") or "test_zg"
    name = f"{base}_move_{os.getpid()}_{tmp_path.name}"[:60]
    _recreate(name)
    made = Installation(tmp_path / "pg", engines.POSTGRESQL, url.rsplit("/", 1)[0].split("?", 1)[0] + "/" + name)
    try:
        yield made
    finally:
        _recreate(name, drop_only=True)


def count(site: Installation, table: str) -> int:
    return site.query(f"SELECT count(*) FROM {table}")[0][0]


def test_a_demo_installation_moves_and_the_target_serves_the_same_ledger(sqlite_site, target):
    sqlite_site.ok("publish", "1", "--approve")
    before = sqlite_site.digests()
    out = sqlite_site.ok("move-db", "--to", target.database_url)

    assert "两边逐表行数与校验和一致" in out and "DATABASE_URL" in out
    assert sqlite_site.digests() == before  # the source is never modified
    for table in COUNTED:
        assert count(target, table) == count(sqlite_site, table) > 0, table
    # the history reads the same: each event's moment (UTC) and its recorded values
    source_events = [
        (pk, datetime.fromisoformat(at).replace(tzinfo=UTC), json.loads(after) if after else None)
        for pk, at, after in sqlite_site.query('SELECT id, "at", "after" FROM ledger_event ORDER BY id')
    ]
    assert target.query('SELECT id, "at", "after" FROM ledger_event ORDER BY id') == source_events
    # the search index is rebuilt in PostgreSQL's form, one row per live public revision
    live = sqlite_site.query("SELECT count(*) FROM public_revision WHERE live")[0][0]
    assert count(target, "public_search_grams") == live > 0
    # a moved user still logs in with the password set on SQLite
    (digest,) = target.query("SELECT password FROM org_user WHERE username = 'office'")[0]
    assert check_password(DEMO_PASSWORD, digest)
    # sequences continue after the moved rows: a new row gets a fresh id
    (new_id,) = target.query("INSERT INTO django_content_type (app_label, model) VALUES ('x', 'y') RETURNING id")[0]
    assert new_id > count(sqlite_site, "django_content_type")
    # the system itself runs on the target: its commands read the moved ledger
    checked = target.run("migrate", "--check")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_target_holding_data_is_refused_and_kept(sqlite_site, target):
    sqlite_site.ok("move-db", "--to", target.database_url)
    tasks = count(target, "ledger_task")
    with engines.pg_connect(target.settings_dict, autocommit=True) as conn:
        conn.execute("DELETE FROM ledger_progressnote WHERE id = (SELECT min(id) FROM ledger_progressnote)")
    notes = count(target, "ledger_progressnote")

    done = sqlite_site.run("move-db", "--to", target.database_url)
    assert done.returncode == 1
    assert "不是空的" in done.stderr and "--force" in done.stderr and "Traceback" not in done.stderr
    assert (count(target, "ledger_task"), count(target, "ledger_progressnote")) == (tasks, notes)

    sqlite_site.ok("move-db", "--to", target.database_url, "--force")
    assert count(target, "ledger_progressnote") == notes + 1


def test_a_failure_half_way_leaves_the_target_empty_and_the_source_untouched(sqlite_site, target):
    conn = engines.sqlite_connect(sqlite_site.data_dir / "db.sqlite3")
    with conn:
        conn.execute("UPDATE ledger_task SET deadline = '2024-13-45' WHERE id = (SELECT max(id) FROM ledger_task)")
    conn.close()
    before = sqlite_site.digests()

    done = sqlite_site.run("move-db", "--to", target.database_url)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "ledger_task" in done.stderr and "目标数据库已清空" in done.stderr
    with engines.pg_connect(target.settings_dict, autocommit=True) as pg:
        assert tables.postgres_tables(pg) == []
    assert sqlite_site.digests() == before


def test_a_source_that_is_not_sqlite_is_refused(tmp_path, target):
    target.ok("migrate", "--noinput", "-v", "0")
    done = target.run("move-db", "--to", target.database_url)
    assert done.returncode == 1
    assert "当前数据库不是 SQLite" in done.stderr and "Traceback" not in done.stderr


def test_a_target_that_is_not_postgresql_is_refused(sqlite_site):
    done = sqlite_site.run("move-db", "--to", "mysql://root@127.0.0.1/zhenggai")
    assert done.returncode == 1 and "PostgreSQL" in done.stderr and "Traceback" not in done.stderr
