"""Tasks (整改任务): the filterable ledger table, a task with its history, notes, evidence and closure
requests, assigning responsibility, changing status and adding progress notes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from zhenggai.api.schemas import (
    Id,
    Input,
    Paging,
    TaskOut,
    UserRef,
    Version,
    page,
    task_out,
    user_ref,
    with_task_context,
)
from zhenggai.api.scopes import get_visible
from zhenggai.ledger.access import tasks_for
from zhenggai.ledger.errors import ValidationFailed
from zhenggai.ledger.models import Closure, ClosureRequest, Event, Evidence, Finding, ProgressNote, Task
from zhenggai.ledger.services.assign import UNSET, assign_task
from zhenggai.ledger.services.progress import add_note
from zhenggai.ledger.workflow import transition
from zhenggai.org.models import User

router = Router(tags=["tasks"])


class TaskFilters(Input):
    inspection: Id | None = None
    round: Id | None = None
    unit: Id | None = None
    status: str | None = None
    closure: str | None = None
    handler: Id | None = None
    mine: bool = False
    department: str | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None
    overdue: bool | None = None


class TaskPage(Schema):
    count: int
    items: list[TaskOut]


class FindingRef(Schema):
    id: int
    label: str | None
    title: str


class NoteOut(Schema):
    id: int
    author: UserRef
    text: str
    created_at: datetime


class EvidenceOut(Schema):
    id: int
    original_name: str
    size: int
    sha256: str
    content_type: str
    uploaded_by: UserRef
    created_at: datetime
    download_url: str


class ClosureRequestOut(Schema):
    id: int
    requested_by: UserRef
    note: str
    evidence: list[int]
    decision: str
    reason: str
    decided_by: UserRef | None
    created_at: datetime
    decided_at: datetime | None


class EventOut(Schema):
    at: datetime
    actor: UserRef | None
    action: str
    object_type: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class TaskDetailOut(TaskOut):
    path: list[FindingRef]
    notes: list[NoteOut]
    evidence: list[EvidenceOut]
    closure_requests: list[ClosureRequestOut]
    history: list[EventOut]


class AssignIn(Input):
    """Fields left out keep their value; null clears one."""

    version: Version
    responsible_leader: str | None = None
    department: str | None = None
    handler_id: Id | None = None
    deadline: date | None = None
    kind: str | None = None


class StatusIn(Input):
    version: Version
    status: str


class NoteIn(Input):
    text: str


def _filtered(user: Any, f: TaskFilters, today: date):
    qs = tasks_for(user)
    conditions = {
        "finding__inspection_id": f.inspection,
        "finding__inspection__round_id": f.round,
        "finding__inspection__unit_id": f.unit,
        "status": f.status,
        "closure": f.closure,
        "handler_id": user.pk if f.mine else f.handler,
        "department": f.department,
        "deadline__gte": f.deadline_from,
        "deadline__lte": f.deadline_to,
    }
    qs = qs.filter(**{k: v for k, v in conditions.items() if v is not None})
    overdue = Q(deadline__lt=today) & ~Q(closure=Closure.CLOSED)
    if f.overdue is True:
        qs = qs.filter(overdue)
    elif f.overdue is False:
        qs = qs.exclude(overdue)
    return qs


@router.get("/tasks", response=TaskPage, summary="任务列表(按状态、责任人、科室、时限、逾期筛选)")
def list_tasks(request: HttpRequest, filters: Query[TaskFilters], paging: Query[Paging]):
    today = timezone.localdate()
    qs = with_task_context(_filtered(request.auth, filters, today)).order_by(
        "finding__inspection_id", "finding_id", "position"
    )
    count, rows = page(qs, paging)
    return {"count": count, "items": [task_out(t, today) for t in rows]}


def _visible_task(request: HttpRequest, task_id: Id) -> Task:
    return get_visible(request.auth, with_task_context(Task.objects.all()), task_id)


def _path(task: Task) -> list[dict[str, Any]]:
    path, node = [], Finding.objects.get(pk=task.finding_id)
    while node is not None:
        path.append({"id": node.pk, "label": node.label, "title": node.title})
        node = Finding.objects.get(pk=node.parent_id) if node.parent_id else None
    return path[::-1]


def _history(task: Task, notes: list[ProgressNote], evidence: list[Evidence]) -> list[dict[str, Any]]:
    """The task's own events and those of its notes and evidence; refusals are not the task's story."""
    mine = Q(object_type="task", object_id=str(task.pk))
    mine |= Q(object_type="progressnote", object_id__in=[str(n.pk) for n in notes])
    mine |= Q(object_type="evidence", object_id__in=[str(e.pk) for e in evidence])
    events = Event.objects.filter(mine).exclude(action="denied").select_related("actor").order_by("at", "id")
    return [
        {
            "at": e.at,
            "actor": user_ref(e.actor),
            "action": e.action,
            "object_type": e.object_type,
            "before": e.before,
            "after": e.after,
        }
        for e in events
    ]


def evidence_out(item: Evidence) -> dict[str, Any]:
    return {
        "id": item.pk,
        "original_name": item.original_name,
        "size": item.size,
        "sha256": item.sha256,
        "content_type": item.content_type,
        "uploaded_by": user_ref(item.uploaded_by),
        "created_at": item.created_at,
        "download_url": f"/api/v1/evidence/{item.pk}/download",
    }


def task_detail(task: Task) -> dict[str, Any]:
    """A task as `TaskDetailOut`; `task` comes from `with_task_context`."""
    today = timezone.localdate()
    notes = list(task.notes.select_related("author"))
    evidence = list(task.evidence.select_related("uploaded_by"))
    requests = ClosureRequest.objects.filter(task=task).select_related("requested_by", "decided_by")
    return {
        **task_out(task, today),
        "path": _path(task),
        "notes": [
            {"id": n.pk, "author": user_ref(n.author), "text": n.text, "created_at": n.created_at} for n in notes
        ],
        "evidence": [evidence_out(e) for e in evidence],
        "closure_requests": [
            {
                "id": r.pk,
                "requested_by": user_ref(r.requested_by),
                "note": r.note,
                "evidence": sorted(r.evidence.values_list("pk", flat=True)),
                "decision": r.decision,
                "reason": r.reason,
                "decided_by": user_ref(r.decided_by),
                "created_at": r.created_at,
                "decided_at": r.decided_at,
            }
            for r in requests
        ],
        "history": _history(task, notes, evidence),
    }


def reloaded(task_id: int) -> dict[str, Any]:
    return task_detail(with_task_context(Task.objects.all()).get(pk=task_id))


@router.get("/tasks/{task_id}", response=TaskDetailOut, summary="任务详情:历史、进展、佐证材料、销号申请")
def get_task(request: HttpRequest, task_id: Id):
    return task_detail(_visible_task(request, task_id))


@router.patch("/tasks/{task_id}", response=TaskDetailOut, summary="分配或修改责任(须带 version,冲突时 409)")
def assign_responsibility(request: HttpRequest, task_id: Id, body: AssignIn):
    task = _visible_task(request, task_id)
    given = body.model_fields_set - {"version"}
    values: dict[str, Any] = {name: getattr(body, name) if name in given else UNSET for name in AssignIn.model_fields}
    handler = UNSET
    if "handler_id" in given and body.handler_id is not None:
        handler = User.objects.filter(pk=body.handler_id).first()
        if handler is None:
            raise ValidationFailed("责任人不存在", errors={"handler_id": ["责任人不存在"]})
    elif "handler_id" in given:
        handler = None
    assign_task(
        task,
        actor=request.auth,
        expected_version=body.version,
        responsible_leader=values["responsible_leader"],
        department=values["department"],
        handler=handler,
        deadline=values["deadline"],
        kind=values["kind"],
    )
    return reloaded(task.pk)


@router.post("/tasks/{task_id}/status", response=TaskDetailOut, summary="修改整改状态(须带 version)")
def change_status(request: HttpRequest, task_id: Id, body: StatusIn):
    task = _visible_task(request, task_id)
    transition(task, actor=request.auth, to_status=body.status, expected_version=body.version)
    return reloaded(task.pk)


@router.post("/tasks/{task_id}/notes", response={201: NoteOut}, summary="记录整改进展")
def create_note(request: HttpRequest, task_id: Id, body: NoteIn):
    task = _visible_task(request, task_id)
    note = add_note(task, actor=request.auth, text=body.text)
    return Status(
        201, {"id": note.pk, "author": user_ref(note.author), "text": note.text, "created_at": note.created_at}
    )
