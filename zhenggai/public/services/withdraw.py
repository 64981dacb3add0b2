"""The inspection office withdraws a published report: the page stays, saying when and why it was
withdrawn; the text leaves the site, the search and the feed's content."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhenggai.ledger.concurrency import retrying
from zhenggai.ledger.errors import InvalidTransition, ValidationFailed
from zhenggai.ledger.history import record
from zhenggai.public.access import PublicAction, require_publish
from zhenggai.public.models import Notice, PublicReport, Revision
from zhenggai.public.search import index
from zhenggai.public.signals import publication_changed

REASON_MAX = 500


@retrying
def withdraw(report: PublicReport, *, actor: Any, reason: str) -> PublicReport:
    """`reason` is shown on the public page under the withdrawal notice."""
    require_publish(actor, PublicAction.DECIDE, report.inspection)
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise ValidationFailed(
            f"请填写撤回说明(将在公开页面显示,不超过{REASON_MAX}字)", errors={"reason": ["请填写撤回说明"]}
        )
    with transaction.atomic():
        current = PublicReport.objects.select_for_update().get(pk=report.pk)
        if current.state != PublicReport.State.PUBLISHED:
            raise InvalidTransition("只有已发布的报告可以撤回")
        live = Revision.objects.select_for_update().filter(report=current, live=True).first()
        if live is not None:
            index.remove(live)
            live.live = False
            live.save(update_fields=["live"])
        now = timezone.now()
        Notice.objects.create(
            report=current, revision=live, kind=Notice.Kind.WITHDRAWN, on=timezone.localdate(), text=reason
        )
        current.state, current.changed_at = PublicReport.State.WITHDRAWN, now
        current.save(update_fields=["state", "changed_at"])
        record(
            actor=actor,
            action="public_withdrawn",
            obj=current,
            inspection=current.inspection_id,
            after={"reason": reason, "number": live.number if live else None},
        )
        transaction.on_commit(lambda: publication_changed.send_robust(PublicReport, report=current, action="withdrawn"))
    report.refresh_from_db()
    return report
