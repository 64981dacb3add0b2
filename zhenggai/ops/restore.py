"""`zhenggai restore` and `zhenggai backup --verify`: check an archive, then rebuild from it atomically.

Everything is unpacked and checked beside the data folder first (checksums, SQLite's integrity check,
every table against the manifest); only then is the old folder moved aside and the new one renamed
into its place, so a damaged archive or a failure half-way leaves the old data as it was. On
PostgreSQL the database is replaced in one transaction before the folder swap.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from zhenggai.ops import engines, tables
from zhenggai.ops.archive import read
from zhenggai.ops.backup import DATABASE_MEMBERS, SECRET_KEY_MEMBER, Site
from zhenggai.ops.errors import OpsError

ENGINE_NAMES = {engines.SQLITE: "SQLite", engines.POSTGRESQL: "PostgreSQL"}


def verify(path: Path) -> dict[str, Any]:
    """Check an archive without restoring it; returns its manifest or raises OpsError."""
    with tempfile.TemporaryDirectory(prefix="zhenggai-verify-") as work:
        copies = {member: Path(work) / engine for engine, member in DATABASE_MEMBERS.items()}
        result = read(path, lambda name: copies.get(name))
        _check_database(result.manifest, result.extracted)
    return result.manifest


def _check_database(manifest: dict[str, Any], extracted: dict[str, Path]) -> Path:
    engine = manifest["database"].get("engine")
    member = DATABASE_MEMBERS.get(engine or "")
    if member is None or member not in extracted:
        raise OpsError("备份文件不完整:其中没有数据库")
    copy = extracted[member]
    if engine == engines.SQLITE:
        engines.sqlite_check(copy)
    else:
        engines.pg_dump_check(copy)
    return copy


def has_data(site: Site) -> bool:
    """A target worth protecting: a database with tables, or evidence files (a new secret key is not)."""
    if site.engine == engines.SQLITE:
        if engines.sqlite_has_tables(site.database["NAME"]):
            return True
    elif engines.postgres_has_tables(site.database):
        return True
    return site.media_root.is_dir() and any(p.is_file() for p in site.media_root.rglob("*"))


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    previous: Path | None  # where the replaced data folder was moved, when it held data


def restore(site: Site, path: Path, *, force: bool, now: datetime) -> Restored:
    engine = site.engine
    if not path.is_file():
        raise OpsError(f"找不到备份文件:{path}")
    had_data = has_data(site)
    if had_data and not force:
        where = site.data_dir if engine == engines.SQLITE else f"{site.data_dir} 和数据库 {site.database['NAME']}"
        raise OpsError(f"目标已有数据({where}):确认要用备份覆盖时,请加 --force(原数据会先移到旁边保留)")
    data_dir = site.data_dir
    try:
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}-restore-", dir=data_dir.parent))
    except OSError as exc:
        raise OpsError(f"无法在 {data_dir.parent} 中准备恢复:{exc.strerror}") from exc
    try:
        new_dir = staging / "data"
        new_dir.mkdir(mode=0o700)
        database_path, external = _database_place(site, new_dir, staging)
        result = read(path, _placer(site, engine, new_dir, database_path, staging))
        manifest = result.manifest
        copy = _check_database(manifest, result.extracted)
        if engine == engines.SQLITE:
            _compare_tables(manifest, _sqlite_tables(copy))
        if (new_dir / "secret_key").exists():
            os.chmod(new_dir / "secret_key", 0o600)
        _match_owner(new_dir, data_dir)
        if engine == engines.POSTGRESQL:
            engines.postgres_load(site.database, copy)
            _compare_tables(manifest, engines.postgres_describe(site.database), after_load=True)
        previous = _swap(data_dir, new_dir, keep_old=had_data, now=now)
        if external is not None:
            _place_external(copy, external, now)
        return Restored(manifest, previous)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _database_place(site: Site, new_dir: Path, staging: Path) -> tuple[Path, Path | None]:
    """Where the restored database goes: inside the new data folder, or (SQLite elsewhere) staged beside it."""
    if site.engine == engines.POSTGRESQL:
        return staging / "postgresql.dump", None
    name = Path(site.database["NAME"])
    try:
        return new_dir / name.resolve().relative_to(site.data_dir.resolve()), None
    except ValueError:
        return staging / "db.sqlite3", name


def _placer(site: Site, engine: str, new_dir: Path, database_path: Path, staging: Path):
    own_member = DATABASE_MEMBERS[engine]

    def place(name: str) -> Path | None:
        if name == own_member:
            return database_path
        if name in DATABASE_MEMBERS.values():
            other = next(e for e, m in DATABASE_MEMBERS.items() if m == name)
            raise OpsError(
                f"该备份来自 {ENGINE_NAMES[other]} 数据库,而本系统配置的是 {ENGINE_NAMES[engine]}:"
                f"请按备份时的数据库配置(DATABASE_URL)恢复"
            )
        if name == SECRET_KEY_MEMBER:
            return new_dir / "secret_key"
        if name.startswith("media/"):
            return new_dir / "media" / name.removeprefix("media/")
        return None

    return place


def _sqlite_tables(copy: Path) -> dict[str, tables.TableDigest]:
    conn = engines.sqlite_connect(copy)
    try:
        return tables.sqlite_digests(conn)
    finally:
        conn.close()


def _compare_tables(manifest: dict[str, Any], actual: dict[str, tables.TableDigest], *, after_load=False) -> None:
    problems = tables.differences(manifest["tables"], actual)
    if problems:
        shown = "、".join(problems[:3]) + (f" 等 {len(problems)} 张表" if len(problems) > 3 else "")
        state = "数据库已载入,请检查后重新恢复" if after_load else "原有数据未改动"
        raise OpsError(f"恢复的数据与备份清单不符({state}):{shown}")


def _match_owner(new_dir: Path, data_dir: Path) -> None:
    """Run as root for a service account, the restored files keep the old folder's owner."""
    if os.geteuid() != 0 or not data_dir.exists():
        return
    stat = data_dir.stat()
    for folder, dirs, files in os.walk(new_dir):
        for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            os.chown(name, stat.st_uid, stat.st_gid)
    os.chmod(new_dir, stat.st_mode & 0o7777)


