"""Report drafts (报告稿): create one, edit its wording, approve it — each step in the history.

The unit's office and the inspection office write; only the office approves. Editing an approved
draft makes it a draft again: what was approved is always what the history shows last approved.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhenggai.ledger.concurrency import retrying
from zhenggai.ledger.errors import StaleEdit, ValidationFailed
from zhenggai.ledger.history import changed, record
from zhenggai.ledger.models import Inspection, Task
from zhenggai.reports.exemptions import approve_pending, withheld_entries
from zhenggai.reports.gather import DATE_KEYS, LIST_KEYS, MARK_KEYS, SECTION_KEYS
from zhenggai.reports.models import ReportDraft
from zhenggai.reports.permissions import ReportAction, require

SECTION_MAX = 5000
SHORT_MAX = 200
_SHORT = {"title", "addressee", "publisher", "address", "mark", "doc_number", "issuer"}


@retrying
def create_draft(inspection: Inspection, *, actor: Any, kind: str, as_of: date) -> ReportDraft:
    require(actor, ReportAction.EDIT, inspection)
    if kind not in ReportDraft.Kind.values:
        raise ValidationFailed("未知的报告类型", errors={"kind": ["请选择报告类型"]})
    with transaction.atomic():
        draft = ReportDraft.objects.create(inspection=inspection, kind=kind, as_of=as_of, created_by=actor)
        record(
            actor=actor,
            action="report_drafted",
            obj=draft,
            inspection=inspection,
            after={"kind": kind, "as_of": as_of, "revision": 1},
        )
    return draft


def clean_sections(inspection: Inspection, data: dict[str, Any]) -> dict[str, Any]:
    """The sections a draft may hold, trimmed and checked; empty values are dropped (the default is used)."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for key in (*SECTION_KEYS, *MARK_KEYS):
        value = str(data.get(key) or "").strip().replace("\r\n", "\n")
        limit = SHORT_MAX if key in _SHORT else SECTION_MAX
        if len(value) > limit:
            errors[key] = [f"不超过{limit}字"]
        elif value:
            clean[key] = value
    for key in DATE_KEYS:
        value = data.get(key) or ""
        if isinstance(value, date):
            clean[key] = value.isoformat()
        elif value:
            try:
                clean[key] = date.fromisoformat(str(value)).isoformat()
            except ValueError:
                errors[key] = ["日期格式应为 YYYY-MM-DD"]
    for key in LIST_KEYS:
        raw = data.get(key) or []
        items = [
            s.strip()
            for s in (raw.replace("、", "\n").replace(",", "\n").splitlines() if isinstance(raw, str) else raw)
        ]
        items = [s for s in items if s]
        if any(len(s) > 100 for s in items) or len(items) > 10:
            errors[key] = ["每项不超过100字,最多10项"]
        elif items:
            clean[key] = items
    reasons = data.get("late_reasons") or {}
    if reasons:
        known = {str(pk) for pk in Task.objects.filter(finding__inspection=inspection).values_list("pk", flat=True)}
        kept = {str(k): str(v).strip() for k, v in reasons.items() if str(v).strip()}
        if set(kept) - known:
            errors["late_reasons"] = ["逾期原因对应的任务不属于本次巡察"]
        elif any(len(v) > SHORT_MAX * 2 for v in kept.values()):
            errors["late_reasons"] = [f"每条原因不超过{SHORT_MAX * 2}字"]
        elif kept:
            clean["late_reasons"] = kept
    if errors:
        raise ValidationFailed("；".join(m for ms in errors.values() for m in ms), errors=errors)
    return clean


@retrying
def edit_draft(
    draft: ReportDraft,
    *,
    actor: Any,
    sections: dict[str, Any],
    as_of: date | None = None,
    dated: date | None = None,
    expected_revision: int | None = None,
) -> ReportDraft:
    """Replace the draft's wording (and dates); the history keeps what each section said before."""
    require(actor, ReportAction.EDIT, draft.inspection)
    clean = clean_sections(draft.inspection, sections)
    with transaction.atomic():
        current = ReportDraft.objects.select_for_update().get(pk=draft.pk)
        if expected_revision is not None and current.revision != expected_revision:
            raise StaleEdit(current.revision)
        before = {**current.sections, "as_of": current.as_of, "dated": current.dated}
        after = {**clean, "as_of": as_of or current.as_of, "dated": dated}
        for key in before.keys() - after.keys():
            after[key] = None
        old, new = changed(before, after)
        if new:
            current.sections = clean
            current.as_of, current.dated = after["as_of"], dated
            current.revision += 1
            approved = current.state == ReportDraft.State.APPROVED
            current.state, current.approved_by, current.approved_at = ReportDraft.State.DRAFT, None, None
            current.save()
            details = {"revision": current.revision, **({"approval_withdrawn": True} if approved else {})}
            record(
                actor=actor,
                action="report_edited",
                obj=current,
                inspection=current.inspection_id,
                before=old,
                after={**new, **details},
            )
    draft.refresh_from_db()
    return draft


@retrying
def approve_draft(draft: ReportDraft, *, actor: Any) -> ReportDraft:
    """The inspection office approves the draft as it stands: its revision and the exemptions it withholds
    (pending ones are approved with it; ground, reason and who decided) go into the history."""
    require(actor, ReportAction.APPROVE, draft.inspection)
    with transaction.atomic():
        current = ReportDraft.objects.select_for_update().get(pk=draft.pk)
        if current.state == ReportDraft.State.APPROVED:
            raise ValidationFailed("该报告稿已审定")
        approve_pending([entry["id"] for entry in withheld_entries(current.inspection)], actor=actor)
        exemptions = [
            {key: entry[key] for key in ("id", "label", "title", "measure", "ground", "reason", "decided_by")}
            for entry in withheld_entries(current.inspection)
        ]
        current.state, current.approved_by, current.approved_at = ReportDraft.State.APPROVED, actor, timezone.now()
        current.save()
        record(
            actor=actor,
            action="report_approved",
            obj=current,
            inspection=current.inspection_id,
            after={"revision": current.revision, "exemptions": exemptions},
        )
    draft.refresh_from_db()
    return draft
