"""The inspection office decides on a submitted public version: approve it (it goes live, with its
date, or as a visible correction of what was live) or send it back with a reason."""

from __future__ import annotations

import time
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhenggai.ledger.concurrency import retrying
from zhenggai.ledger.errors import InvalidTransition, ValidationFailed
from zhenggai.ledger.history import record
from zhenggai.public.access import PublicAction, require_publish
from zhenggai.public.models import Notice, PublicReport, Revision
from zhenggai.public.search import index
from zhenggai.public.signals import publication_changed

REASON_MAX = 1000


@retrying
def approve(revision: Revision, *, actor: Any) -> Revision:
    """Put `revision` on the public site in place of what was there, leaving a notice if it replaces
    or restores a report; the search index follows in the same transaction."""
    report = revision.report
    require_publish(actor, PublicAction.DECIDE, report.inspection)
    with transaction.atomic():
        report = PublicReport.objects.select_for_update().get(pk=report.pk)
        current = Revision.objects.select_for_update().get(pk=revision.pk)
        if current.state != Revision.State.SUBMITTED:
            raise InvalidTransition("该版本已审核")
        current.exemptions = _approve_exemptions(current, actor)
        now, today = timezone.now(), timezone.localdate()
        previous = report.revisions.filter(live=True).first()
        if previous is not None:
            index.remove(previous)
            previous.live = False
            previous.save(update_fields=["live"])
        current.state, current.decided_at, current.live = Revision.State.APPROVED, now, True
        current.search_seq = _next_seq()
        current.save()
        index.add(current)
        action = _notice(report, current, today)
        report.state = PublicReport.State.PUBLISHED
        report.title, report.publisher, report.changed_at = current.title, current.publisher, now
        report.published_on = report.published_on or today
        report.copy_names()  # a unit renamed since the submission is shown under its name of today
        report.save()
        record(
            actor=actor,
            action=f"public_{action}",
            obj=current,
            inspection=report.inspection_id,
            after={
                "number": current.number,
                "replaces": previous.number if previous else None,
                "exemptions": [
                    {key: entry[key] for key in ("id", "label", "title", "measure", "ground", "reason", "decided_by")}
                    for entry in current.exemptions
                ],
            },
        )
        transaction.on_commit(lambda: publication_changed.send_robust(Revision, report=report, action=action))
    revision.refresh_from_db()
    return revision


@retrying
def send_back(revision: Revision, *, actor: Any, reason: str) -> Revision:
    """Return a submission to the unit with the reason; nothing public changes."""
    require_publish(actor, PublicAction.DECIDE, revision.report.inspection)
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise ValidationFailed(f"请填写退回理由(不超过{REASON_MAX}字)", errors={"reason": ["请填写退回理由"]})
    with transaction.atomic():
        current = Revision.objects.select_for_update().get(pk=revision.pk)
        if current.state != Revision.State.SUBMITTED:
            raise InvalidTransition("该版本已审核")
        current.state, current.decided_at, current.return_reason = Revision.State.RETURNED, timezone.now(), reason
        current.save()
        record(
            actor=actor,
            action="public_returned",
            obj=current,
            inspection=current.report.inspection_id,
            after={"number": current.number, "reason": reason},
        )
    revision.refresh_from_db()
    return revision


def _approve_exemptions(revision: Revision, actor: Any) -> list[dict[str, Any]]:
    """Publishing a version that withholds items approves their pending exemptions; the revision keeps
    the list as decided (ground, reason, who proposed and who decided) for as long as it exists."""
    if not revision.exemptions or not apps.is_installed("zhenggai.reports"):
        return list(revision.exemptions)
    from zhenggai.reports.exemptions import approve_pending, withheld_entries

    ids = [entry["id"] for entry in revision.exemptions]
    approve_pending(ids, actor=actor)
    decided = {entry["id"]: entry for entry in withheld_entries(revision.report.inspection)}
    return [decided.get(entry["id"], {**entry, "state": "withdrawn"}) for entry in revision.exemptions]


def _notice(report: PublicReport, revision: Revision, today) -> str:
    """The visible note of this approval, if it changes something already made public."""
    if report.state == PublicReport.State.PUBLISHED:
        Notice.objects.create(
            report=report, revision=revision, kind=Notice.Kind.CORRECTED, on=today, text=revision.correction_note
        )
        return "corrected"
    if report.state == PublicReport.State.WITHDRAWN:
        Notice.objects.create(
            report=report, revision=revision, kind=Notice.Kind.REPUBLISHED, on=today, text=revision.correction_note
        )
        return "republished"
    return "approved"


def _next_seq() -> int:
    """A number that grows with every approval and is never reused (microseconds since the epoch),
    so the search index, which outlives rows, never meets an old number again."""
    latest = Revision.objects.aggregate(n=Max("search_seq"))["n"] or 0
    return max(time.time_ns() // 1000, latest + 1)
