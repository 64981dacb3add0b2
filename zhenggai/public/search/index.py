"""Keeping the search index in step with what is live: called by the publishing services inside their
transaction, so a revision is searchable exactly while it is on the public site."""

from __future__ import annotations

from types import ModuleType

from django.db import connection

from zhenggai.public.models import Revision
from zhenggai.public.search import postgres, sqlite


def backend() -> ModuleType | None:
    """The module that indexes for this database, or None where search scans the text instead."""
    return {"sqlite": sqlite, "postgresql": postgres}.get(connection.vendor)


def add(revision: Revision) -> None:
    module = backend()
    if module is not None:
        with connection.cursor() as cursor:
            module.add(cursor, revision.search_seq, revision.body_text)


def remove(revision: Revision) -> None:
    module = backend()
    if module is not None:
        with connection.cursor() as cursor:
            module.remove(cursor, revision.search_seq, revision.body_text)


def rebuild() -> int:
    """Index every live revision afresh; returns how many. For repairs and after bulk loads."""
    module = backend()
    if module is None:
        return 0
    count = 0
    with connection.cursor() as cursor:
        module.clear(cursor)
        for seq, text in Revision.objects.filter(live=True).values_list("search_seq", "body_text").iterator(500):
            module.add(cursor, seq, text)
            count += 1
    return count
