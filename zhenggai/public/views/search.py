"""The search page: one phrase, results newest first with highlighted snippets, a page at a time."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.params import read_query
from zhenggai.public.search import MAX_QUERY, search


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    params = read_query(request)
    raw = params.text("q", MAX_QUERY * 4)
    before = params.id("before", "翻页位置")
    result = search(raw, before=before) if raw.strip() else None
    context = {"q": raw.strip()[:MAX_QUERY], "result": result, "before": before, "section": "search", "max": MAX_QUERY}
    if result is not None and result.total is not None:
        context["total"] = f"{result.total:,}"  # 1,000
    return render(request, "public/search.html", context)
