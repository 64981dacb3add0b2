"""Exemptions from publication (不予公开): the unit's office proposes, the inspection office decides.

A finding exempt takes everything below it out of the public version; a measure exempt takes only
itself. A proposal names one of the five recognised grounds (`Exemption.Ground`) and a reason;
proposals and decisions are written to the history with both.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhenggai.ledger.concurrency import retrying
from zhenggai.ledger.errors import InvalidTransition, ValidationFailed
from zhenggai.ledger.history import record
from zhenggai.ledger.models import Finding, Inspection, Task
from zhenggai.reports.models import Exemption
from zhenggai.reports.permissions import ReportAction, require

NOTE_MAX = 1000
REASON_MAX = 1000


@retrying
def propose_exemption(
    inspection: Inspection,
    *,
    actor: Any,
    ground: str,
    reason: str,
    finding: Finding | None = None,
    task: Task | None = None,
) -> Exemption:
    require(actor, ReportAction.PROPOSE_EXEMPTION, inspection)
    if (finding is None) == (task is None):
        raise ValidationFailed("请选择一个问题或一项整改措施")
    owner = finding.inspection_id if finding is not None else task.finding.inspection_id
    if owner != inspection.pk:
        raise ValidationFailed("所选问题或措施不属于本次巡察")
    if ground not in Exemption.Ground.values:
        raise ValidationFailed("请选择不予公开的依据", errors={"ground": ["请选择不予公开的依据"]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写不予公开的理由", errors={"reason": ["请填写理由"]})
    if len(reason) > REASON_MAX:
        raise ValidationFailed(f"理由不超过{REASON_MAX}字", errors={"reason": [f"不超过{REASON_MAX}字"]})
    try:
        with transaction.atomic():
            exemption = Exemption.objects.create(
                inspection=inspection, finding=finding, task=task, ground=ground, reason=reason, proposed_by=actor
            )
            record(
                actor=actor,
                action="exemption_proposed",
                obj=exemption,
                inspection=inspection,
                after={
                    "finding": getattr(finding, "pk", None),
                    "task": getattr(task, "pk", None),
                    "ground": ground,
                    "reason": reason,
                },
            )
    except IntegrityError:
        raise ValidationFailed("该问题或措施已申请不予公开") from None
    return exemption


@retrying
def decide_exemption(exemption: Exemption, *, actor: Any, approve: bool, note: str = "") -> Exemption:
    require(actor, ReportAction.DECIDE_EXEMPTION, exemption.inspection)
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationFailed("不同意时请填写审核意见", errors={"note": ["请填写审核意见"]})
    with transaction.atomic():
        current = Exemption.objects.select_for_update().get(pk=exemption.pk)
        if current.state != Exemption.State.PROPOSED:
            raise InvalidTransition("该申请已审核")
        current.state = Exemption.State.APPROVED if approve else Exemption.State.REJECTED
        current.decided_by, current.decided_at, current.decision_note = actor, timezone.now(), note[:NOTE_MAX]
        current.save()
        record(
            actor=actor,
            action="exemption_approved" if approve else "exemption_rejected",
            obj=current,
            inspection=current.inspection_id,
            before={"state": Exemption.State.PROPOSED},
            after={"state": current.state, "note": current.decision_note},
        )
    exemption.refresh_from_db()
    return exemption


@retrying
def withdraw_exemption(exemption: Exemption, *, actor: Any) -> None:
    """A proposal not yet decided may be withdrawn by those who may propose; decided ones stay on record."""
    require(actor, ReportAction.PROPOSE_EXEMPTION, exemption.inspection)
    with transaction.atomic():
        current = Exemption.objects.select_for_update().get(pk=exemption.pk)
        if current.state != Exemption.State.PROPOSED:
            raise InvalidTransition("已审核的申请不能撤回")
        record(
            actor=actor,
            action="exemption_withdrawn",
            obj=current,
            inspection=current.inspection_id,
            before={"state": current.state, "ground": current.ground, "reason": current.reason},
        )
        current.delete()


def withheld_entries(inspection: Inspection) -> list[dict[str, Any]]:
    """The exemptions keeping something out of the public version now (proposed or approved), as plain
    data a reviewer reads and a published revision keeps: what is withheld, on which ground, why."""
    from zhenggai.reports.gather import tree_paths

    paths, _ = tree_paths(inspection)
    entries = []
    rows = (
        Exemption.objects.filter(inspection=inspection)
        .exclude(state=Exemption.State.REJECTED)
        .select_related("finding", "task__finding", "proposed_by", "decided_by")
    )
    for exemption in rows:
        finding = exemption.finding or exemption.task.finding
        entries.append(
            {
                "id": exemption.pk,
                "path": list(paths[exemption.finding_id]) if exemption.finding_id else None,
                "label": finding.label or "",
                "title": finding.title,
                "measure": exemption.task.text if exemption.task_id else "",
                "ground": exemption.ground,
                "ground_label": exemption.get_ground_display(),
                "reason": exemption.reason,
                "state": exemption.state,
                "proposed_by": str(exemption.proposed_by),
                "decided_by": str(exemption.decided_by) if exemption.decided_by_id else "",
                "decision_note": exemption.decision_note,
            }
        )
    return entries


def approve_pending(ids: list[int], *, actor: Any) -> None:
    """Approve those of `ids` still waiting: the office publishing a version that withholds them agrees."""
    for exemption in Exemption.objects.filter(pk__in=ids, state=Exemption.State.PROPOSED):
        decide_exemption(exemption, actor=actor, approve=True)
