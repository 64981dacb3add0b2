"""Writing the history: one Event per change, inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from zhenggai.ledger.models import Event, Inspection


def snapshot(obj: models.Model, names: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The named fields of `obj` as JSON-ready values (foreign keys as ids)."""
    values: dict[str, Any] = {}
    for name in names:
        field = obj._meta.get_field(name)
        values[name] = getattr(obj, field.attname)
    return values


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value differs, so the history shows what changed and nothing else."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    inspection: Inspection | int | None = None,
    object_type: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Event:
    """Append one Event; anonymous actors are recorded as no one."""
    inspection_id = inspection.pk if isinstance(inspection, Inspection) else inspection
    user = actor if getattr(actor, "is_authenticated", False) else None
    return Event.objects.create(
        actor=user,
        action=action,
        inspection_id=inspection_id,
        object_type=object_type or (obj._meta.model_name if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        before=before,
        after=after,
    )
