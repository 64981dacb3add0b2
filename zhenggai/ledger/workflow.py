"""The task workflow, enforced in one place: the transition tables and `transition()`.

Nothing else changes a task's status or closure state. Every change checks permission,
checks the table, checks the editor's version, writes the task and an Event, and rolls the
status up to the task's problem and its parents — all in one transaction.

Closure (销号), "整改一项、销号一项": the unit asks with evidence or a note once the task is
done (or basically done, or long-term); the inspection office accepts (closed, 完成整改) or
sends it back with a reason (open again, 正在推进); a closed task may be reopened by the
office with a reason when the problem returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from zhenggai.ledger.access import Action, require
from zhenggai.ledger.concurrency import retrying
from zhenggai.ledger.errors import InvalidTransition, StaleEdit, ValidationFailed
from zhenggai.ledger.history import changed, record, snapshot
from zhenggai.ledger.models import Closure, ClosureRequest, Decision, Evidence, Finding, Status, Task
from zhenggai.ledger.rollup import rollup_status

# Status changes a unit may make by hand while a task is open.
STATUS_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NOT_DONE: frozenset({Status.IN_PROGRESS, Status.BASICALLY, Status.LONG_TERM}),
    Status.IN_PROGRESS: frozenset({Status.NOT_DONE, Status.BASICALLY, Status.LONG_TERM}),
    Status.BASICALLY: frozenset({Status.IN_PROGRESS, Status.LONG_TERM}),
    Status.LONG_TERM: frozenset({Status.IN_PROGRESS, Status.BASICALLY}),
    # 完成整改 is reached only by accepted closure; an open completed task was imported as such
    # from a report, and may be corrected back to in progress.
    Status.COMPLETED: frozenset({Status.IN_PROGRESS}),
}

# Statuses from which closure may be requested.
REQUESTABLE = frozenset({Status.COMPLETED, Status.BASICALLY, Status.LONG_TERM})


class ClosureAction(StrEnum):
    REQUEST = "request"
    ACCEPT = "accept"
    RETURN = "return"
    REOPEN = "reopen"


class ClosureStep(NamedTuple):
    source: Closure
    target: Closure
    permission: Action
    status: Status | None  # the status the task takes, or None to keep it
    needs_reason: bool
    event: str


CLOSURE_TRANSITIONS: dict[ClosureAction, ClosureStep] = {
    ClosureAction.REQUEST: ClosureStep(
        Closure.OPEN, Closure.CLOSURE_REQUESTED, Action.REQUEST_CLOSURE, None, False, "closure_requested"
    ),
    ClosureAction.ACCEPT: ClosureStep(
        Closure.CLOSURE_REQUESTED, Closure.CLOSED, Action.DECIDE_CLOSURE, Status.COMPLETED, False, "closure_accepted"
    ),
    ClosureAction.RETURN: ClosureStep(
        Closure.CLOSURE_REQUESTED, Closure.OPEN, Action.DECIDE_CLOSURE, Status.IN_PROGRESS, True, "closure_returned"
    ),
    ClosureAction.REOPEN: ClosureStep(
        Closure.CLOSED, Closure.OPEN, Action.DECIDE_CLOSURE, Status.IN_PROGRESS, True, "closure_reopened"
    ),
}

TRACKED = ("status", "closure", "version", "closed_at")


@retrying
def transition(
    task: Task,
    *,
    actor: Any,
    to_status: Status | str | None = None,
    closure_action: ClosureAction | str | None = None,
    reason: str = "",
    expected_version: int | None = None,
    evidence: Sequence[Evidence] = (),
) -> Task:
    """Change a task's status by hand, or take one closure step; returns `task`, updated.

    `reason` is the note of a closure request or the reason of a return / reopening;
    `evidence` the files a request points to. `expected_version` is the version the editor
    saw; None skips the check (only for callers that hold no page, such as commands).
    """
    if (to_status is None) == (closure_action is None):
        raise ValueError("give exactly one of to_status and closure_action")
    step = None
    if closure_action is not None:
        try:
            step = CLOSURE_TRANSITIONS[ClosureAction(closure_action)]
        except ValueError:
            raise InvalidTransition(f"未知的销号操作：{closure_action}") from None
    require(actor, step.permission if step else Action.EDIT_TASK, task)
    reason = (reason or "").strip()

    with transaction.atomic():
        current = Task.objects.select_for_update().get(pk=task.pk)
        path = lock_path(current.finding_id)
        if expected_version is not None and current.version != expected_version:
            raise StaleEdit(current.version)
        before = snapshot(current, TRACKED)
        if step is None:
            _change_status(current, to_status)
            action, details = "status_changed", {}
        else:
            details = _take_closure_step(current, step, actor=actor, reason=reason, evidence=evidence)
            action = step.event
        current.version += 1
        current.save()
        old, new = changed(before, snapshot(current, TRACKED))
        record(
            actor=actor,
            action=action,
            obj=current,
            inspection=path[0].inspection_id,
            before=old,
            after={**new, **details},
        )
        refresh_finding_status(current.finding_id, actor=actor, path=path)

    for field in Task._meta.concrete_fields:
        setattr(task, field.attname, getattr(current, field.attname))
    return task


def _change_status(task: Task, to_status: Status | str) -> None:
    try:
        target = Status(to_status)
    except ValueError:
        raise InvalidTransition(f"未知的整改状态：{to_status}") from None
    if task.closure != Closure.OPEN:
        raise InvalidTransition("已申请销号或已销号的任务不能直接修改状态")
    if target not in STATUS_TRANSITIONS[Status(task.status)]:
        if target == Status.COMPLETED:
            raise InvalidTransition("“完成整改”须经申请销号并由巡察办审核通过")
        raise InvalidTransition(f"不能从“{task.status}”改为“{target}”")
    task.status = target


def _take_closure_step(
    task: Task, step: ClosureStep, *, actor: Any, reason: str, evidence: Sequence[Evidence]
) -> dict[str, Any]:
    """Apply one closure step to the locked task; returns what the history should add."""
    if task.closure != step.source:
        raise InvalidTransition(f"任务当前为“{Closure(task.closure).label}”，不能进行此操作")
    if step.needs_reason and not reason:
        raise ValidationFailed("请填写理由", errors={"reason": ["退回或重新打开须填写理由"]})
    now = timezone.now()
    if step.source == Closure.OPEN:
        request = _open_request(task, actor=actor, note=reason, evidence=evidence)
        details: dict[str, Any] = {"request": request.pk, "note": reason, "evidence": [e.pk for e in evidence]}
    elif step.source == Closure.CLOSURE_REQUESTED:
        request = ClosureRequest.objects.select_for_update().get(task=task, decision="")
        request.decided_by = actor
        request.decided_at = now
        request.decision = Decision.ACCEPTED if step.target == Closure.CLOSED else Decision.RETURNED
        request.reason = reason
        request.save()
        details = {"request": request.pk, "reason": reason} if reason else {"request": request.pk}
    else:
        details = {"reason": reason}
    task.closure = step.target
    task.closed_at = now if step.target == Closure.CLOSED else None
    if step.status is not None:
        task.status = step.status
    return details


def _open_request(task: Task, *, actor: Any, note: str, evidence: Sequence[Evidence]) -> ClosureRequest:
    if Status(task.status) not in REQUESTABLE:
        raise InvalidTransition("任务完成整改、基本完成或属长期坚持后，方可申请销号")
    if not evidence and not note:
        raise ValidationFailed("申请销号须附佐证材料或填写整改说明", errors={"evidence": ["请上传佐证材料或填写说明"]})
    if any(item.task_id != task.pk for item in evidence):
        raise ValidationFailed("佐证材料不属于该任务")
    request = ClosureRequest.objects.create(task=task, requested_by=actor, note=note)
    if evidence:
        request.evidence.set(evidence)
    return request


def lock_path(finding_id: int) -> list[Finding]:
    """Lock a problem and its parents, from the bottom up, and return them in that order.

    Every write takes its locks in one order — task, then this path, then the inspection — so two
    writes never wait for each other in a circle. The roll-up reads a node's parts only once the
    node is locked, so two writes under one problem never roll up from each other's stale view.
    """
    path: list[Finding] = []
    parent_id: int | None = finding_id
    while parent_id is not None:
        node = Finding.objects.select_for_update().get(pk=parent_id)
        path.append(node)
        parent_id = node.parent_id
    return path


def refresh_finding_status(finding_id: int, *, actor: Any, path: list[Finding] | None = None) -> None:
    """Roll statuses up from a problem's tasks to the top of its tree, skipping pinned nodes.

    Pinned nodes keep their status, and their parents roll up from it as set. `path` is the
    problem's path as `lock_path` returned it, when the caller has locked it already.
    """
    for node in path if path is not None else lock_path(finding_id):
        if node.is_leaf:
            parts = node.tasks.values_list("status", flat=True)
        else:
            parts = node.children.values_list("status", flat=True)
        derived = rollup_status(list(parts))
        if not node.status_pinned and derived is not None and derived != node.status:
            before = {"status": node.status}
            node.status = derived
            node.save(update_fields=["status"])
            record(
                actor=actor,
                action="status_derived",
                obj=node,
                inspection=node.inspection_id,
                before=before,
                after={"status": derived},
            )
