"""Side effects of ledger changes, fanned out here and nowhere else: every Event that names an
inspection refreshes that inspection's counts; an import also classifies its findings.

Handlers run inside the change's transaction (so a rolled-back change leaves no trace) under a
savepoint: a failure in a derived table is logged and never breaks the ledger's own write.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save

from zhenggai.ledger.models import Event

log = logging.getLogger("zhenggai.oversight")
IGNORED = frozenset({"denied"})


def connect() -> None:
    post_save.connect(event_saved, sender=Event, dispatch_uid="oversight.event_saved")


def event_saved(sender, instance: Event, created: bool, **kwargs) -> None:
    if not created or not instance.inspection_id or instance.action in IGNORED:
        return
    from zhenggai.oversight.services import classification, figures

    try:
        with transaction.atomic():
            figures.refresh([instance.inspection_id])
            if instance.action == "imported":
                classification.classify_inspections([instance.inspection_id])
    except Exception:
        log.exception("oversight: refreshing inspection %s failed", instance.inspection_id)
