"""Set a problem's status on purpose (人工认定), or hand it back to the roll-up from its tasks."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhenggai.ledger.access import Action, require
from zhenggai.ledger.concurrency import retrying
from zhenggai.ledger.errors import ValidationFailed
from zhenggai.ledger.history import record
from zhenggai.ledger.models import Finding, Status
from zhenggai.ledger.workflow import lock_path, refresh_finding_status


@retrying
def pin_status(finding: Finding, *, actor: Any, status: Status | str | None) -> Finding:
    """Pin `status` on the finding; None unpins it and lets it follow its tasks again."""
    require(actor, Action.PIN_STATUS, finding)
    if status is not None and status not in Status.values:
        raise ValidationFailed("未知的整改状态", errors={"status": ["未知的整改状态"]})
    with transaction.atomic():
        path = lock_path(finding.pk)
        current = path[0]
        before = {"status": current.status, "status_pinned": current.status_pinned}
        current.status_pinned = status is not None
        if status is not None:
            current.status = Status(status)
        current.save(update_fields=["status", "status_pinned"])
        record(
            actor=actor,
            action="status_pinned" if status is not None else "status_unpinned",
            obj=current,
            inspection=current.inspection_id,
            before=before,
            after={"status": current.status, "status_pinned": current.status_pinned},
        )
        refresh_finding_status(current.pk, actor=actor, path=path)
    finding.refresh_from_db()
    return finding
