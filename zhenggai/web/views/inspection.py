"""An inspection's ledger: header with the calendar, figures, the findings tree, the filterable task
table (htmx), the results, claimed against computed counts, parse warnings; export and results."""

from __future__ import annotations

from collections import Counter

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from zhenggai.ledger import calendar
from zhenggai.ledger.access import Action, can, inspections_for, require, tasks_for
from zhenggai.ledger.errors import ValidationFailed
from zhenggai.ledger.models import Closure, FindingKind, Inspection, Result
from zhenggai.ledger.services.import_ledger import export_document
from zhenggai.ledger.services.results import add_result, delete_result
from zhenggai.ledger.stats import figures_for_inspection
from zhenggai.outputs.results import totals as result_totals
from zhenggai.reports.gather import result_lines
from zhenggai.web.forms.ledger import ResultForm, TaskFilterForm
from zhenggai.web.tree import TaskRow, build_tree, task_light
from zhenggai.web.views.common import first_error, page, today, visible_or_404

TASKS_PER_PAGE = 50
TABLE_ID = "task-table"
CLAIMED = (
    ("aspects", "方面"),
    ("problems", "问题"),
    ("items", "具体问题"),
    ("completed", "完成整改"),
    ("basically_completed", "基本完成"),
    ("in_progress", "正在推进"),
    ("long_term", "长期坚持"),
)


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    scoped = inspections_for(request.user).select_related("round__committee", "unit", "team")
    return visible_or_404(request.user, scoped, pk)


def _filter_form(request: HttpRequest, tasks) -> TaskFilterForm:
    handlers = {}
    for pk, name, username in (
        tasks.exclude(handler=None).values_list("handler_id", "handler__display_name", "handler__username").distinct()
    ):
        handlers[pk] = name or username
    departments = sorted(set(tasks.exclude(department="").values_list("department", flat=True).distinct()))
    return TaskFilterForm(request.GET, handlers=sorted(handlers.items(), key=lambda kv: kv[1]), departments=departments)


def _task_table(request: HttpRequest, inspection: Inspection, tasks, form: TaskFilterForm, paths, order) -> dict:
    """The page of filtered tasks, in reading order of the tree (or by deadline), with lights."""
    day = today()
    matches = list(form.apply(tasks, day).values_list("pk", "finding_id", "position", "deadline"))
    if form.cleaned_data.get("sort") == "deadline":
        matches.sort(key=lambda m: (m[3] is None, m[3] or day, order.get(m[1], 0), m[2]))
    else:
        matches.sort(key=lambda m: (order.get(m[1], 0), m[2]))
    page_obj = Paginator(matches, TASKS_PER_PAGE).get_page(request.GET.get("page"))
    wanted = [m[0] for m in page_obj.object_list]
    found = tasks.filter(pk__in=wanted).select_related("handler", "finding").in_bulk()
    committee = inspection.round.committee
    rows = [
        TaskRow(found[pk], task_light(found[pk], committee, day), paths.get(found[pk].finding_id, "")) for pk in wanted
    ]
    return {"rows": rows, "page_obj": page_obj, "count": len(matches), "form": form, "table_id": TABLE_ID}


def _finding_order(inspection: Inspection) -> tuple[dict[int, int], dict[int, str]]:
    """Reading order and label paths without the tasks, for the table alone."""
    tree = build_tree(inspection, [], inspection.round.committee, today())
    return tree.order, tree.paths


def _results(inspection: Inspection) -> dict:
    """The results and their totals, added up by the same code as the reports' 整改成效 section."""
    results = list(Result.objects.filter(inspection=inspection).order_by("kind", "pk"))
    summed = result_totals(result_lines(inspection))
    totals = {
        "rules": summed.rule_count,
        "money": summed.money_total,
        "people": summed.people_total,
        "meetings": summed.meetings,
    }
    return {"results": results, "totals": totals}