def _swap(data_dir: Path, new_dir: Path, *, keep_old: bool, now: datetime) -> Path | None:
    old = None
    try:
        if data_dir.exists():
            old = data_dir.with_name(f"{data_dir.name}.before-restore-{now:%Y%m%d-%H%M%S}")
            os.rename(data_dir, old)
        try:
            os.rename(new_dir, data_dir)
        except OSError:
            if old is not None:
                os.rename(old, data_dir)
            raise
    except OSError as exc:
        raise OpsError(f"无法替换数据文件夹 {data_dir}:{exc.strerror}(原有数据未改动)") from exc
    if old is not None and not keep_old:
        shutil.rmtree(old, ignore_errors=True)  # only a fresh key and empty folders: nothing to keep
        return None
    return old


def _place_external(copy: Path, target: Path, now: datetime) -> None:
    """A SQLite file outside the data folder: the old file and its -wal/-shm move aside, the copy moves in."""
    staged = target.with_name(f".{target.name}.restore")
    shutil.copy2(copy, staged)
    for suffix in ("", "-wal", "-shm"):
        old = Path(f"{target}{suffix}")
        if old.exists():
            os.rename(old, Path(f"{target}.before-restore-{now:%Y%m%d-%H%M%S}{suffix}"))
    os.replace(staged, target)


def migration_notes(manifest: dict[str, Any], known: set[tuple[str, str]]) -> list[str]:
    """What the operator must do after a restore when the backup's migrations differ from this version's."""
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = applied - known
    if unknown:
        return [
            f"注意:该备份来自较新的版本({manifest.get('system_version', '未知')}),"
            f"有 {len(unknown)} 项迁移本版本不认识:请安装该版本或更新的版本后再使用"
        ]
    if known - applied:
        return ["该备份来自较早的版本:请运行 zhenggai upgrade 升级数据库"]
    return []
