"""Who may see and do what — the one place the role rules live.

Scopes are querysets, so every list the pages and the API show is already limited on the
server; `can()` answers for one object by asking the same querysets, so the two never drift.

| role                      | sees                                   | may also                                          |
| ------------------------- | -------------------------------------- | ------------------------------------------------- |
| OFFICE 巡察办 (superuser) | everything                             | everything except asking for its own closure      |
| SUPERVISOR 纪委监委/组织部 | everything                             | export (read-only)                                |
| TEAM 巡察组成员           | the inspections of their team          | export (read-only)                                |
| UNIT_OFFICE 整改办        | their own unit's inspections           | assign, edit, progress, ask for closure, results  |
| RESPONSIBLE 责任人        | the inspections holding their tasks;   | edit, progress and ask for closure on their tasks |
|                           | of the tasks, only their own           |                                                   |
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from django.db.models import Model, QuerySet

from zhenggai.ledger.errors import Forbidden
from zhenggai.ledger.history import record
from zhenggai.ledger.models import ClosureRequest, Evidence, Finding, Inspection, ProgressNote, Result, Round, Task
from zhenggai.org.models import Committee, InspectionTeam, Role, Unit, User

security_log = logging.getLogger("zhenggai.security")


class Action(StrEnum):
    VIEW = "view"
    EXPORT = "export"
    EDIT_TASK = "edit_task"
    ASSIGN = "assign"
    ADD_PROGRESS = "add_progress"
    REQUEST_CLOSURE = "request_closure"
    DECIDE_CLOSURE = "decide_closure"
    PIN_STATUS = "pin_status"
    MANAGE_RESULTS = "manage_results"
    IMPORT = "import"
    MANAGE_USERS = "manage_users"
    PUBLISH = "publish"


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    # The office reviews closures, so it does not ask for them itself.
    Role.OFFICE: frozenset(Action) - {Action.REQUEST_CLOSURE},
    Role.SUPERVISOR: frozenset({Action.VIEW, Action.EXPORT}),
    Role.TEAM: frozenset({Action.VIEW, Action.EXPORT}),
    Role.UNIT_OFFICE: frozenset(
        {
            Action.VIEW,
            Action.EXPORT,
            Action.EDIT_TASK,
            Action.ASSIGN,
            Action.ADD_PROGRESS,
            Action.REQUEST_CLOSURE,
            Action.PIN_STATUS,
            Action.MANAGE_RESULTS,
        }
    ),
    Role.RESPONSIBLE: frozenset({Action.VIEW, Action.EDIT_TASK, Action.ADD_PROGRESS, Action.REQUEST_CLOSURE}),
}

# Actions a responsible person may take only on a task of their own, never on a whole ledger.
_TASK_ONLY = frozenset({Action.EDIT_TASK, Action.ADD_PROGRESS, Action.REQUEST_CLOSURE})


def role_of(user: Any) -> Role | None:
    """The role that counts: none for anonymous or inactive users, OFFICE for superusers."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.OFFICE
    return Role(user.role) if user.role else None


def inspections_for(user: Any) -> QuerySet[Inspection]:
    role = role_of(user)
    qs = Inspection.objects.all()
    if role in (Role.OFFICE, Role.SUPERVISOR):
        return qs
    if role == Role.TEAM and user.team_id:
        return qs.filter(team_id=user.team_id)
    if role == Role.UNIT_OFFICE and user.unit_id:
        return qs.filter(unit_id=user.unit_id)
    if role == Role.RESPONSIBLE:
        return qs.filter(pk__in=Task.objects.filter(handler_id=user.pk).values("finding__inspection_id"))
    return qs.none()


def findings_for(user: Any) -> QuerySet[Finding]:
    """Findings of the inspections the user sees (a responsible person reads the whole tree)."""
    role = role_of(user)
    if role in (Role.OFFICE, Role.SUPERVISOR):
        return Finding.objects.all()
    return Finding.objects.filter(inspection__in=inspections_for(user))


def tasks_for(user: Any) -> QuerySet[Task]:
    role = role_of(user)
    qs = Task.objects.all()
    if role in (Role.OFFICE, Role.SUPERVISOR):
        return qs
    if role == Role.TEAM and user.team_id:
        return qs.filter(finding__inspection__team_id=user.team_id)
    if role == Role.UNIT_OFFICE and user.unit_id:
        return qs.filter(finding__inspection__unit_id=user.unit_id)
    if role == Role.RESPONSIBLE:
        return qs.filter(handler_id=user.pk)
    return qs.none()


def _in_scope(user: Any, role: Role, obj: Model | None) -> bool:
    """Whether `obj` lies within what `user` sees; one indexed query at most."""
    if role == Role.OFFICE:
        return True
    if isinstance(obj, Inspection):
        return inspections_for(user).filter(pk=obj.pk).exists()
    if isinstance(obj, Finding):
        return findings_for(user).filter(pk=obj.pk).exists()
    if isinstance(obj, Task):
        return tasks_for(user).filter(pk=obj.pk).exists()
    if isinstance(obj, Evidence | ProgressNote | ClosureRequest):
        return tasks_for(user).filter(pk=obj.task_id).exists()
    if isinstance(obj, Result):
        return inspections_for(user).filter(pk=obj.inspection_id).exists()
    if role == Role.SUPERVISOR:
        return isinstance(obj, Round | Committee | Unit | InspectionTeam)
    if isinstance(obj, Unit):
        return obj.pk == user.unit_id
    if isinstance(obj, InspectionTeam):
        return obj.pk == user.team_id
    return False


def can(user: Any, action: Action | str, obj: Model | None = None) -> bool:
    """Whether `user` may do `action` to `obj` (None for actions on the whole system). No side effects."""
    role = role_of(user)
    if role is None:
        return False
    action = Action(action)
    if action not in ROLE_ACTIONS[role]:
        return False
    if role == Role.RESPONSIBLE and action in _TASK_ONLY and not isinstance(obj, Task):
        return False
    return _in_scope(user, role, obj)


def inspection_id_of(obj: Model | None) -> int | None:
    if isinstance(obj, Inspection):
        return obj.pk
    if isinstance(obj, Finding | Result):
        return obj.inspection_id
    if isinstance(obj, Task):
        return obj.finding.inspection_id
    if isinstance(obj, Evidence | ProgressNote | ClosureRequest):
        return obj.task.finding.inspection_id
    return None


def require(user: Any, action: Action | str, obj: Model | None = None) -> None:
    """Raise Forbidden unless `can()`; a refusal is logged and kept in the history.

    Services call this before opening their transaction, so the record of a refusal survives
    the error that follows it.
    """
    if can(user, action, obj):
        return
    label = f"{obj._meta.model_name}#{obj.pk}" if obj is not None else "-"
    username = getattr(user, "username", None) or "anonymous"
    security_log.warning("denied user=%s action=%s object=%s", username, action, label)
    record(
        actor=user if isinstance(user, User) else None,
        action="denied",
        obj=obj,
        object_type=obj._meta.model_name if obj is not None else "system",
        inspection=inspection_id_of(obj),
        after={"action": str(action)},
    )
    raise Forbidden()
