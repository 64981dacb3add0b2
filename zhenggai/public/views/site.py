"""The public site's reading pages: home, the list with its filters, a report (page, print, files)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.ledger.models import Round
from zhenggai.org.models import Committee, Unit
from zhenggai.params import read_query
from zhenggai.public.documents import pdf_available
from zhenggai.public.forms import OpinionForm
from zhenggai.public.models import PublicReport, Revision
from zhenggai.public.views.common import not_found, public_report_or_none

PER_PAGE = 20
FILTERS = ("committee", "round", "unit", "year")


def published() -> QuerySet[PublicReport]:
    return PublicReport.objects.filter(state=PublicReport.State.PUBLISHED).select_related("unit", "round")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    latest = published().order_by("-published_on", "-id")[:10]
    return render(request, "public/home.html", {"latest": latest, "section": "home"})


FILTER_LABELS = {"committee": "党委", "round": "轮次", "unit": "单位", "year": "年度"}


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    params = read_query(request)
    chosen = {name: params.id(name, FILTER_LABELS[name]) for name in FILTERS if name != "year"}
    chosen["year"] = params.integer("year", FILTER_LABELS["year"], low=1900, high=9999)
    reports = published()
    for name, value in chosen.items():
        if value is not None:
            reports = reports.filter(**({"year": value} if name == "year" else {f"{name}_id": value}))
    page = Paginator(reports.order_by("-published_on", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    live = PublicReport.objects.filter(state=PublicReport.State.PUBLISHED)
    facets = {
        "committees": Committee.objects.filter(pk__in=live.values("committee_id")),
        "rounds": Round.objects.filter(pk__in=live.values("round_id")).select_related("committee"),
        "units": Unit.objects.filter(pk__in=live.values("unit_id")),
        "years": live.order_by("-year").values_list("year", flat=True).distinct(),
    }
    query = "&".join(f"{k}={v}" for k, v in chosen.items() if v is not None)
    return render(
        request,
        "public/list.html",
        {"page": page, "chosen": chosen, "facets": facets, "query": query, "section": "list"},
    )


def report_context(report: PublicReport) -> dict:
    revision = report.revisions.filter(live=True).first() if report.state == PublicReport.State.PUBLISHED else None
    return {"report": report, "revision": revision, "notices": report.notices.order_by("created_at", "id")}


@require_GET
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    report = public_report_or_none(pk)
    if report is None:
        return not_found(request)
    context = report_context(report)
    if context["revision"] is not None:
        context["form"] = OpinionForm.with_challenge()
    context["pdf"] = pdf_available()
    return render(request, "public/report.html", {**context, "section": "list"})


@require_GET
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    report = public_report_or_none(pk)
    if report is None:
        return not_found(request)
    return render(request, "public/print.html", report_context(report))


def live_revision(pk: int) -> Revision | None:
    return Revision.objects.filter(report_id=pk, live=True, report__state=PublicReport.State.PUBLISHED).first()
