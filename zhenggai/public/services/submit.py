"""The unit office submits the public version of its report: a snapshot the office will review."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhenggai.ledger.errors import InvalidTransition, ValidationFailed
from zhenggai.ledger.history import record
from zhenggai.ledger.models import Inspection
from zhenggai.public.access import PublicAction, require_publish
from zhenggai.public.models import PublicReport, Revision
from zhenggai.public.render import render_public_version

NOTE_MAX = 500


def submit_public_version(
    inspection: Inspection,
    *,
    actor: Any,
    as_of: date | None = None,
    dated: date | None = None,
    exempt: Iterable[Iterable[int]] = (),
    correction_note: str = "",
) -> Revision:
    """Render and freeze the public version as of `as_of` (today) and queue it for approval.

    `exempt` are tree paths to leave out besides the exemptions the reports app holds. Once the
    report is public, a new submission is a correction and must say what it corrects.
    """
    require_publish(actor, PublicAction.SUBMIT, inspection)
    today = timezone.localdate()
    as_of = as_of or today
    if as_of > today:
        raise ValidationFailed("数据截至日期不能晚于今天", errors={"as_of": ["不能晚于今天"]})
    paths = frozenset(_path(p) for p in exempt)
    note = (correction_note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed(f"更正说明不超过{NOTE_MAX}字", errors={"correction_note": [f"不超过{NOTE_MAX}字"]})
    snapshot = render_public_version(inspection, actor=actor, as_of=as_of, dated=dated, exempt=paths)

    with transaction.atomic():
        report = _report_of(inspection)
        if report.revisions.filter(state=Revision.State.SUBMITTED).exists():
            raise InvalidTransition("已有待审核的公开版本，请等待巡察办审核或退回后再提交")
        if report.state != PublicReport.State.PENDING and not note:
            raise ValidationFailed(
                "该报告已公开过，再次提交即为更正，请填写更正说明", errors={"correction_note": ["请填写更正说明"]}
            )
        number = (report.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        revision = Revision.objects.create(
            report=report,
            number=number,
            title=snapshot.title,
            publisher=snapshot.publisher,
            dated=snapshot.dated,
            as_of=snapshot.as_of,
            counts=snapshot.counts,
            contact=snapshot.contact,
            body_html=snapshot.html,
            body_text=snapshot.text,
            blocks=snapshot.blocks,
            exempt=snapshot.exempt,
            exemptions=snapshot.exemptions,
            correction_note=note,
            submitted_at=timezone.now(),
        )
        record(
            actor=actor,
            action="public_submitted",
            obj=revision,
            inspection=inspection,
            after={
                "number": number,
                "as_of": as_of,
                "exempt": snapshot.exempt,
                "exemptions": [entry["id"] for entry in snapshot.exemptions],
                "correction_note": note,
            },
        )
    return revision


def _report_of(inspection: Inspection) -> PublicReport:
    """The inspection's public report, created on first submission, locked for this transaction."""
    report, _ = PublicReport.objects.get_or_create(
        inspection=inspection,
        defaults={
            "committee_id": inspection.round.committee_id,
            "round_id": inspection.round_id,
            "unit_id": inspection.unit_id,
            "year": inspection.round.year,
            "committee_name": inspection.round.committee.name,
            "round_name": inspection.round.name,
            "unit_name": inspection.unit.name,
        },
    )
    return PublicReport.objects.select_for_update().get(pk=report.pk)


def _path(value: Iterable[int]) -> tuple[int, ...]:
    try:
        path = tuple(int(part) for part in value)
    except (TypeError, ValueError):
        raise ValidationFailed("不予公开的条目无效") from None
    if not path or any(part < 0 for part in path):
        raise ValidationFailed("不予公开的条目无效")
    return path
