"""The two databases, each in its own terms: a consistent snapshot for a backup and a load for a restore.

SQLite: the online backup API copies the live file page by page inside one read transaction; in WAL
mode writers keep committing meanwhile and the copy is the database as it was when the copy began.
PostgreSQL: a REPEATABLE READ transaction exports its snapshot; pg_dump dumps exactly that snapshot
(`--snapshot`) while the same transaction counts and checksums the tables, so the manifest describes
the dump. A restore loads the dump through psql in a single transaction: it all lands or none of it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhenggai.ops import tables
from zhenggai.ops.errors import OpsError

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


@dataclass(frozen=True)
class Snapshot:
    """What a backup records about the database copy it made."""

    tables: dict[str, tables.TableDigest]
    migrations: dict[str, list[str]]
    details: dict[str, Any] = field(default_factory=dict)


def engine_of(settings_dict: dict[str, Any]) -> str:
    engine = settings_dict.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        return SQLITE
    if engine.endswith("postgresql"):
        return POSTGRESQL
    raise OpsError(f"不支持备份该数据库类型:{engine}")


# --- SQLite --------------------------------------------------------------------------------


def sqlite_connect(name: str | Path, *, timeout: float = 30) -> sqlite3.Connection:
    """A plain connection; `file:` names (the test suite's in-memory database) are URIs."""
    text = str(name)
    return sqlite3.connect(text, timeout=timeout, uri=text.startswith("file:"))


def sqlite_snapshot(name: str | Path, dest: Path) -> Snapshot:
    if not str(name).startswith("file:") and not Path(name).is_file():
        raise OpsError(f"数据库文件不存在:{name}(请先运行 zhenggai migrate)")
    source = sqlite_connect(name)
    try:
        copy = sqlite3.connect(dest)
        try:
            source.backup(copy)  # one step: a single read transaction, so a consistent copy
            copy.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
            snapshot = describe_sqlite(copy)
        finally:
            copy.close()
    except sqlite3.Error as exc:
        raise OpsError(f"复制 SQLite 数据库失败:{exc}") from exc
    finally:
        source.close()
    return snapshot


def describe_sqlite(conn: sqlite3.Connection) -> Snapshot:
    return Snapshot(
        tables.sqlite_digests(conn),
        tables.sqlite_migrations(conn),
        {"sqlite_version": sqlite3.sqlite_version},
    )


def sqlite_check(path: Path) -> None:
    """PRAGMA integrity_check on a database copy; an OpsError naming the first problem."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise OpsError(f"备份中的数据库无法打开:{exc}") from exc
    if result != ["ok"]:
        raise OpsError(f"备份中的数据库未通过完整性检查:{result[0]}")


def sqlite_has_tables(name: str | Path) -> bool:
    if not str(name).startswith("file:") and (not Path(name).is_file() or Path(name).stat().st_size == 0):
        return False
    try:
        conn = sqlite_connect(name)
        try:
            return bool(tables.sqlite_tables(conn))
        finally:
            conn.close()
    except sqlite3.Error:
        return True  # unreadable is not empty: overwriting it takes --force like any other data


# --- PostgreSQL ----------------------------------------------------------------------------

# libpq settings that may sit in DATABASE_URL's query string, and the variables the tools read them from
_LIBPQ_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def pg_params(settings_dict: dict[str, Any]) -> dict[str, Any]:
    params = {
        "dbname": settings_dict.get("NAME") or "",
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }
    options = {k: v for k, v in (settings_dict.get("OPTIONS") or {}).items() if k in _LIBPQ_ENV}
    return {k: v for k, v in {**params, **options}.items() if v is not None}


def pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The environment pg_dump, pg_restore and psql read the connection from (no password on a command line)."""
    params = pg_params(settings_dict)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD", "host": "PGHOST", "port": "PGPORT"}
    for key, value in params.items():
        env[names.get(key) or _LIBPQ_ENV[key]] = str(value)
    return env


def pg_connect(settings_dict: dict[str, Any], **kwargs: Any) -> Any:
    import psycopg

    try:
        return psycopg.connect(**pg_params(settings_dict), **kwargs)
    except psycopg.Error as exc:
        raise OpsError(f"无法连接 PostgreSQL 数据库:{str(exc).strip()}") from exc


def _major(version_text: str) -> int:
    """15 from "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"."""
    match = re.search(r"\)\s*(\d+)", version_text) or re.search(r"(\d+)", version_text)
    return int(match.group(1)) if match else 0


def pg_tool(name: str, server_major: int) -> str:
    """The client tool for this server: Debian keeps each version in /usr/lib/postgresql/N/bin."""
    versioned = Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")
    path = str(versioned) if versioned.is_file() else shutil.which(name)
    if not path:
        raise OpsError(
            f"找不到 {name}:PostgreSQL 数据库的备份与恢复需要 PostgreSQL 客户端"
            f"(Debian:apt-get install postgresql-client,或运行 scripts/setup.sh)"
        )
    done = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    tool_major = _major(done.stdout)
    if tool_major < server_major:
        raise OpsError(
            f"{name} 的版本({tool_major})低于数据库服务器的版本({server_major}),无法处理该数据库:"
            f"请安装 postgresql-client-{server_major}"
        )
    return path


def postgres_snapshot(settings_dict: dict[str, Any], dest: Path) -> Snapshot:
    from psycopg import IsolationLevel

    conn = pg_connect(settings_dict)
    try:
        conn.isolation_level = IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        server_major = conn.info.server_version // 10000
        pg_dump = pg_tool("pg_dump", server_major)
        conn.execute("SET TIME ZONE 'UTC'")
        snapshot_id = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        command = [pg_dump, "--format=custom", f"--snapshot={snapshot_id}", "--file", str(dest)]
        dump = subprocess.Popen(command, env=pg_env(settings_dict), stderr=subprocess.PIPE, text=True)
        errors: list[str] = []
        reader = threading.Thread(target=lambda: errors.append(dump.stderr.read() if dump.stderr else ""))
        reader.start()
        try:
            digests = tables.postgres_digests(conn)
            migrations = tables.postgres_migrations(conn)
        finally:
            returncode = dump.wait()
            reader.join()
        if returncode != 0:
            raise OpsError(f"pg_dump 失败:{''.join(errors).strip() or f'退出码 {returncode}'}")
        conn.rollback()
        return Snapshot(digests, migrations, {"server_version": conn.info.server_version, "dump_format": "custom"})
    finally:
        conn.close()


def postgres_describe(settings_dict: dict[str, Any]) -> dict[str, tables.TableDigest]:
    conn = pg_connect(settings_dict)
    try:
        conn.execute("SET TIME ZONE 'UTC'")
        return tables.postgres_digests(conn)
    finally:
        conn.close()


def postgres_has_tables(settings_dict: dict[str, Any]) -> bool:
    conn = pg_connect(settings_dict, autocommit=True)
    try:
        return bool(tables.postgres_tables(conn))
    finally:
        conn.close()


def postgres_server_major(settings_dict: dict[str, Any]) -> int:
    conn = pg_connect(settings_dict, autocommit=True)
    try:
        return conn.info.server_version // 10000
    finally:
        conn.close()


def pg_dump_check(dump: Path) -> None:
    """pg_restore --list reads the dump's table of contents: a structural check without touching a database."""
    tool = pg_tool("pg_restore", 0)
    done = subprocess.run([tool, "--list", str(dump)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise OpsError(f"备份中的 PostgreSQL 转储无法读取:{done.stderr.strip()}")


# Drops what a previous installation left in the schema (the dump recreates everything it holds):
# tables, views and sequences, then functions (the ledger's triggers) and standalone types; extension
# members and sequences owned by a column go with their owners.
_CLEAR_SCHEMA = """
SET client_min_messages = warning;
DO $zhenggai$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('e', 'i', 'a'))
  LOOP
    EXECUTE format('DROP %s IF EXISTS %I CASCADE',
      CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                     WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.relname);
  END LOOP;
  FOR r IN
    SELECT p.oid::regprocedure AS signature, p.prokind FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = current_schema()
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP %s IF EXISTS %s CASCADE',
      CASE r.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, r.signature);
  END LOOP;
  FOR r IN
    SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd', 'r', 'm')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype IN ('e', 'i'))
  LOOP
    EXECUTE format('DROP TYPE IF EXISTS %s CASCADE', r.name);
  END LOOP;
END
$zhenggai$;
"""


def postgres_load(settings_dict: dict[str, Any], dump: Path) -> None:
    """Replace the schema's contents with the dump in one transaction.

    psql runs BEGIN, the clearing script and pg_restore's SQL; COMMIT is sent only once pg_restore
    has finished without error. (psql --single-transaction would commit whatever arrived if
    pg_restore died half-way.) Without the COMMIT the session ends and the server rolls it all back.
    """
    server_major = postgres_server_major(settings_dict)
    pg_restore = pg_tool("pg_restore", server_major)
    psql = pg_tool("psql", 0)
    env = pg_env(settings_dict)
    script = subprocess.Popen(
        [pg_restore, "--no-owner", "--no-privileges", "--no-comments", "--file", "-", str(dump)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    load = subprocess.Popen(
        [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert script.stdout is not None and load.stdin is not None
    errors: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda: errors.__setitem__("pg_restore", script.stderr.read())),  # type: ignore[union-attr]
        threading.Thread(target=lambda: errors.__setitem__("psql", load.stderr.read())),  # type: ignore[union-attr]
    ]
    for reader in readers:
        reader.start()
    script_code = None
    try:
        load.stdin.write(b"BEGIN;\n" + _CLEAR_SCHEMA.encode())
        shutil.copyfileobj(script.stdout, load.stdin, 1024 * 1024)
        script_code = script.wait()
        if script_code == 0:
            load.stdin.write(b"\nCOMMIT;\n")
    except BrokenPipeError:
        script.kill()  # psql stopped on an error (its message is read below); pg_restore must not block
    finally:
        with contextlib.suppress(BrokenPipeError):
            load.stdin.close()
    script_code, load_code = script.wait(), load.wait()
    for reader in readers:
        reader.join()
    if script_code != 0 or load_code != 0:
        lines = (errors.get("psql") or errors.get("pg_restore") or b"").decode("utf-8", "replace").strip().splitlines()
        first = next((line for line in lines if "ERROR" in line or "error" in line), lines[0] if lines else "未知错误")
        raise OpsError(f"载入 PostgreSQL 数据库失败,原有数据未改动:{first}")
