"""The PostgreSQL side of search: pg_trgm for three characters or more, a GIN array of each text's
characters and pairs (`public_search_grams`, keyed by search_seq) for one or two.

An index lookup must re-read every candidate's text, which is slow for a word found in half the
reports; a scan of the newest reports is fast exactly then. So each query first scans the newest
WINDOW live reports, and only when that does not fill the page asks the index, whose candidates are
then few (and counted). pg_trgm works on Chinese only where LC_CTYPE classifies CJK characters as
letters (C.UTF-8); elsewhere the same LIKE queries run without the index (see `trigram_status`). The
text is stored lz4-compressed and inline (migration 0003), which makes reading it several times
cheaper than the default.

The first page also says how many reports match, as cheaply as that can be known. One or two
characters: the pairs table counts exactly, without reading any text, up to COUNT_CAP ("at least
COUNT_CAP" beyond). Three or more: the window scan goes on past the page until COUNT_CAP matches or
the end of the window (strpos over at most WINDOW texts); when the window ends first and older reports
exist, the count is a lower bound ("at least"), since counting those through the index would re-read
every candidate's text with LIKE, several times the cost of the whole search.
"""

from __future__ import annotations

from django.db import transaction

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


def find(cursor, query: str, before: int | None, limit: int, want_total: bool) -> tuple[list[int], int | None, bool]:
    """Up to `limit` live search_seq values matching `query`, newest first, below `before`; how many
    match in all when `want_total` (else None); and whether that number is only a lower bound."""
    before = before or 2**62
    short = len(query) <= 2
    seqs = _window(cursor, query, before, max(limit, COUNT_CAP) if want_total and not short else limit)
    if len(seqs) < limit:  # the newest reports do not fill a page
        if _fewer_than_window(cursor, before):  # the window held every report there is: nothing missed
            return seqs, len(seqs), False
        page, total = _indexed(cursor, query, before, limit)
        return page, total, False
    if not want_total:
        return seqs[:limit], None, False
    if short:
        total = max(_pairs_count(cursor, query), len(seqs))
        return seqs[:limit], total, total >= COUNT_CAP
    if len(seqs) >= COUNT_CAP:
        return seqs[:limit], COUNT_CAP, True
    if _fewer_than_window(cursor, before):
        return seqs[:limit], len(seqs), False
    return seqs[:limit], len(seqs), True  # the matches among the newest WINDOW reports, at least


def _window(cursor, query: str, before: int, limit: int) -> list[int]:
    """Matches among the newest WINDOW live reports below `before`, newest first, at most `limit`."""
    condition, arg = _condition(query, "w.body_text")
    cursor.execute(
        "SELECT w.search_seq FROM (SELECT search_seq, body_text FROM public_revision WHERE live AND search_seq < %s "
        f"ORDER BY search_seq DESC LIMIT %s) w WHERE {condition} ORDER BY w.search_seq DESC LIMIT %s",
        [before, WINDOW, arg, limit],
    )
    return [row[0] for row in cursor.fetchall()]


def _pairs(cursor, sql: str, query: str) -> list[tuple]:
    """A query on the pairs table through its GIN index. The planner, which does not price reading the
    arrays, would scan the table for a common pair and unpack every array: seconds instead of ms."""
    with transaction.atomic(using=cursor.db.alias):  # a failure rolls the settings back with it
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(sql, [query.lower()])
        rows = cursor.fetchall()
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    return rows


def _pairs_count(cursor, query: str) -> int:
    """How many live reports contain `query` (one or two characters), exactly, up to COUNT_CAP."""
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {GRAMS} WHERE grams @> ARRAY[%s]::text[] LIMIT {COUNT_CAP}) s"
    return _pairs(cursor, sql, query)[0][0]


def _fewer_than_window(cursor, before: int) -> bool:
    cursor.execute(
        "SELECT count(*) FROM (SELECT 1 FROM public_revision WHERE live AND search_seq < %s LIMIT %s) s",
        [before, WINDOW],
    )
    return cursor.fetchone()[0] < WINDOW


def _indexed(cursor, query: str, before: int, limit: int) -> tuple[list[int], int]:
    """Every match through the index (few, or the window would have been enough); the page and the count."""
    if len(query) <= 2:  # the pairs table is exact: no text to read
        rows = _pairs(cursor, f"SELECT seq FROM {GRAMS} WHERE grams @> ARRAY[%s]::text[] ORDER BY seq DESC", query)
    else:
        operator = "LIKE" if query.lower() == query.upper() else "ILIKE"
        cursor.execute(
            "WITH m AS MATERIALIZED (SELECT search_seq FROM public_revision "
            f"WHERE live AND body_text {operator} %s) SELECT search_seq FROM m ORDER BY search_seq DESC",
            [_like(query)],
        )
        rows = cursor.fetchall()
    every = [row[0] for row in rows]
    return [seq for seq in every if seq < before][:limit], len(every)
