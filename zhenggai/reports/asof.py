"""The ledger as it stood at the end of a given day, rebuilt from the current rows and the history.

Every change of a status, a closure or a deadline writes an Event with the values before it; undoing
the events after the day, newest first, gives the state of that day. A report "as of 2024年8月30日"
printed later therefore says what was true then, not what is true when it is printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from zhenggai.ledger.models import Event, Inspection, ProgressNote, Task

_TASK_FIELDS = ("status", "closure", "deadline", "closed_at")


@dataclass
class TaskState:
    status: str
    closure: str
    deadline: date | None
    closed_at: Any = None


@dataclass
class LedgerState:
    """Statuses of the findings, the tasks' status, closure and deadline, and each task's last note."""

    findings: dict[int, str | None] = field(default_factory=dict)
    tasks: dict[int, TaskState] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)


def end_of_day(day: date) -> datetime:
    """The first moment after `day` in the server's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def ledger_as_of(inspection: Inspection, day: date) -> LedgerState:
    state = LedgerState()
    state.findings = dict(inspection.findings.values_list("pk", "status"))
    for pk, status, closure, deadline, closed_at in Task.objects.filter(finding__inspection=inspection).values_list(
        "pk", "status", "closure", "deadline", "closed_at"
    ):
        state.tasks[pk] = TaskState(status, closure, deadline, closed_at)
    cutoff = end_of_day(day)
    later = (
        Event.objects.filter(inspection=inspection, at__gte=cutoff, object_type__in=("task", "finding"))
        .exclude(before=None)
        .order_by("-at", "-id")
        .values_list("object_type", "object_id", "before")
    )
    for object_type, object_id, before in later.iterator():
        if not object_id.isdigit() or not isinstance(before, dict):
            continue
        pk = int(object_id)
        if object_type == "finding" and pk in state.findings and "status" in before:
            state.findings[pk] = before["status"]
        elif object_type == "task" and pk in state.tasks:
            task = state.tasks[pk]
            for name in _TASK_FIELDS:
                if name in before:
                    value = before[name]
                    setattr(task, name, date.fromisoformat(value[:10]) if name == "deadline" and value else value)
    notes = ProgressNote.objects.filter(task__finding__inspection=inspection, created_at__lt=cutoff)
    for task_id, text in notes.order_by("task_id", "created_at", "id").values_list("task_id", "text"):
        state.notes[task_id] = text
    return state
