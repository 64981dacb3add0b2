"""A PostgreSQL restore that fails half-way leaves the database and the data folder as they were."""

from __future__ import annotations

import pytest

from zhenggai.ops import engines


def execute(installation, *statements: str) -> None:
    conn = engines.pg_connect(installation.settings_dict, autocommit=True)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


@pytest.mark.parametrize("installation", [pytest.param(engines.POSTGRESQL, marks=pytest.mark.database)], indirect=True)
def test_a_load_that_fails_half_way_changes_nothing(installation, tmp_path):
    # A backup that passes every check but cannot be loaded: a row whose foreign key points nowhere
    # (written with the checks switched off), so the load fails at the end, when the constraints are added.
    [(unit,)] = installation.query("SELECT unit_id FROM org_user WHERE username = 'unit1'")
    execute(
        installation,
        "SET session_replication_role = replica",
        "UPDATE org_user SET unit_id = 987654321 WHERE username = 'unit1'",
    )
    broken = tmp_path / "orphan.tar.gz"
    installation.ok("backup", "-o", str(broken))
    assert installation.run("backup", "--verify", str(broken)).returncode == 0
    execute(installation, f"UPDATE org_user SET unit_id = {unit} WHERE username = 'unit1'")
    installation.ok("token", "create", "office", "--name", "恢复失败后仍在")
    before, media = installation.digests(), installation.media()

    done = installation.run("restore", "--force", str(broken))
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.startswith("zhenggai: 错误:载入 PostgreSQL 数据库失败,原有数据未改动")
    assert "\n" not in done.stderr.strip() and "Traceback" not in done.stderr
    assert installation.digests() == before
    assert installation.media() == media
    assert sorted(p.name for p in installation.root.iterdir() if p.name.startswith("data")) == ["data"]
