"""System checks of the public side: Chinese full-text search needs a database that can index it."""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import connections


@register(Tags.database)
def check_trigram_search(app_configs, databases=None, **kwargs) -> list:
    """pg_trgm extracts no trigrams from Chinese unless the database's LC_CTYPE classifies CJK as letters
    (C.UTF-8 does, C does not): then search still answers, but by scanning every published report."""
    from zhenggai.public.search.postgres import trigram_status

    warnings = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        status = trigram_status(connection)
        if status != "ok":
            warnings.append(
                Warning(
                    f"Chinese full-text search on database {alias!r} has no trigram index ({status}); "
                    "searches fall back to LIKE scans of every published report.",
                    hint="Create the database with LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0 "
                    "and the pg_trgm extension available, then run migrate again.",
                    id="public.W001",
                )
            )
    return warnings
