"""Moving a SQLite installation into an empty PostgreSQL database (`zhenggai move-db --to URL`).

The target gets its schema from our own migrations (run in a child process with DATABASE_URL set to
it), then every table is streamed across in batches inside one transaction: Django creates
PostgreSQL foreign keys DEFERRABLE INITIALLY DEFERRED, so rows may arrive in any table order and the
references are checked at COMMIT. Each value is converted by the target column's type (one converter
per PostgreSQL type, not per field), so tables no model describes move the same way. SQLite's search
index (FTS5 virtual tables and their shadow tables) is not data: it is rebuilt in PostgreSQL's own
form from the live revisions. Afterwards the target is read back and each table's row count and
checksum (`zhenggai.ops.tables`) must equal those of the converted source rows; on any failure the
target is emptied again. The source is opened read-only, in one read transaction.
"""

from __future__ import annotations

import ipaddress
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from zhenggai.ops import engines, tables
from zhenggai.ops.errors import OpsError

BATCH = 5000
SEARCH_TABLE = "public_search_grams"


@dataclass(frozen=True)
class MovedTable:
    name: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class MoveResult:
    tables: list[MovedTable]
    search_rows: int  # live revisions indexed afresh on the target


# --- values ---------------------------------------------------------------------------------


def _timestamp(aware: bool) -> Callable[[Any], datetime]:
    def convert(value: Any) -> datetime:
        parsed = datetime.fromisoformat(str(value))
        if aware and parsed.tzinfo is None:
            return parsed.replace(tzinfo=UTC)  # Django keeps SQLite datetimes as UTC without an offset
        return parsed

    return convert


def _numeric(scale: int | None) -> Callable[[Any], Decimal]:
    def convert(value: Any) -> Decimal:
        number = Decimal(str(value))
        return number.quantize(Decimal(1).scaleb(-scale)) if scale is not None else number

    return convert


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _bytes(value: Any) -> bytes:
    return value.encode() if isinstance(value, str) else bytes(value)


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "boolean": bool,
    "smallint": int,
    "integer": int,
    "bigint": int,
    "double precision": float,
    "real": float,
    "text": _text,
    "character varying": _text,
    "character": _text,
    "date": lambda v: date.fromisoformat(str(v)),
    "time without time zone": lambda v: time.fromisoformat(str(v)),
    "timestamp with time zone": _timestamp(True),
    "timestamp without time zone": _timestamp(False),
    "uuid": lambda v: uuid.UUID(str(v)),
    "bytea": _bytes,
    "interval": lambda v: timedelta(microseconds=int(v)),
    "inet": lambda v: ipaddress.ip_address(str(v)),
    "json": _json,
    "jsonb": _json,
}


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    scale: int | None

    def converter(self, table: str) -> Callable[[Any], Any]:
        if self.data_type == "numeric":
            return _numeric(self.scale)
        try:
            return _CONVERTERS[self.data_type]
        except KeyError:
            raise OpsError(f"表 {table} 的列 {self.name} 类型为 {self.data_type},无法迁移") from None


def _for_copy(value: Any, data_type: str) -> Any:
    """COPY takes JSON as its text; the digest uses the parsed value, as psycopg reads it back."""
    if value is not None and data_type in {"json", "jsonb"}:
        return json.dumps(value, ensure_ascii=False)
    return value


# --- the two sides --------------------------------------------------------------------------


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _open_source(name: str | Path) -> sqlite3.Connection:
    text = str(name)
    if not text.startswith("file:") and not Path(text).is_file():
        raise OpsError(f"数据库文件不存在:{name}")
    uri = text if text.startswith("file:") else f"file:{Path(text).absolute()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
        conn.execute("BEGIN")  # one read transaction: every table as of the same moment
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise OpsError(f"无法打开 SQLite 数据库 {name}:{exc}") from exc
    return conn


def source_tables(conn: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """(tables holding data, search index tables): FTS virtual tables and their shadow tables are an index."""
    virtual = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
        )
    ]
    data: list[str] = []
    index: list[str] = []
    for name in tables.sqlite_tables(conn):
        (index if any(name == v or name.startswith(v + "_") for v in virtual) else data).append(name)
    return data, index


def _source_keys(conn: sqlite3.Connection, table: str) -> list[str]:
    columns = conn.execute(f"PRAGMA table_info({_q(table)})").fetchall()
    return [c[1] for c in sorted(columns, key=lambda c: c[5]) if c[5]] or [c[1] for c in columns]


