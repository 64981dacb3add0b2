"""My tasks (我的任务) for a responsible person: grouped by light, overdue first, with quick notes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.ledger.access import tasks_for
from zhenggai.ledger.lights import Light
from zhenggai.ledger.models import Closure
from zhenggai.web.forms.task import NoteForm
from zhenggai.web.tree import TaskRow, task_light
from zhenggai.web.views.common import page, today

GROUPS = (
    ("red", "已逾期", "red"),
    ("yellow", "即将到期（黄灯）", "yellow"),
    ("green", "临近时限（绿灯）", "green"),
    ("open", "正在整改", ""),
    ("requested", "已申请销号，等待审核", ""),
    ("closed", "已销号", ""),
)
CLOSED_SHOWN = 20


@page
@require_GET
def my_tasks(request: HttpRequest) -> HttpResponse:
    day = today()
    tasks = (
        tasks_for(request.user)
        .filter(handler_id=request.user.pk)
        .select_related("finding__inspection__round__committee", "finding__inspection__unit")
        .order_by("deadline", "pk")
    )
    groups: dict[str, list[TaskRow]] = {key: [] for key, _, _ in GROUPS}
    for task in tasks:
        row = TaskRow(task, task_light(task, task.finding.inspection.round.committee, day))
        if task.closure == Closure.CLOSED:
            groups["closed"].append(row)
        elif task.closure == Closure.CLOSURE_REQUESTED:
            groups["requested"].append(row)
        elif row.light == Light.NONE:
            groups["open"].append(row)
        else:
            groups[row.light.value].append(row)
    closed_total = len(groups["closed"])
    groups["closed"] = sorted(groups["closed"], key=lambda r: r.task.closed_at or day, reverse=True)[:CLOSED_SHOWN]
    sections = [
        {"key": key, "title": title, "css": css, "rows": groups[key]} for key, title, css in GROUPS if groups[key]
    ]
    context = {"sections": sections, "closed_total": closed_total, "note_form": NoteForm(), "count": tasks.count()}
    return render(request, "web/my_tasks.html", context)
