"""The SQLite side of search: FTS5 tables without content of their own (the text stays in the revision).

`public_search_trigram` (tokenize='trigram') answers three characters or more; `public_search_grams`
(unicode61, detail=none) holds each text's letters and letter pairs and answers one or two. Their
rowid is the revision's `search_seq`, so `ORDER BY rowid DESC LIMIT n` walks newest first and stops
early. Anything else (a short query with punctuation) is found with instr() on the revisions.
"""

from __future__ import annotations

from zhenggai.public.search.grams import is_word, word_grams

TRIGRAM = "public_search_trigram"
GRAMS = "public_search_grams"
COUNT_CAP = 1000


def add(cursor, seq: int, text: str) -> None:
    cursor.execute(f"INSERT INTO {TRIGRAM}(rowid, body) VALUES (%s, %s)", [seq, text])
    cursor.execute(f"INSERT INTO {GRAMS}(rowid, grams) VALUES (%s, %s)", [seq, word_grams(text)])


def remove(cursor, seq: int, text: str) -> None:
    """Contentless tables forget a row when given the very values it was indexed with."""
    cursor.execute(f"INSERT INTO {TRIGRAM}({TRIGRAM}, rowid, body) VALUES ('delete', %s, %s)", [seq, text])
    cursor.execute(f"INSERT INTO {GRAMS}({GRAMS}, rowid, grams) VALUES ('delete', %s, %s)", [seq, word_grams(text)])


def clear(cursor) -> None:
    for table in (TRIGRAM, GRAMS):
        cursor.execute(f"INSERT INTO {table}({table}) VALUES ('delete-all')")


def _phrase(query: str) -> str:
    return '"' + query.replace('"', '""') + '"'


def find(cursor, query: str, before: int | None, limit: int, want_total: bool) -> tuple[list[int], int | None, bool]:
    """Up to `limit` live search_seq values matching `query`, newest first, below `before`; how many
    match in all (None when not asked); and whether that is only a lower bound (COUNT_CAP or more)."""
    if len(query) >= 3:
        table, match = TRIGRAM, _phrase(query)
    elif is_word(query):
        table, match = GRAMS, _phrase(query.lower())
    else:
        return _scan(cursor, query, before, limit, want_total)
    joined = f"FROM {table} JOIN public_revision r ON r.search_seq = {table}.rowid WHERE {table} MATCH %s AND r.live"
    page = f"SELECT {table}.rowid {joined} AND {table}.rowid < %s ORDER BY {table}.rowid DESC LIMIT %s"
    return _page_and_count(cursor, page, joined, match, before, limit, want_total)


def _scan(cursor, query: str, before: int | None, limit: int, want_total: bool) -> tuple[list[int], int | None, bool]:
    source = "FROM public_revision WHERE live AND instr(body_text, %s) > 0"
    page = f"SELECT search_seq {source} AND search_seq < %s ORDER BY search_seq DESC LIMIT %s"
    return _page_and_count(cursor, page, source, query, before, limit, want_total)


def _page_and_count(
    cursor, page: str, source: str, term: str, before: int | None, limit: int, want_total: bool
) -> tuple[list[int], int | None, bool]:
    """One page of sequence numbers before `before` (newest first) and, when wanted, how many rows
    `source` holds up to COUNT_CAP; both queries take `term` as their first parameter."""
    cursor.execute(page, [term, before or 2**62, limit])
    seqs = [row[0] for row in cursor.fetchall()]
    total = None
    if want_total:
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 {source} LIMIT %s)", [term, COUNT_CAP])
        total = cursor.fetchone()[0]
    return seqs, total, total is not None and total >= COUNT_CAP
