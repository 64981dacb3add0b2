"""Assign responsibility for a task (责任清单): leader, department, person handling it, deadline, kind."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from zhenggai.ledger.access import Action, require
from zhenggai.ledger.concurrency import retrying
from zhenggai.ledger.errors import StaleEdit, ValidationFailed
from zhenggai.ledger.history import changed, record, snapshot
from zhenggai.ledger.models import Finding, Task, TaskKind
from zhenggai.org.models import UNIT_ROLES, User


class _Unset:
    """Marks a field the caller leaves as it is (None would mean "clear it")."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()
FIELDS = ("responsible_leader", "department", "handler", "deadline", "kind")


@retrying
def assign_task(
    task: Task,
    *,
    actor: Any,
    expected_version: int | None = None,
    responsible_leader: str | None = UNSET,
    department: str | None = UNSET,
    handler: User | None = UNSET,
    deadline: date | None = UNSET,
    kind: TaskKind | str | None = UNSET,
) -> Task:
    """Set any of the responsibility fields; fields left UNSET keep their value. Returns `task`, updated.

    The person handling the task must belong to the inspected unit, so that scoping a
    responsible person to "their tasks" never reaches into another unit's ledger.
    """
    require(actor, Action.ASSIGN, task)
    values = {
        name: value
        for name, value in (
            ("responsible_leader", responsible_leader),
            ("department", department),
            ("handler", handler),
            ("deadline", deadline),
            ("kind", kind),
        )
        if value is not UNSET
    }
    errors = _check(task, values)
    if errors:
        raise ValidationFailed("；".join(m for ms in errors.values() for m in ms), errors=errors)

    with transaction.atomic():
        current = Task.objects.select_for_update().get(pk=task.pk)
        if expected_version is not None and current.version != expected_version:
            raise StaleEdit(current.version)
        before = snapshot(current, FIELDS)
        for name, value in values.items():
            setattr(current, name, value)
        old, new = changed(before, snapshot(current, FIELDS))
        if new:
            current.version += 1
            current.save()
            record(
                actor=actor,
                action="assigned",
                obj=current,
                inspection=Finding.objects.values_list("inspection_id", flat=True).get(pk=current.finding_id),
                before=old,
                after=new,
            )
    for field in Task._meta.concrete_fields:
        setattr(task, field.attname, getattr(current, field.attname))
    return task


def _check(task: Task, values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, label in (("responsible_leader", "责任领导"), ("department", "责任科室")):
        if name in values:
            values[name] = (values[name] or "").strip()
            if len(values[name]) > 100:
                errors[name] = [f"{label}不超过100字"]
    if "deadline" in values and values["deadline"] is not None and not isinstance(values["deadline"], date):
        errors["deadline"] = ["整改时限应为日期"]
    if values.get("kind") is not None:
        if values["kind"] not in TaskKind.values:
            errors["kind"] = ["未知的任务类型"]
        else:
            values["kind"] = TaskKind(values["kind"])
    person = values.get("handler")
    if person is not None:
        unit_id = Finding.objects.filter(pk=task.finding_id).values_list("inspection__unit_id", flat=True).get()
        if not person.is_active or person.role not in UNIT_ROLES or person.unit_id != unit_id:
            errors["handler"] = ["责任人须为本单位的在职用户"]
    return errors