_PG_COLUMNS = """
SELECT column_name, data_type, numeric_scale FROM information_schema.columns
WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position
"""
_PG_SEQUENCES = """
SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name)
FROM information_schema.columns
WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%%')
"""


def _target_columns(conn: Any, table: str) -> list[Column]:
    return [Column(name, kind, scale) for name, kind, scale in conn.execute(_PG_COLUMNS, (table,)).fetchall()]


def _target_order(columns: list[Column], keys: list[str]) -> str:
    """The source's key order: text compared byte by byte (COLLATE "C"), as SQLite's BINARY does."""
    kinds = {c.name: c.data_type for c in columns}
    textual = {"text", "character varying", "character"}
    return ", ".join(_q(k) + (' COLLATE "C"' if kinds.get(k) in textual else "") for k in keys)


def _target_rows(conn: Any) -> list[str]:
    found = []
    for name in tables.postgres_tables(conn):
        if conn.execute(f"SELECT EXISTS (SELECT 1 FROM {_q(name)})").fetchone()[0]:
            found.append(name)
    return found


def _clear_target(conn: Any) -> None:
    conn.execute(engines._CLEAR_SCHEMA)
    conn.commit()


# --- the move -------------------------------------------------------------------------------


def move(
    source: dict[str, Any],
    target_url: str,
    *,
    force: bool = False,
    known_migrations: set[tuple[str, str]] | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> MoveResult:
    """Copy the SQLite database `source` (a Django settings dict) into the PostgreSQL database at target_url."""
    from zhenggai.settings import POSTGRES_SCHEMES, database_from_url

    if engines.engine_of(source) != engines.SQLITE:
        raise OpsError("当前数据库不是 SQLite:move-db 只能把 SQLite 数据库迁移到 PostgreSQL")
    if target_url.split(":", 1)[0].lower() not in POSTGRES_SCHEMES:
        raise OpsError("--to 须为 PostgreSQL 数据库地址,如 postgres://用户名:密码@主机:5432/数据库名")
    target = database_from_url(target_url, Path("."))

    source_conn = _open_source(source["NAME"])
    try:
        data_tables, index_tables = source_tables(source_conn)
        _check_migrated(source_conn, known_migrations)
        conn = engines.pg_connect(target)
        try:
            filled = _target_rows(conn)
            if filled and not force:
                raise OpsError(
                    f"目标数据库 {target['NAME']} 不是空的({len(filled)}张表中已有数据,如 {'、'.join(filled[:3])}):"
                    "请换一个新建的空数据库,或确认其中数据可以丢弃后加 --force 清空它"
                )
            _clear_target(conn)
            try:
                _migrate(target_url)
                result = _copy(source_conn, conn, data_tables, bool(index_tables), progress)
                _verify(conn, result)
            except BaseException as exc:
                conn.rollback()
                _clear_target(conn)
                if isinstance(exc, OpsError):
                    raise OpsError(f"{exc.message}。目标数据库已清空,原数据库未改动") from exc
                raise
        finally:
            conn.close()
    finally:
        source_conn.close()
    return result


def _check_migrated(conn: sqlite3.Connection, known: set[tuple[str, str]] | None) -> None:
    if known is None:
        return
    applied = {(app, name) for app, names in tables.sqlite_migrations(conn).items() for name in names}
    if known - applied:
        raise OpsError("原数据库还有未执行的数据库迁移:请先运行 zhenggai migrate(或 zhenggai upgrade)再迁移")
    if applied - known:
        raise OpsError("原数据库由更新版本的系统建立(有本版本不认识的数据库迁移):请用相同版本的系统迁移")


def _migrate(target_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = target_url
    done = subprocess.run(
        [sys.executable, "-m", "zhenggai.cli", "migrate", "--noinput", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise OpsError(f"在目标数据库建立表结构失败:{lines[-1] if lines else f'退出码 {done.returncode}'}")


def _copy(
    source: sqlite3.Connection, conn: Any, data_tables: list[str], has_index: bool, progress: Callable[[str], None]
) -> MoveResult:
    conn.execute("SET TIME ZONE 'UTC'")
    conn.execute("SET CONSTRAINTS ALL DEFERRED")
    present = set(tables.postgres_tables(conn))
    missing = [t for t in data_tables if t not in present]
    if missing:
        raise OpsError(f"目标数据库中没有这些表,数据无处可放:{'、'.join(missing)}")
    if present:
        conn.execute(f"TRUNCATE {', '.join(map(_q, sorted(present)))} RESTART IDENTITY CASCADE")
    moved = []
    for table in data_tables:
        moved.append(_copy_table(source, conn, table))
        progress(f"{table}:{moved[-1].rows}行")
    _reset_sequences(conn)
    search_rows = _rebuild_search(conn) if has_index or SEARCH_TABLE in present else 0
    conn.commit()
    return MoveResult(moved, search_rows)


def _copy_table(source: sqlite3.Connection, conn: Any, table: str) -> MovedTable:
    columns = _target_columns(conn, table)
    source_columns = {c[1] for c in source.execute(f"PRAGMA table_info({_q(table)})").fetchall()}
    if source_columns != {c.name for c in columns}:
        raise OpsError(f"表 {table} 在两个数据库中的列不同,无法迁移(请确认两边为同一版本)")
    converters = [c.converter(table) for c in columns]
    kinds = [c.data_type for c in columns]
    names = ", ".join(_q(c.name) for c in columns)
    order = ", ".join(map(_q, _source_keys(source, table)))
    cursor = source.execute(f"SELECT {names} FROM {_q(table)} ORDER BY {order}")

    def converted() -> Iterator[list[Any]]:
        while batch := cursor.fetchmany(BATCH):
            for row in batch:
                yield [None if v is None else f(v) for f, v in zip(converters, row, strict=True)]

    def sent(rows: Iterator[list[Any]], copy: Any) -> Iterator[list[Any]]:
        for row in rows:
            copy.write_row([_for_copy(v, k) for v, k in zip(row, kinds, strict=True)])
            yield row

    try:
        with conn.cursor().copy(f"COPY {_q(table)} ({names}) FROM STDIN") as copy:
            digest = tables.digest_rows(sent(converted(), copy))
    except (ValueError, TypeError) as exc:
        raise OpsError(f"表 {table} 中有无法转换的值:{exc}") from exc
    except Exception as exc:  # psycopg.Error: the server refused a row
        raise OpsError(f"写入表 {table} 失败:{str(exc).strip().splitlines()[0]}") from exc
    return MovedTable(table, digest.rows, digest.sha256)


def _reset_sequences(conn: Any) -> None:
    """The next id after the largest copied one, so new rows do not collide with moved ones."""
    for table, column, sequence in conn.execute(_PG_SEQUENCES).fetchall():
        if sequence:
            conn.execute(
                f"SELECT setval(%s, COALESCE((SELECT max({_q(column)}) FROM {_q(table)}), 0) + 1, false)",
                (sequence,),
            )


def _rebuild_search(conn: Any) -> int:
    from zhenggai.public.search import postgres

    cursor = conn.cursor()
    postgres.clear(cursor)
    with conn.cursor(name="zhenggai_move_search") as live:
        live.itersize = 500
        live.execute("SELECT search_seq, body_text FROM public_revision WHERE live ORDER BY search_seq")
        count = 0
        for seq, text in live:
            postgres.add(cursor, seq, text)
            count += 1
    return count


def _verify(conn: Any, result: MoveResult) -> None:
    """Read the committed target back: each table's rows and checksum must equal what was sent."""
    from psycopg import IsolationLevel

    conn.isolation_level = IsolationLevel.REPEATABLE_READ
    conn.execute("SET TIME ZONE 'UTC'")
    wrong = []
    for index, moved in enumerate(result.tables):
        columns = _target_columns(conn, moved.name)
        keys = [name for (name,) in conn.execute(tables._PG_KEY, (_q(moved.name),)).fetchall()]
        names = ", ".join(_q(c.name) for c in columns)
        with conn.cursor(name=f"zhenggai_move_verify_{index}") as cursor:
            cursor.itersize = BATCH
            order = _target_order(columns, keys or [c.name for c in columns])
            cursor.execute(f"SELECT {names} FROM {_q(moved.name)} ORDER BY {order}")
            got = tables.digest_rows(cursor)
        if (got.rows, got.sha256) != (moved.rows, moved.sha256):
            wrong.append(f"{moved.name}(原 {moved.rows} 行,目标 {got.rows} 行)")
    conn.rollback()
    if wrong:
        raise OpsError(f"迁移后核对不一致:{'、'.join(wrong)}")
