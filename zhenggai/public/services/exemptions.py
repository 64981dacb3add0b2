"""The inspection office refuses one exemption of a submitted public version: the problem goes back
into that version, which is rendered again as of the same date; the other exemptions stay."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import transaction

from zhenggai.ledger.concurrency import retrying
from zhenggai.ledger.errors import InvalidTransition, ValidationFailed
from zhenggai.ledger.history import record
from zhenggai.public.access import PublicAction, require_publish
from zhenggai.public.models import Revision
from zhenggai.public.render import render_public_version

NOTE_MAX = 1000


@retrying
def refuse_exemption(revision: Revision, exemption_id: int, *, actor: Any, note: str) -> Revision:
    """Refuse exemption `exemption_id` of `revision` (with the office's opinion) and re-render it."""
    inspection = revision.report.inspection
    require_publish(actor, PublicAction.DECIDE, inspection)
    note = (note or "").strip()
    if not note or len(note) > NOTE_MAX:
        raise ValidationFailed(f"请填写不同意的意见(不超过{NOTE_MAX}字)", errors={"note": ["请填写审核意见"]})
    if not apps.is_installed("zhenggai.reports"):
        raise ValidationFailed("本系统未启用不予公开审核")
    from zhenggai.reports.exemptions import decide_exemption
    from zhenggai.reports.gather import tree_paths
    from zhenggai.reports.models import Exemption

    with transaction.atomic():
        current = Revision.objects.select_for_update().get(pk=revision.pk)
        if current.state != Revision.State.SUBMITTED:
            raise InvalidTransition("该版本已审核")
        if exemption_id not in {entry["id"] for entry in current.exemptions}:
            raise ValidationFailed("该事项不在本版的不予公开清单中")
        exemption = Exemption.objects.filter(pk=exemption_id, inspection=inspection).first()
        if exemption is None:
            raise ValidationFailed("该不予公开申请已撤回")
        decide_exemption(exemption, actor=actor, approve=False, note=note)
        # paths chosen on submission stay withheld, except the refused problem's own
        paths, _ = tree_paths(inspection)
        refused = paths.get(exemption.finding_id)
        extra = frozenset(tuple(p) for p in current.exempt if tuple(p) != refused)
        snapshot = render_public_version(
            inspection, actor=actor, as_of=current.as_of, dated=current.dated, exempt=extra
        )
        current.body_html, current.body_text, current.blocks = snapshot.html, snapshot.text, snapshot.blocks
        current.counts, current.exempt, current.exemptions = snapshot.counts, snapshot.exempt, snapshot.exemptions
        current.save()
        record(
            actor=actor,
            action="public_exemption_refused",
            obj=current,
            inspection=inspection,
            after={"number": current.number, "exemption": exemption_id, "note": note},
        )
    revision.refresh_from_db()
    return revision
