"""Closure (销号): the unit requests with evidence or a note, the office accepts, returns or reopens.

One endpoint per step, each calling its service; the workflow table decides what is allowed.
`version` is optional here (a reviewer acts on the request as it stands) but checked when given.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router

from zhenggai.api.schemas import Id, Input, Version
from zhenggai.api.scopes import get_visible
from zhenggai.api.tasks import TaskDetailOut, reloaded
from zhenggai.ledger.access import Action, require
from zhenggai.ledger.errors import ValidationFailed
from zhenggai.ledger.models import Evidence, Task
from zhenggai.ledger.services.closure import accept_closure, reopen, request_closure, return_closure

router = Router(tags=["closure"])


class RequestIn(Input):
    note: str = ""
    evidence: list[Id] = Field(default_factory=list)
    version: Version | None = None


class DecisionIn(Input):
    version: Version | None = None


class ReasonIn(Input):
    reason: str
    version: Version | None = None


def _task(request: HttpRequest, task_id: Id) -> Task:
    return get_visible(request.auth, Task.objects.all(), task_id)


@router.post("/tasks/{task_id}/closure/request", response=TaskDetailOut, summary="申请销号")
def request_closure_step(request: HttpRequest, task_id: Id, body: RequestIn):
    task = _task(request, task_id)
    evidence = list(Evidence.objects.filter(pk__in=body.evidence))
    if len(evidence) != len(set(body.evidence)):
        require(request.auth, Action.REQUEST_CLOSURE, task)  # a refusal comes before a complaint about input
        raise ValidationFailed("佐证材料不存在", errors={"evidence": ["佐证材料不存在"]})
    request_closure(task, actor=request.auth, note=body.note, evidence=evidence, expected_version=body.version)
    return reloaded(task.pk)


@router.post("/tasks/{task_id}/closure/accept", response=TaskDetailOut, summary="同意销号")
def accept_closure_step(request: HttpRequest, task_id: Id, body: DecisionIn):
    task = _task(request, task_id)
    accept_closure(task, actor=request.auth, expected_version=body.version)
    return reloaded(task.pk)


@router.post("/tasks/{task_id}/closure/return", response=TaskDetailOut, summary="退回销号申请(须填写理由)")
def return_closure_step(request: HttpRequest, task_id: Id, body: ReasonIn):
    task = _task(request, task_id)
    return_closure(task, actor=request.auth, reason=body.reason, expected_version=body.version)
    return reloaded(task.pk)


@router.post("/tasks/{task_id}/closure/reopen", response=TaskDetailOut, summary="重新打开已销号任务(须填写理由)")
def reopen_closure_step(request: HttpRequest, task_id: Id, body: ReasonIn):
    task = _task(request, task_id)
    reopen(task, actor=request.auth, reason=body.reason, expected_version=body.version)
    return reloaded(task.pk)
