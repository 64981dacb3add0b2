"""Signals of the public side. They only fan out side effects (notifications, logs); the rules live in
the services, which send these after their own work is committed.

Receivers are connected here, on import from `PublicConfig.ready()`; senders use `send_robust`, so a
failing receiver is logged and never undoes what the service stored.
"""

from __future__ import annotations

import logging

from django.dispatch import Signal, receiver

log = logging.getLogger("zhenggai.public")

# sent with opinion=Opinion after the opinion is stored
opinion_received = Signal()
# sent with report=PublicReport, action=str ("approved", "corrected", "withdrawn") after it is committed
publication_changed = Signal()


@receiver(opinion_received, dispatch_uid="zhenggai.public.log_opinion")
def log_opinion(sender, opinion, **kwargs) -> None:
    """The notice the offices read in the log until mail or SMS gateways are configured."""
    log.info("opinion received receipt=%s unit=%s kind=%s", opinion.receipt, opinion.unit_id, opinion.kind)


@receiver(publication_changed, dispatch_uid="zhenggai.public.log_publication")
def log_publication(sender, report, action, **kwargs) -> None:
    log.info("public report %s %s", report.pk, action)
