"""The tasks behind a dashboard number, filtered by the number's row and column; also as CSV."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from zhenggai.ledger.access import findings_for, tasks_for
from zhenggai.ledger.models import Closure, Task
from zhenggai.oversight.services import tasklist
from zhenggai.oversight.services.dashboard import task_light
from zhenggai.oversight.views.common import csv_response, page, today, viewer
from zhenggai.params import read_query

PER_PAGE = 50


def _filtered(request: HttpRequest):
    f = tasklist.TaskFilter.from_query(read_query(request))
    day = today()
    tasks = tasklist.apply(tasks_for(request.user), f, day)
    tasks = tasks.select_related(
        "finding__inspection__unit", "finding__inspection__round__committee", "finding__inspection__team", "handler"
    ).order_by("deadline", "finding__inspection_id", "finding_id", "position")
    return f, day, tasks


@viewer
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    f, day, tasks = _filtered(request)
    findings = tasklist.apply_to_findings(findings_for(request.user), f).count()
    page_obj = Paginator(tasks, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        (task, task_light(task.deadline, task.closure, day, task.finding.inspection.round.committee))
        for task in page_obj
    ]
    query = f.query()
    context = {
        "filter": f,
        "words": f.describe(),
        "page_obj": page_obj,
        "rows": rows,
        "findings": findings,
        "query": "&".join(f"{k}={v}" for k, v in query.items()),
        "closed": Closure.CLOSED,
        "tab": "board",
    }
    return page("oversight/tasks.html", request, context)


@viewer
@require_GET
def task_csv(request: HttpRequest) -> HttpResponse:
    _, day, tasks = _filtered(request)
    if getattr(request, "query_notes", None):
        # a file cannot say which filter was ignored: refuse it (the page lists them) rather than export other rows
        return page("oversight/error.html", request, {"status": 400, "message": "导出条件有误"}, status=400)
    header = [
        "轮次",
        "被巡察单位",
        "具体问题",
        "整改措施",
        "责任领导",
        "责任科室",
        "责任人",
        "整改时限",
        "时限预警",
        "整改状态",
        "销号状态",
    ]
    rows = (_csv_row(task, day) for task in tasks.iterator(chunk_size=2000))
    return csv_response("整改任务.csv", header, rows)


def _csv_row(task: Task, day) -> list:
    inspection = task.finding.inspection
    shown = task_light(task.deadline, task.closure, day, inspection.round.committee)
    return [
        inspection.round.name,
        inspection.unit.name,
        task.finding.title,
        task.text,
        task.responsible_leader,
        task.department,
        str(task.handler) if task.handler else "",
        task.deadline.isoformat() if task.deadline else "",
        shown.label,
        task.status,
        Closure(task.closure).label,
    ]
