"""Pages of the analyses: common problems (with CSV/xlsx export for a sector-wide fix), repeated
problems and rectification quality, each for one round or across all the rounds the user sees."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.db.models import Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from zhenggai.ledger.models import Inspection, Round
from zhenggai.outputs.cells import cell_row, cell_rows
from zhenggai.oversight import permissions
from zhenggai.oversight.services import analyses
from zhenggai.oversight.views.common import csv_response, page, viewer
from zhenggai.params import read_query

ALL = "all"


def _scope(request: HttpRequest) -> tuple[QuerySet[Inspection], Round | None, list[Round], str]:
    """The user's inspections in the chosen round (default: the latest), or in all rounds."""
    visible = permissions.scope(request.user)
    rounds = list(
        Round.objects.filter(pk__in=visible.values("round_id"))
        .annotate(last=Max("inspections__feedback_date"))
        .order_by("-year", "-number", "-pk")
    )
    choice = read_query(request).choice("round", "轮次", [ALL, *(str(r.pk) for r in rounds)]) or ""
    if choice == ALL:
        return visible, None, rounds, ALL
    chosen = next((r for r in rounds if str(r.pk) == choice), rounds[0] if rounds else None)
    scope = visible.filter(round=chosen) if chosen else visible.none()
    return scope, chosen, rounds, str(chosen.pk) if chosen else ""


def _context(request: HttpRequest, **extra) -> dict:
    scope, chosen, rounds, choice = _scope(request)
    return {"scope": scope, "chosen": chosen, "rounds": rounds, "choice": choice, **extra}


@viewer
@require_GET
def common_page(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    context["groups"] = analyses.common_problems(context["scope"])
    context["tab"] = "common"
    return page("oversight/common.html", request, context)


COMMON_HEADER = ["共性问题编号", "涉及单位数", "问题数", "代表性表述", "轮次", "被巡察单位", "问题表述", "整改状态"]


def _common_rows(groups: list[dict]):
    for number, group in enumerate(groups, 1):
        for finding in group["findings"]:
            yield [
                number,
                len(group["units"]),
                group["size"],
                group["representative"],
                finding["round"],
                finding["unit"],
                finding["title"],
                finding["status"],
            ]


@viewer
@require_GET
def common_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    scope, chosen, _, _ = _scope(request)
    groups = analyses.common_problems(scope)
    name = f"共性问题-{chosen.name if chosen else '全部轮次'}"
    if fmt == "csv":
        return csv_response(f"{name}.csv", COMMON_HEADER, _common_rows(groups))
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("共性问题")
    sheet.append(cell_row(COMMON_HEADER))
    for row in cell_rows(_common_rows(groups)):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.xlsx"
    return response


@viewer
@require_GET
def repeats_page(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    context["matches"] = analyses.repeated_problems(context["scope"], permissions.scope(request.user))
    context["tab"] = "repeats"
    return page("oversight/repeats.html", request, context)


@viewer
@require_GET
def quality_page(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    report = analyses.quality_report(context["scope"])
    show = request.GET.get("show", "flagged")
    measures = report.measures if show == ALL else [m for m in report.measures if m["words_only"] or m["copies"]]
    context.update(report=report, measures=measures[:500], shown_all=show == ALL, more=max(0, len(measures) - 500))
    context["words_only"] = sum(1 for m in report.measures if m["words_only"])
    context["copied"] = sum(1 for m in report.measures if m["copies"])
    context["tab"] = "quality"
    return page("oversight/quality.html", request, context)


@viewer
@require_GET
def quality_export(request: HttpRequest) -> HttpResponse:
    scope, chosen, _, _ = _scope(request)
    report = analyses.quality_report(scope)
    header = ["轮次", "被巡察单位", "具体问题", "措施序号", "整改措施", "表态式整改", "依据规则", "雷同"]
    rows = (
        [
            m["round"],
            m["unit"],
            m["finding"],
            m["index"],
            m["text"],
            "是" if m["words_only"] else "否",
            "；".join(m["explanation"]),
            "；".join(c["label"] for c in m["copies"]),
        ]
        for m in report.measures
    )
    return csv_response(f"整改质量-{chosen.name if chosen else '全部轮次'}.csv", header, rows)
