"""Side effects of ledger changes, fanned out here and nowhere else: every Event that names an
inspection marks that inspection's counts for a recount after the change commits (once per
transaction, however many events it wrote); an import also classifies its findings.

Classification runs inside the import's transaction (so a rolled-back import leaves no trace)
under a savepoint: a failure there is logged and never breaks the ledger's own write.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save

from zhenggai.ledger.concurrency import is_contention
from zhenggai.ledger.models import Event

log = logging.getLogger("zhenggai.oversight")
IGNORED = frozenset({"denied"})


def connect() -> None:
    post_save.connect(event_saved, sender=Event, dispatch_uid="oversight.event_saved")


def event_saved(sender, instance: Event, created: bool, **kwargs) -> None:
    if not created or not instance.inspection_id or instance.action in IGNORED:
        return
    from zhenggai.oversight.services import classification, figures

    figures.touch(instance.inspection_id)
    if instance.action != "imported":
        return
    try:
        with transaction.atomic():
            classification.classify_inspections([instance.inspection_id])
    except Exception as error:
        if is_contention(error):
            raise  # the whole import is tried again (`ledger.concurrency`), not only this step
        log.exception("oversight: classifying inspection %s failed", instance.inspection_id)
