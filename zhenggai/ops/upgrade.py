"""`zhenggai upgrade`: a backup first, then the migrations; when they fail, the way back is printed."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from zhenggai.ops import engines
from zhenggai.ops.backup import Site, backup_name, create_backup
from zhenggai.ops.errors import OpsError


class UpgradeFailed(OpsError):
    """The migrations failed after the backup at `backup` was taken."""

    def __init__(self, reason: str, backup: Path | None):
        lines = [f"升级失败:数据库迁移出错:{reason}"]
        if backup is not None:
            lines += [
                f"升级前的备份:{backup}",
                "恢复到升级前的状态:先装回升级前的版本,再运行",
                f"  zhenggai restore --force {shlex.quote(str(backup))}",
            ]
        super().__init__("\n".join(lines))
        self.backup = backup


def has_database(site: Site) -> bool:
    if site.engine == engines.SQLITE:
        return engines.sqlite_has_tables(site.database["NAME"])
    return engines.postgres_has_tables(site.database)


def upgrade(site: Site, *, now: datetime, migrate: Callable[[], None]) -> Path | None:
    """Returns the backup taken (None for a database with nothing in it yet)."""
    backup = None
    if has_database(site):
        backup = backup_name("upgrade", now, site.backup_dir)
        create_backup(site, backup, now=now)
    try:
        migrate()
    except Exception as exc:
        raise UpgradeFailed(
            str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__, backup
        ) from exc
    return backup
