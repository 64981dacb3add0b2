"""`zhenggai upgrade`: a backup first, then the migrations; a failing migration prints the exact
restore command and exits 1, and that command brings the data back."""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.ops.conftest import Installation
from zhenggai.ops import engines
from zhenggai.ops.backup import list_backups
from zhenggai.ops.restore import verify


@pytest.fixture
def sqlite_site(tmp_path) -> Installation:
    made = Installation(tmp_path, engines.SQLITE)
    made.ok("migrate", "--noinput", "-v", "0")
    made.ok(
        *("createsuperuser", "--noinput", "--username", "office", "--email", "office@example.org"),
        DJANGO_SUPERUSER_PASSWORD="青溪-upgrade-2024",
    )
    made.ok("token", "create", "office", "--name", "升级前")
    return made


PUBLIC_MIGRATIONS = sorted(p.stem for p in (Path(__file__).parents[2] / "zhenggai/public/migrations").glob("0*.py"))


def test_upgrade_backs_up_then_migrates(sqlite_site):
    *_, previous, last = PUBLIC_MIGRATIONS
    sqlite_site.ok("migrate", "public", previous, "-v", "0")  # an installation one migration behind
    out = sqlite_site.ok("upgrade")
    [backup] = list_backups(sqlite_site.backup_dir)
    assert backup.kind == "upgrade" and f"已备份到 {backup.path}" in out
    assert "已执行 1 项数据库迁移" in out
    manifest = verify(backup.path)
    assert last not in manifest["migrations"]["public"]  # taken before migrating
    assert sqlite_site.run("migrate", "--check").returncode == 0


def test_a_failing_migration_prints_the_way_back_and_exits_1(sqlite_site):
    before = sqlite_site.digests()
    done = sqlite_site.run("upgrade", DJANGO_SETTINGS_MODULE="tests.ops.failing_settings")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("zhenggai: 错误:升级失败:数据库迁移出错:模拟的迁移失败")
    command = re.search(r"^\s*(zhenggai restore --force .+)$", done.stderr, re.M).group(1)
    [backup] = list_backups(sqlite_site.backup_dir)
    assert command == f"zhenggai restore --force {shlex.quote(str(backup.path))}"
    assert f"升级前的备份:{backup.path}" in done.stderr

    # going back: the printed command, run as printed, restores the data as it was before the upgrade
    sqlite_site.ok("token", "create", "office", "--name", "升级失败之后")
    assert sqlite_site.digests() != before
    out = sqlite_site.ok(*shlex.split(command)[1:])
    assert "数据与备份清单一致" in out
    assert sqlite_site.digests() == before


@pytest.mark.django_db(transaction=True)
def test_upgrade_in_process_on_an_up_to_date_database(settings, tmp_path):
    settings.ZHENGGAI_BACKUP_DIR = tmp_path
    out = io.StringIO()
    call_command("upgrade", stdout=out)
    assert "数据库已是最新" in out.getvalue()
    [backup] = list_backups(tmp_path)
    assert verify(backup.path)["tables"]["django_migrations"]["rows"] > 0
