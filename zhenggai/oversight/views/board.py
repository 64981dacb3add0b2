"""The dashboard pages: all rounds at a glance, and one round by team, unit and aspect."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET

from zhenggai.ledger.models import Round
from zhenggai.oversight import permissions
from zhenggai.oversight.services import dashboard
from zhenggai.oversight.views import charts
from zhenggai.oversight.views.common import csv_response, page, today, viewer

OVERVIEW_COLUMNS = [
    charts.Column("units", "被巡察单位", None),
    charts.Column("leaves", "具体问题", {}, True, None, "#9aa0a6"),
    charts.Column("completed", "完成整改", {"status": "完成整改"}, True, None, "#2da44e"),
    charts.Column("rate_text", "完成率", None),
    *[c for c in charts.TASK_COLUMNS if c.key in ("red", "yellow", "green", "requested")],
]


ROUNDS_PER_PAGE = 30


@viewer
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The rounds the user sees, latest first, a page at a time, under the totals of all of them."""
    scope = permissions.scope(request.user)
    day = today()
    page_obj = Paginator(dashboard.visible_rounds(scope), ROUNDS_PER_PAGE).get_page(request.GET.get("page"))
    summaries = dashboard.overview(scope, day, list(page_obj))
    totals = charts.cells(dashboard.overview_total(scope, day), charts.TOTAL_CARDS, {})
    context = {
        "summaries": summaries,
        "board": _overview_section(summaries),
        "totals": totals,
        "page_obj": page_obj,
        "opinions": opinion_cards(request.user, linked=True),
        "tab": "board",
    }
    return page("oversight/overview.html", request, context)


@dataclass(frozen=True)
class OpinionCard:
    key: str
    label: str
    value: int
    link: str | None = None


# (count, label, state filter of the opinion list); the list cannot filter by kind, so that card has no link
OPINION_CARDS = (
    ("total", "群众意见", "all"),
    ("open", "未办结", "open"),
    ("received", "已收到待分办", "received"),
    ("handling", "办理中", "handling"),
    ("replied", "已答复", "replied"),
    ("closed", "已办结", "closed"),
    ("not_rectified", "其中反映整改不到位", None),
)


def opinion_cards(user: Any, round_: Round | None = None, *, linked: bool = False) -> list[OpinionCard] | None:
    """The public's opinions the user may see (about one round's reports, or all with general ones),
    counted by state; None when the public side is not installed. Links lead to the opinion list,
    which is not filtered by round, so only the overview links."""
    if not apps.is_installed("zhenggai.public"):
        return None
    from zhenggai.public.services.counts import opinion_counts

    figures = opinion_counts(user, round=round_).as_dict()
    listing = reverse("publication:opinions")
    return [
        OpinionCard(key, label, figures[key], f"{listing}?state={state}" if linked and state else None)
        for key, label, state in OPINION_CARDS
    ]


def _overview_section(summaries: list[dashboard.RoundSummary]) -> charts.Section:
    lines = []
    for s in summaries:
        base = {"round": s.round.pk}
        row_cells = []
        for column in OVERVIEW_COLUMNS:
            value = s.units if column.key == "units" else getattr(s.tally, column.key)
            link = charts.task_link({**base, **column.filters}) if column.filters is not None else None
            row_cells.append(charts.Cell(column, value, link))
        lines.append(charts.Line(f"round-{s.round.pk}", s.round.name, row_cells))
    return charts.Section("rounds", "各轮次整改情况", "巡察轮次", OVERVIEW_COLUMNS, lines)


def _round_sections(round_: Round, board: dashboard.RoundBoard) -> list[charts.Section]:
    base = {"round": round_.pk}
    columns = charts.STATUS_COLUMNS + charts.TASK_COLUMNS
    statuses = tuple(c.key for c in charts.STATUS_COLUMNS)
    units = charts.section("units", "各单位整改情况", "被巡察单位", board.units, columns, base, statuses)
    teams = charts.section("teams", "各巡察组整改情况", "巡察组", board.teams, columns, base, statuses)
    aspect_base = {**base, "taxonomy": board.taxonomy.pk} if board.taxonomy else base
    title = f"各方面问题整改情况（{board.taxonomy.name}）" if board.taxonomy else "各方面问题整改情况"
    aspects = charts.section("aspects", title, "问题类别", board.aspects, columns, aspect_base, statuses)
    lights = charts.Section(
        "lights",
        "各单位时限预警",
        "被巡察单位",
        charts.TASK_COLUMNS,
        [
            charts.Line(line.key.replace("units", "lights"), line.label, line.cells[len(charts.STATUS_COLUMNS) :])
            for line in units.lines
        ],
    )
    progress = charts.progress_section(board.progress, base)
    return [units, lights, teams, aspects, progress]


def _board(request: HttpRequest, pk: int) -> tuple[Round, dashboard.RoundBoard]:
    scope = permissions.scope(request.user)
    round_ = get_object_or_404(Round.objects.select_related("committee"), pk=pk)
    if not scope.filter(round=round_).exists():
        raise Http404
    return round_, dashboard.round_board(round_, scope, today())


@viewer
@require_GET
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_, board = _board(request, pk)
    base = {"round": round_.pk}
    totals = charts.cells(board.total, charts.TOTAL_CARDS, base)
    context = {
        "round": round_,
        "board": board,
        "totals": totals,
        "sections": _round_sections(round_, board),
        "units": len(board.units),
        "opinions": opinion_cards(request.user, round_),
        "tab": "board",
    }
    return page("oversight/round.html", request, context)


@viewer
@require_GET
def round_csv(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    round_, board = _board(request, pk)
    sections = {s.name: s for s in _round_sections(round_, board)}
    if name not in sections:
        raise Http404
    header, rows = sections[name].csv_rows()
    return csv_response(f"{round_.name}-{sections[name].title}.csv", header, rows)


@viewer
@require_GET
def overview_csv(request: HttpRequest) -> HttpResponse:
    scope = permissions.scope(request.user)
    section = _overview_section(dashboard.overview(scope, today(), list(dashboard.visible_rounds(scope))))
    header, rows = section.csv_rows()
    return csv_response("各轮次整改情况.csv", header, rows)
