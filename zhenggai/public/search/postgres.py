"""The PostgreSQL side of search: pg_trgm for three characters or more, a GIN array of each text's
characters and pairs (`public_search_grams`, keyed by search_seq) for one or two.

An index lookup must re-read every candidate's text, which is slow for a word found in half the
reports; a scan of the newest reports is fast exactly then. So each query first scans a window of
the newest WINDOW live reports, and only when that does not fill the page asks the index, whose
candidates are then few. pg_trgm works on Chinese only where LC_CTYPE classifies CJK characters as
letters (C.UTF-8); elsewhere the same LIKE queries run without the index (see `trigram_status`).
"""

from __future__ import annotations

from zhenggai.public.search.grams import grams

GRAMS = "public_search_grams"
TRIGRAM_INDEX = "public_revision_body_trgm"
WINDOW = 2000
COUNT_CAP = 1000


def trigram_works(cursor) -> bool:
    """Whether pg_trgm, as installed in this database, extracts trigrams from Chinese text."""
    cursor.execute("SELECT coalesce(array_length(show_trgm('巡察整改'), 1), 0)")
    return cursor.fetchone()[0] > 0


def trigram_status(connection) -> str:
    """'ok', or what keeps three-character queries from using an index in this database."""
    if "public_revision" not in connection.introspection.table_names():
        return "ok"  # not migrated yet: the migration decides
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            return "the pg_trgm extension is not installed"
        if not trigram_works(cursor):
            cursor.execute("SHOW lc_ctype")
            return f"lc_ctype={cursor.fetchone()[0]} extracts no trigrams from Chinese"
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [TRIGRAM_INDEX])
        if cursor.fetchone() is None:
            return f"index {TRIGRAM_INDEX} is missing"
    return "ok"


def add(cursor, seq: int, text: str) -> None:
    cursor.execute(
        f"INSERT INTO {GRAMS} (seq, grams) VALUES (%s, %s) ON CONFLICT (seq) DO UPDATE SET grams = EXCLUDED.grams",
        [seq, sorted(grams(text))],
    )


def remove(cursor, seq: int, text: str) -> None:
    cursor.execute(f"DELETE FROM {GRAMS} WHERE seq = %s", [seq])


def clear(cursor) -> None:
    cursor.execute(f"TRUNCATE {GRAMS}")


def _like(query: str) -> str:
    return "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _condition(query: str, column: str) -> tuple[str, str]:
    """strpos() where case cannot matter (no letters with case: Chinese), else ILIKE."""
    if query.lower() == query.upper():
        return f"strpos({column}, %s) > 0", query
    return f"{column} ILIKE %s", _like(query)


def find(cursor, query: str, before: int | None, limit: int, want_total: bool) -> tuple[list[int], int | None]:
    """Up to `limit` live search_seq values matching `query`, newest first, below `before`; and how
    many match in all (None when not asked, COUNT_CAP meaning at least that many)."""
    before = before or 2**62
    condition, arg = _condition(query, "w.body_text")
    cursor.execute(
        "SELECT w.search_seq, w.n FROM (SELECT search_seq, body_text, count(*) OVER () AS n FROM ("
        "SELECT search_seq, body_text FROM public_revision WHERE live AND search_seq < %s "
        "ORDER BY search_seq DESC LIMIT %s) newest) w "
        f"WHERE {condition} ORDER BY w.search_seq DESC",
        [before, WINDOW, arg],
    )
    rows = cursor.fetchall()
    window_complete = bool(rows) and rows[0][1] < WINDOW
    if len(rows) >= limit or window_complete or (not rows and _fewer_than_window(cursor, before)):
        seqs = [row[0] for row in rows[:limit]]
        if not want_total:
            return seqs, None
        if window_complete or not rows:
            return seqs, len(rows)
        return seqs, _capped_count(cursor, query)
    return _indexed(cursor, query, before, limit)


def _fewer_than_window(cursor, before: int) -> bool:
    cursor.execute(
        "SELECT count(*) FROM (SELECT 1 FROM public_revision WHERE live AND search_seq < %s LIMIT %s) s",
        [before, WINDOW],
    )
    return cursor.fetchone()[0] < WINDOW


def _matching(query: str) -> tuple[str, list]:
    """The statement of every live search_seq that matches, through the index that suits the query."""
    if len(query) <= 2:
        sql = (
            f"SELECT r.search_seq FROM {GRAMS} g JOIN public_revision r ON r.search_seq = g.seq AND r.live "
            "WHERE g.grams @> ARRAY[%s]::text[]"
        )
        return sql, [query.lower()]
    operator = "LIKE" if query.lower() == query.upper() else "ILIKE"
    return f"SELECT search_seq FROM public_revision WHERE live AND body_text {operator} %s", [_like(query)]


def _indexed(cursor, query: str, before: int, limit: int) -> tuple[list[int], int]:
    sql, args = _matching(query)
    cursor.execute(
        f"WITH m AS MATERIALIZED ({sql}) SELECT (SELECT count(*) FROM m), "
        "ARRAY(SELECT search_seq FROM m WHERE search_seq < %s ORDER BY search_seq DESC LIMIT %s)",
        [*args, before, limit],
    )
    total, seqs = cursor.fetchone()
    return list(seqs), total


def _capped_count(cursor, query: str) -> int:
    sql, args = _matching(query)
    cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT %s) s", [*args, COUNT_CAP])
    return cursor.fetchone()[0]
