"""Row counts and checksums of every table, on SQLite and on PostgreSQL.

A table's checksum is the SHA-256 of its rows in primary-key order, each row written as canonical
JSON, so the same data gives the same checksum whichever connection reads it. Backups record them in
their manifest (computed on the snapshot they copy) and restores check the rebuilt database against
them. Only plain DB-API connections are used (sqlite3, psycopg), never Django's, whose converters
would make the values depend on who reads them.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

BATCH = 2000


@dataclass(frozen=True)
class TableDigest:
    rows: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "sha256": self.sha256}


def _canonical(value: Any) -> Any:
    """A JSON-ready form that keeps the type visible (1, 1.0 and "1" must not collide)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return f"f:{value!r}"
    if isinstance(value, Decimal):
        return f"d:{value}"
    if isinstance(value, bytes | bytearray | memoryview):
        return f"b:{bytes(value).hex()}"
    if isinstance(value, datetime):
        return f"t:{(value.astimezone(UTC) if value.tzinfo else value).isoformat()}"
    if isinstance(value, date | time):
        return f"t:{value.isoformat()}"
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    return f"{type(value).__name__}:{value}"


def digest_rows(rows: Iterable[Iterable[Any]]) -> TableDigest:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        line = json.dumps([_canonical(v) for v in row], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
        count += 1
    return TableDigest(count, digest.hexdigest())


def _batches(cursor: Any) -> Iterable[Any]:
    while rows := cursor.fetchmany(BATCH):
        yield from rows


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- SQLite --------------------------------------------------------------------------------


def sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    """Every table, virtual and shadow tables included (the search index lives there)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    )
    return [name for (name,) in rows]


def _sqlite_order(conn: sqlite3.Connection, table: str) -> str:
    columns = conn.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
    keys = [column[1] for column in sorted(columns, key=lambda c: c[5]) if column[5]]
    return ", ".join(map(_quote, keys)) if keys else "rowid"


def sqlite_digests(conn: sqlite3.Connection) -> dict[str, TableDigest]:
    result = {}
    for table in sqlite_tables(conn):
        cursor = conn.execute(f"SELECT * FROM {_quote(table)} ORDER BY {_sqlite_order(conn, table)}")
        result[table] = digest_rows(_batches(cursor))
    return result


def sqlite_migrations(conn: sqlite3.Connection) -> dict[str, list[str]]:
    return _group_migrations(conn.execute(_MIGRATIONS_SQL).fetchall() if _has_migrations_sqlite(conn) else [])


def _has_migrations_sqlite(conn: sqlite3.Connection) -> bool:
    return bool(
        conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'").fetchone()
    )


# --- PostgreSQL ----------------------------------------------------------------------------

_PG_TABLES = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname
"""
_PG_KEY = """
SELECT a.attname FROM pg_index i
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
WHERE i.indrelid = %s::regclass AND i.indisprimary
ORDER BY array_position(i.indkey::int2[], a.attnum)
"""


def postgres_tables(conn: Any) -> list[str]:
    return [name for (name,) in conn.execute(_PG_TABLES).fetchall()]


def postgres_digests(conn: Any) -> dict[str, TableDigest]:
    """Run inside the transaction whose snapshot is being described; a named cursor streams big tables."""
    result = {}
    for index, table in enumerate(postgres_tables(conn)):
        keys = [name for (name,) in conn.execute(_PG_KEY, (_quote(table),)).fetchall()]
        if keys:
            order = ", ".join(map(_quote, keys))
        else:
            width = len(conn.execute(f"SELECT * FROM {_quote(table)} LIMIT 0").description or ())
            order = ", ".join(str(i) for i in range(1, width + 1)) or "1"
        with conn.cursor(name=f"zhenggai_digest_{index}") as cursor:
            cursor.itersize = BATCH
            cursor.execute(f"SELECT * FROM {_quote(table)} ORDER BY {order}")
            result[table] = digest_rows(cursor)
    return result


def postgres_migrations(conn: Any) -> dict[str, list[str]]:
    present = conn.execute("SELECT to_regclass('django_migrations') IS NOT NULL").fetchone()[0]
    return _group_migrations(conn.execute(_MIGRATIONS_SQL).fetchall() if present else [])


# --- both ----------------------------------------------------------------------------------

_MIGRATIONS_SQL = "SELECT app, name FROM django_migrations ORDER BY app, name"


def _group_migrations(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for app, name in rows:
        grouped.setdefault(app, []).append(name)
    return grouped


def differences(expected: dict[str, Any], actual: dict[str, TableDigest]) -> list[str]:
    """Tables whose rows or checksum differ from a manifest's record (missing and extra tables too)."""
    problems = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        if want is None:
            problems.append(f"{table}(备份中没有该表)")
        elif got is None:
            problems.append(f"{table}(恢复后缺少该表)")
        elif want["rows"] != got.rows or want["sha256"] != got.sha256:
            problems.append(f"{table}(备份 {want['rows']} 行,恢复后 {got.rows} 行)")
    return problems
