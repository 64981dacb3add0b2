"""`zhenggai backup`: one archive of the database, the evidence and the secret key, taken while serving.

The database is copied first (a consistent snapshot), the evidence folder after it: every file a row
of the snapshot refers to was written before its row was committed, so it is there; files uploaded
during the backup may come along too, which is harmless.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from zhenggai import __version__
from zhenggai.ops import engines
from zhenggai.ops.archive import FORMAT, ArchiveWriter
from zhenggai.ops.errors import OpsError

DATABASE_MEMBERS = {engines.SQLITE: "database/db.sqlite3", engines.POSTGRESQL: "database/postgresql.dump"}
SECRET_KEY_MEMBER = "settings/secret_key"
SUFFIX = ".tar.gz"
NAME = re.compile(r"^zhenggai-(?P<kind>backup|upgrade)-(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.tar(?:\.gz)?$")


@dataclass(frozen=True)
class Site:
    """Where one installation keeps what a backup must hold."""

    data_dir: Path
    media_root: Path
    database: dict[str, Any]  # Django's settings_dict for the default database
    backup_dir: Path

    @property
    def engine(self) -> str:
        return engines.engine_of(self.database)

    @classmethod
    def from_django(cls) -> Site:
        from django.conf import settings
        from django.db import connections

        return cls(
            data_dir=Path(settings.DATA_DIR),
            media_root=Path(settings.MEDIA_ROOT),
            database=dict(connections["default"].settings_dict),
            backup_dir=Path(settings.ZHENGGAI_BACKUP_DIR),
        )


@dataclass(frozen=True)
class BackupFile:
    path: Path
    kind: str  # "backup" (kept by the retention rule) or "upgrade" (kept until removed by hand)
    created: datetime  # naive, local time, from the name
    size: int


def backup_name(kind: str, now: datetime, folder: Path) -> Path:
    """zhenggai-<kind>-YYYYMMDD-HHMMSS.tar.gz in `folder`, numbered if one of that second exists."""
    stem = f"zhenggai-{kind}-{now:%Y%m%d-%H%M%S}"
    path, number = folder / f"{stem}{SUFFIX}", 1
    while path.exists() or path.with_name(path.name + ".part").exists():
        number += 1
        path = folder / f"{stem}-{number}{SUFFIX}"
    return path


def list_backups(folder: Path) -> list[BackupFile]:
    """The finished backups in a folder, oldest first (FILE.part, still being written, is left out)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = NAME.match(path.name)
        if match and path.is_file():
            created = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
            found.append(BackupFile(path, match["kind"], created, path.stat().st_size))
    return sorted(found, key=lambda b: (b.created, b.path.name))


def create_backup(site: Site, output: Path, *, now: datetime) -> dict[str, Any]:
    """Write the archive to `output` (.tar or .tar.gz) and return its manifest."""
    engine = site.engine
    if not output.name.endswith((".tar", ".tar.gz", ".tgz")):
        raise OpsError(f"备份文件名应以 .tar.gz 或 .tar 结尾:{output}")
    if output.exists():
        raise OpsError(f"备份文件已存在:{output}")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".zhenggai-backup-", dir=output.parent))
    except OSError as exc:
        raise OpsError(f"无法写入备份文件夹 {output.parent}:{exc.strerror}") from exc
    writer = None
    try:
        database_copy = work / "database"
        if engine == engines.SQLITE:
            snapshot = engines.sqlite_snapshot(site.database["NAME"], database_copy)
        else:
            snapshot = engines.postgres_snapshot(site.database, database_copy)
        writer = ArchiveWriter(output)
        writer.add_file(DATABASE_MEMBERS[engine], database_copy)
        database_copy.unlink()
        media_files, media_bytes = _add_media(writer, site.media_root)
        secret_key = site.data_dir / "secret_key"
        if secret_key.is_file():
            writer.add_file(SECRET_KEY_MEMBER, secret_key)
        manifest = {
            "format": FORMAT,
            "system_version": __version__,
            "created_at": now.isoformat(timespec="seconds"),
            "host": socket.gethostname(),
            "database": {"engine": engine, "member": DATABASE_MEMBERS[engine], **snapshot.details},
            "migrations": snapshot.migrations,
            "tables": {name: digest.as_json() for name, digest in snapshot.tables.items()},
            "media": {"files": media_files, "bytes": media_bytes},
            "secret_key": "file" if secret_key.is_file() else "environment",
        }
        writer.close(manifest)
    except OSError as exc:
        if writer is not None:
            writer.abort()
        raise OpsError(f"写入备份失败:{exc.strerror or exc}") from exc
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {**manifest, "files": writer.files}


def _add_media(writer: ArchiveWriter, media_root: Path) -> tuple[int, int]:
    count = size = 0
    if not media_root.is_dir():
        return 0, 0
    for folder, dirs, files in os.walk(media_root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            member = "media/" + path.relative_to(media_root).as_posix()
            writer.add_file(member, path)
            count += 1
            size += writer.files[member]["size"]
    return count, size


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f}{unit}" if unit == "B" else f"{value:.1f}{unit}"
        value /= 1024
    return f"{size}B"
