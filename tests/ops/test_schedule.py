"""Scheduled backups inside the running system, on the test database (SQLite and PostgreSQL): the
tick backs up once a day from the set hour, prunes by the retention rule, and never runs twice at once."""

from __future__ import annotations

import io
import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connections

from zhenggai.ledger.models import Task
from zhenggai.ledger.services.progress import add_evidence, add_note
from zhenggai.ops.backup import Site, list_backups
from zhenggai.ops.restore import verify
from zhenggai.ops.schedule import BackupScheduler, Schedule, folder_lock, tick

pytestmark = pytest.mark.django_db(transaction=True)
LOCAL = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL)


@pytest.fixture
def site(tmp_path, settings, make_inspection, office):
    """A ledger with a note and an evidence file, and a Site pointing at the test database."""
    task = Task.objects.filter(finding__inspection=make_inspection()).order_by("pk").first()
    add_note(task, actor=office, text="按计划推进")
    add_evidence(task, actor=office, file=ContentFile("会议纪要".encode(), name="纪要.txt"))
    return Site(
        data_dir=tmp_path,
        media_root=Path(settings.MEDIA_ROOT),
        database=dict(connections["default"].settings_dict),
        backup_dir=tmp_path / "backups",
    )


def old_backup(folder: Path, stamp: str) -> Path:
    """A stand-in for an earlier scheduled backup (the rule looks only at names and times)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"zhenggai-backup-{stamp}.tar.gz"
    path.write_bytes(b"")
    return path


def test_tick_backs_up_once_a_day_from_the_set_hour_and_prunes(site):
    schedule = Schedule(hour=2, daily=2, monthly=1)
    for stamp in ("20261015-020000", "20261130-020000", "20261201-020000", "20261202-020000"):
        old_backup(site.backup_dir, stamp)
    upgrade = site.backup_dir / "zhenggai-upgrade-20261001-100000.tar.gz"
    upgrade.write_bytes(b"")

    assert tick(site, schedule, at(2026, 12, 3, 1, 30)) is None  # before the hour
    path = tick(site, schedule, at(2026, 12, 3, 2, 10))
    assert path is not None and path.name == "zhenggai-backup-20261203-021000.tar.gz"
    manifest = verify(path)
    assert manifest["tables"]["ledger_progressnote"]["rows"] == 1
    assert manifest["tables"]["ledger_task"]["rows"] == Task.objects.count()
    assert manifest["media"]["files"] == 1
    assert tick(site, schedule, at(2026, 12, 3, 9, 0)) is None  # once a day

    # 2 days (3 and 2 December) and 1 month (December's newest, 3 December); upgrade backups stay
    names = sorted(b.path.name for b in list_backups(site.backup_dir))
    assert names == [
        "zhenggai-backup-20261202-020000.tar.gz",
        "zhenggai-backup-20261203-021000.tar.gz",
        "zhenggai-upgrade-20261001-100000.tar.gz",
    ]


def test_tick_does_nothing_while_another_backup_holds_the_lock(site):
    schedule = Schedule(hour=0, daily=7, monthly=12)
    with folder_lock(site.backup_dir) as locked:
        assert locked
        assert tick(site, schedule, at(2026, 12, 3, 12, 0)) is None
    assert list_backups(site.backup_dir) == []


def test_two_schedulers_ticking_at_once_take_one_backup(site):
    schedule = Schedule(hour=0, daily=7, monthly=12)
    start = threading.Barrier(4)
    results: list = []

    def run():
        start.wait()
        results.append(tick(site, schedule, at(2026, 12, 3, 12, 0)))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 4 and len([r for r in results if r is not None]) == 1
    assert len(list_backups(site.backup_dir)) == 1


def test_the_scheduler_thread_backs_up_in_process(site):
    scheduler = BackupScheduler(
        site, Schedule(hour=3, daily=7, monthly=12), clock=lambda: at(2026, 12, 3, 4, 0), interval=0.05
    )
    scheduler.start()
    try:
        deadline = time.monotonic() + 120
        while not list_backups(site.backup_dir):
            assert time.monotonic() < deadline, "no scheduled backup appeared"
            time.sleep(0.1)
        time.sleep(0.5)  # several more ticks: still the one backup of the day
    finally:
        scheduler.stop()
        scheduler.join(timeout=120)
    backups = list_backups(site.backup_dir)
    assert [b.created for b in backups] == [datetime(2026, 12, 3, 4, 0)]
    assert verify(backups[0].path)["tables"]["ledger_evidence"]["rows"] == 1


def test_backup_prune_applies_the_retention_rule_for_cron(site, settings):
    settings.ZHENGGAI_BACKUP_DIR = site.backup_dir
    settings.ZHENGGAI_BACKUP_DAILY, settings.ZHENGGAI_BACKUP_MONTHLY = 1, 0
    old = old_backup(site.backup_dir, "20200101-020000")
    out = io.StringIO()
    call_command("backup", "--prune", stdout=out)
    [kept] = list_backups(site.backup_dir)
    assert f"已备份到 {kept.path}" in out.getvalue() and f"已删除旧备份 {old.name}" in out.getvalue()
