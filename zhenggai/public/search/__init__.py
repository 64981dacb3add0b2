"""Chinese full-text search over the published reports: one `search()` for every caller, the index
kept by `index.add` / `index.remove` when a revision goes live or comes off.

SQLite: FTS5 with the trigram tokenizer for queries of three characters or more, and an FTS5 table
of the texts' single characters and character pairs for one and two. PostgreSQL: pg_trgm (GIN)
for three or more and a GIN array of the same characters and pairs for one and two.
"""

from zhenggai.public.search.query import MAX_QUERY, Hit, SearchPage, normalise, search

__all__ = ["MAX_QUERY", "Hit", "SearchPage", "normalise", "search"]
