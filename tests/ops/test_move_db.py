"""`zhenggai move-db`: a demo installation on SQLite moves into a fresh PostgreSQL database and the
target serves the same ledger; a target holding data and a source that is not SQLite are refused."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.hashers import check_password

from tests.ops.conftest import Installation, _recreate, make_installation, server_url
from zhenggai.ledger.management.demo import DEMO_PASSWORD
from zhenggai.ops import engines

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
    before = sqlite_site.digests()
    out = sqlite_site.ok("move-db", "--to", target.database_url)

    assert "两边逐表行数与校验和一致" in out and "DATABASE_URL" in out
    assert sqlite_site.digests() == before  # the source is never modified
    for table in COUNTED:
        assert count(target, table) == count(sqlite_site, table) > 0, table
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


def test_a_source_that_is_not_sqlite_is_refused(tmp_path, target):
    target.ok("migrate", "--noinput", "-v", "0")
    done = target.run("move-db", "--to", target.database_url)
    assert done.returncode == 1
    assert "当前数据库不是 SQLite" in done.stderr and "Traceback" not in done.stderr


def test_a_target_that_is_not_postgresql_is_refused(sqlite_site):
    done = sqlite_site.run("move-db", "--to", "mysql://root@127.0.0.1/zhenggai")
    assert done.returncode == 1 and "PostgreSQL" in done.stderr and "Traceback" not in done.stderr