def _claimed(inspection: Inspection, kinds: Counter, figures) -> list[dict]:
    computed = {
        "aspects": kinds[FindingKind.ASPECT],
        "problems": kinds[FindingKind.PROBLEM],
        "items": figures.leaves,
        "completed": figures.completed,
        "basically_completed": figures.basically,
        "in_progress": figures.in_progress,
        "long_term": figures.long_term,
    }
    claimed = inspection.claimed or {}
    return [
        {
            "label": label,
            "claimed": claimed.get(key),
            "computed": computed[key],
            "differs": claimed.get(key) not in (None, computed[key]),
        }
        for key, label in CLAIMED
    ]


def render_ledger(
    request: HttpRequest, inspection: Inspection, *, result_form: ResultForm | None = None, status: int = 200
) -> HttpResponse:
    day = today()
    committee = inspection.round.committee
    tasks = tasks_for(request.user).filter(finding__inspection=inspection)
    form = _filter_form(request, tasks)
    if request.htmx and request.htmx.target == TABLE_ID and not request.htmx.history_restore_request:
        order, paths = _finding_order(inspection)
        response = render(
            request,
            "web/inspection/_task_table.html",
            {"inspection": inspection, **_task_table(request, inspection, tasks, form, paths, order)},
        )
        patch_vary_headers(response, ["HX-Request", "HX-Target"])
        return response

    tree = build_tree(inspection, list(tasks.select_related("handler")), committee, day)
    figures = figures_for_inspection(inspection, day)
    kinds = Counter(node_kind for node_kind in inspection.findings.values_list("kind", flat=True))
    deadlines = calendar.deadlines_for(inspection.feedback_date, committee)
    countdowns = []
    if deadlines is not None:
        for label, target in (
            ("整改方案报送", deadlines.plan_due),
            ("集中整改结束", deadlines.concentrated_end),
            ("整改情况报告", deadlines.report_due),
        ):
            countdowns.append({"label": label, "date": target, "days": calendar.countdown(target, day)})
    waiting = tasks.filter(closure=Closure.CLOSURE_REQUESTED).count()
    handled = tasks.aggregate(n=Count("handler"))["n"]
    context = {
        "inspection": inspection,
        "committee": committee,
        "figures": figures,
        "countdowns": countdowns,
        "waiting": waiting,
        "unassigned": tasks.count() - handled,
        "tree": tree,
        "open_tree": tree.leaves <= 30,
        "claimed": _claimed(inspection, kinds, figures),
        "can_export": can(request.user, Action.EXPORT, inspection),
        "can_results": can(request.user, Action.MANAGE_RESULTS, inspection),
        "result_form": result_form or ResultForm(),
        **_results(inspection),
        **_task_table(request, inspection, tasks, form, tree.paths, tree.order),
    }
    response = render(request, "web/inspection/page.html", context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@page
@require_GET
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    return render_ledger(request, _inspection(request, pk))


@page
@require_GET
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspection as zhenggai.ledger/1 JSON, as a download."""
    item = _inspection(request, pk)
    document = export_document(item, actor=request.user)
    response = HttpResponse(document.to_json(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inspection-{item.pk}.ledger.json"'
    return response


@page
@require_POST
def result_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _inspection(request, pk)
    require(request.user, Action.MANAGE_RESULTS, item)
    form = ResultForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            add_result(
                item,
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                amount=data["amount"],
                count=data["count"],
                document_link=data["document_link"],
            )
        except ValidationFailed as error:
            for name, messages in first_error(error).items():
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)
        else:
            return redirect(reverse("web:inspection", args=[item.pk]) + "#results")
    return render_ledger(request, item, result_form=form, status=400)


@page
@require_POST
def result_delete(request: HttpRequest, pk: int) -> HttpResponse:
    scoped = Result.objects.filter(inspection__in=inspections_for(request.user).values("pk"))
    result = visible_or_404(request.user, scoped, pk)
    inspection_id = result.inspection_id
    delete_result(result, actor=request.user)
    return redirect(reverse("web:inspection", args=[inspection_id]) + "#results")
