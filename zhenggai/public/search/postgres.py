"""The PostgreSQL side of search: pg_trgm for three characters or more, a GIN array of each text's
characters and pairs (`public_search_grams`, keyed by search_seq) for one or two.

An index lookup must re-read every candidate's text, which is slow for a word found in half the
reports; a scan of the newest reports is fast exactly then. So each query first scans the newest
WINDOW live reports (stopping as soon as a page is full: such a word is not counted), and only when
that does not fill the page asks the index, whose candidates are then few (and counted). pg_trgm
works on Chinese only where LC_CTYPE classifies CJK characters as letters (C.UTF-8); elsewhere the
same LIKE queries run without the index (see `trigram_status`). The text is stored lz4-compressed
and inline (migration 0003), which makes reading it several times cheaper than the default.
"""

from __future__ import annotations

from zhenggai.public.search.grams import grams

GRAMS = "public_search_grams"
TRIGRAM_INDEX = "public_revision_body_trgm"
WINDOW = 2000


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
    many match in all when that is known without more reading (None: many, not counted)."""
    before = before or 2**62
    condition, arg = _condition(query, "w.body_text")
    cursor.execute(
        "SELECT w.search_seq FROM (SELECT search_seq, body_text FROM public_revision WHERE live AND search_seq < %s "
        f"ORDER BY search_seq DESC LIMIT %s) w WHERE {condition} ORDER BY w.search_seq DESC LIMIT %s",
        [before, WINDOW, arg, limit],
    )
    seqs = [row[0] for row in cursor.fetchall()]
    if len(seqs) >= limit:
        return seqs, None
    if _fewer_than_window(cursor, before):  # the window held every report there is: nothing missed
        return seqs, len(seqs)
    return _indexed(cursor, query, before, limit)


def _fewer_than_window(cursor, before: int) -> bool:
    cursor.execute(
        "SELECT count(*) FROM (SELECT 1 FROM public_revision WHERE live AND search_seq < %s LIMIT %s) s",
        [before, WINDOW],
    )
    return cursor.fetchone()[0] < WINDOW


def _indexed(cursor, query: str, before: int, limit: int) -> tuple[list[int], int]:
    """Every match through the index (few, or the window would have been enough); the page and the count."""
    if len(query) <= 2:  # the pairs table is exact: no text to read
        cursor.execute(f"SELECT seq FROM {GRAMS} WHERE grams @> ARRAY[%s]::text[] ORDER BY seq DESC", [query.lower()])
    else:
        operator = "LIKE" if query.lower() == query.upper() else "ILIKE"
        cursor.execute(
            "WITH m AS MATERIALIZED (SELECT search_seq FROM public_revision "
            f"WHERE live AND body_text {operator} %s) SELECT search_seq FROM m ORDER BY search_seq DESC",
            [_like(query)],
        )
    every = [row[0] for row in cursor.fetchall()]
    return [seq for seq in every if seq < before][:limit], len(every)
