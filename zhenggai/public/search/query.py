"""`search()`: what the search page, the API and the benchmark call.

A query is one phrase: surrounding and inner white space is dropped (Chinese has none between words)
and it is cut to MAX_QUERY characters. Results are the live revisions, newest first, a page at a
time; `before` (the last hit's search_seq) asks for the next page, so every page costs the same.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.db import connection
from django.utils.safestring import SafeString

from zhenggai.public.models import Revision
from zhenggai.public.search import index
from zhenggai.public.search.snippet import highlight, snippet

MAX_QUERY = 50
PAGE = 20
_SPACE = re.compile(r"\s+")


@dataclass
class Hit:
    revision: Revision
    title: SafeString
    snippet: SafeString


@dataclass
class SearchPage:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int | None = None  # first page only; with `capped`, only "at least this many"
    capped: bool = False
    next_before: int | None = None
    first_page: bool = True


def normalise(raw: str) -> str:
    """The phrase searched for: no white space or control characters, at most MAX_QUERY characters."""
    text = "".join(ch for ch in (raw or "") if unicodedata.category(ch)[0] != "C" or ch in "\t\n ")
    return _SPACE.sub("", text)[:MAX_QUERY]


def search(raw: str, *, before: int | None = None, limit: int = PAGE) -> SearchPage:
    query = normalise(raw)
    page = SearchPage(query=query, first_page=before is None)
    if not query:
        return page
    seqs, total, capped = _find(query, before, limit + 1, want_total=before is None)
    more = len(seqs) > limit
    seqs = seqs[:limit]
    revisions = (
        Revision.objects.filter(live=True, search_seq__in=seqs)
        .select_related("report")
        .defer("body_html", "blocks", "exempt", "exemptions", "counts", "contact")
    )
    by_seq = {revision.search_seq: revision for revision in revisions}
    page.hits = [
        Hit(revision, highlight(revision.title, query), snippet(revision.body_text, query))
        for seq in seqs
        if (revision := by_seq.get(seq)) is not None
    ]
    page.next_before = seqs[-1] if more and seqs else None
    if total is not None and before is None:
        page.total, page.capped = total, capped
    return page


def _find(query: str, before: int | None, limit: int, want_total: bool) -> tuple[list[int], int | None, bool]:
    """The backend's answer: (search_seq values, total or None, whether the total is a lower bound)."""
    module = index.backend()
    if module is not None:
        with connection.cursor() as cursor:
            return module.find(cursor, query, before, limit, want_total)
    live = Revision.objects.filter(live=True, body_text__icontains=query)
    below = live.filter(search_seq__lt=before) if before else live
    seqs = list(below.order_by("-search_seq").values_list("search_seq", flat=True)[:limit])
    return seqs, live.count() if want_total else None, False
