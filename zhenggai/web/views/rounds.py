"""Home (by role), the rounds overview and one round's units, with figures computed by `ledger.stats`."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from zhenggai.ledger.access import Action, can, inspections_for, role_of, tasks_for
from zhenggai.ledger.figures import Figures, total
from zhenggai.ledger.models import Closure, Round
from zhenggai.ledger.stats import figures_by_inspection
from zhenggai.org.models import Role
from zhenggai.params import read_query
from zhenggai.web.views.common import page, today, visible_or_404

ROUNDS_PER_PAGE = 10
UNITS_PER_PAGE = 50
SORTS = {
    "overdue": ("逾期最多", lambda row: (-row["figures"].overdue, row["inspection"].unit.name)),
    "rate": (
        "完成率最低",
        lambda row: (row["figures"].rate if row["figures"].rate is not None else 101, row["inspection"].unit.name),
    ),
    "waiting": ("待审核最多", lambda row: (-row["waiting"], row["inspection"].unit.name)),
    "unit": ("单位名称", lambda row: row["inspection"].unit.name),
}


@page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Office, supervisor and team → the rounds; a unit office → its ledger; a responsible person → their tasks."""
    role = role_of(request.user)
    if role == Role.RESPONSIBLE:
        return redirect("web:my_tasks")
    if role == Role.UNIT_OFFICE:
        ids = list(inspections_for(request.user).order_by("-pk").values_list("pk", flat=True)[:2])
        if len(ids) == 1:
            return redirect("web:inspection", pk=ids[0])
    return redirect("web:rounds")


def _waiting_by_inspection(user, inspections) -> dict[int, int]:
    """Closure requests waiting for the office's review, per inspection."""
    rows = (
        tasks_for(user)
        .filter(closure=Closure.CLOSURE_REQUESTED, finding__inspection__in=inspections.values("pk"))
        .values("finding__inspection_id")
        .annotate(n=Count("pk"))
    )
    return {row["finding__inspection_id"]: row["n"] for row in rows}


def visible_rounds(user):
    """Rounds holding an inspection the user sees; the office also sees empty rounds, to import into."""
    if can(user, Action.IMPORT):
        return Round.objects.all()
    return Round.objects.filter(Q(inspections__in=inspections_for(user))).distinct()


@page
@require_GET
def rounds(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(
        visible_rounds(request.user).select_related("committee").order_by("-year", "-number", "-pk"), ROUNDS_PER_PAGE
    )
    page_obj = paginator.get_page(request.GET.get("page"))
    round_ids = [r.pk for r in page_obj]
    scoped = inspections_for(request.user).filter(round_id__in=round_ids)
    figures = figures_by_inspection(scoped, today())
    waiting = _waiting_by_inspection(request.user, scoped)
    per_round: dict[int, list[int]] = {}
    for pk, round_id in scoped.values_list("pk", "round_id"):
        per_round.setdefault(round_id, []).append(pk)
    rows = []
    for round_ in page_obj:
        ids = per_round.get(round_.pk, [])
        rows.append(
            {
                "round": round_,
                "units": len(ids),
                "figures": total([figures.get(i, Figures()) for i in ids]),
                "waiting": sum(waiting.get(i, 0) for i in ids),
            }
        )
    return render(request, "web/rounds/list.html", {"rows": rows, "page_obj": page_obj})


@page
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scoped_rounds = visible_rounds(request.user)
    round_ = visible_or_404(request.user, scoped_rounds, pk)
    inspections = inspections_for(request.user).filter(round=round_).select_related("unit", "team")
    figures = figures_by_inspection(inspections, today())
    waiting = _waiting_by_inspection(request.user, inspections)
    rows = [
        {"inspection": i, "figures": figures.get(i.pk, Figures()), "waiting": waiting.get(i.pk, 0)} for i in inspections
    ]
    sort = read_query(request).choice("sort", "排序", SORTS, default="overdue")
    rows.sort(key=SORTS[sort][1])
    page_obj = Paginator(rows, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "round": round_,
        "page_obj": page_obj,
        "total": total([row["figures"] for row in rows]),
        "waiting": sum(row["waiting"] for row in rows),
        "sort": sort,
        "sorts": [(key, label) for key, (label, _) in SORTS.items()],
        "can_import": can(request.user, Action.IMPORT),
    }
    return render(request, "web/rounds/detail.html", context)
