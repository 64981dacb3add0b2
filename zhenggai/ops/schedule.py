"""Backups on a schedule beside `zhenggai serve`: one loop that wakes every hour, in a process of its own.

A loop rather than APScheduler or a task queue: the job is one daily call, the rule for "due" is a
line of code, and it needs no new dependency and no extra service. It runs in a *spawned* process,
not a thread of the server: granian forks its workers (and forks again to replace one), and a fork
taken while a backup thread holds a lock (logging's, SQLite's) leaves the new worker stuck for good. Several processes (or
two servers sharing the backup folder) may each run a scheduler; an exclusive lock on a file in the
backup folder and the "already backed up today" check make sure a day gets one backup, not two.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from zhenggai.ops import retention
from zhenggai.ops.backup import Site, backup_name, create_backup, list_backups

logger = logging.getLogger("zhenggai.ops")
LOCK_NAME = ".zhenggai-backup.lock"
HOUR = 3600.0


@dataclass(frozen=True)
class Schedule:
    hour: int  # local hour of day (0–23) from which the day's backup is due
    daily: int
    monthly: int


def due(now: datetime, hour: int, taken: list[datetime]) -> bool:
    """Due from `hour` on, once a day: a server that was off at that hour backs up when it is next awake."""
    return now.hour >= hour and not any(t.date() == now.date() for t in taken)


@contextmanager
def folder_lock(folder: Path) -> Iterator[bool]:
    """An exclusive, non-blocking lock on the backup folder; yields False when someone else holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def prune(folder: Path, schedule: Schedule) -> list[Path]:
    """Remove the scheduled backups the retention rule lets go (upgrade backups are kept)."""
    backups = [b for b in list_backups(folder) if b.kind == "backup"]
    removed = []
    for backup in retention.to_remove(
        backups, when=lambda b: b.created, daily=schedule.daily, monthly=schedule.monthly
    ):
        backup.path.unlink(missing_ok=True)
        removed.append(backup.path)
    return removed


def tick(site: Site, schedule: Schedule, now: datetime) -> Path | None:
    """Take the day's backup if it is due and nobody else is taking it; then apply the retention rule."""
    with folder_lock(site.backup_dir) as locked:
        if not locked:
            return None
        taken = [b.created for b in list_backups(site.backup_dir) if b.kind == "backup"]
        if not due(now, schedule.hour, taken):
            return None
        path = backup_name("backup", now, site.backup_dir)
        create_backup(site, path, now=now)
        for old in prune(site.backup_dir, schedule):
            logger.info("removed old backup %s", old)
        logger.info("scheduled backup written to %s", path)
        return path


class BackupScheduler(threading.Thread):
    """Calls `tick` now and then every `interval` seconds until stopped; errors are logged, not fatal."""

    def __init__(self, site: Site, schedule: Schedule, *, clock: Callable[[], datetime], interval: float = HOUR):
        super().__init__(name="zhenggai-backup-scheduler", daemon=True)
        self.site, self.schedule, self.clock, self.interval = site, schedule, clock, interval
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.is_set():
            try:
                tick(self.site, self.schedule, self.clock())
            except Exception:
                logger.exception("scheduled backup failed")
            self._stopped.wait(self.interval)

    def stop(self) -> None:
        self._stopped.set()


def from_settings() -> Schedule | None:
    """The schedule ZHENGGAI_BACKUP_* ask for, or None when no backup hour is set."""
    from django.conf import settings

    hour = settings.ZHENGGAI_BACKUP_HOUR
    if hour == -1:
        return None
    if not 0 <= hour <= 23:
        raise ValueError(f"ZHENGGAI_BACKUP_HOUR={hour} 无效:应为 0–23 的整点")
    if settings.ZHENGGAI_BACKUP_DAILY < 0 or settings.ZHENGGAI_BACKUP_MONTHLY < 0:
        raise ValueError("ZHENGGAI_BACKUP_DAILY 与 ZHENGGAI_BACKUP_MONTHLY 不能为负数")
    return Schedule(hour, settings.ZHENGGAI_BACKUP_DAILY, settings.ZHENGGAI_BACKUP_MONTHLY)


def _scheduler_main() -> None:
    """The scheduler process: Django set up afresh from the inherited environment, then the loop."""
    import django

    django.setup()
    from django.utils import timezone

    plan = from_settings()
    if plan is None:
        return
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C reaches the whole process group
        BackupScheduler(Site.from_django(), plan, clock=timezone.localtime).run()


def start_process() -> multiprocessing.process.BaseProcess:
    """Start the scheduler in a spawned process (see the module's docstring for why not a thread)."""
    process = multiprocessing.get_context("spawn").Process(
        target=_scheduler_main, name="zhenggai-backup-scheduler", daemon=True
    )
    process.start()
    return process
