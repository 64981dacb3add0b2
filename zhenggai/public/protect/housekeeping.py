"""Dropping what the protections no longer need, without a cron job: rate counters of windows that have
ended and challenge nonces whose tokens have expired.

The public forms call `purge_if_due()` as they work (an opinion after it is stored, a status look-up after
its address was counted); it deletes at most once per INTERVAL in each server process, and both deletes
run on indexed dates, so the cost is two small DELETEs an hour. A failure is logged and forgotten: the
rows wait for the next turn and nothing the sender did is affected.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from zhenggai.public.protect import challenge, throttle

log = logging.getLogger("zhenggai.public")

INTERVAL = 3600  # seconds between purges in one process
clock = time.monotonic  # replaced by tests to let an interval pass
_lock = threading.Lock()
_next_due = 0.0  # clock() after which the next purge may run


@dataclass(frozen=True)
class Purged:
    counters: int
    challenges: int


def purge(now: datetime | None = None) -> Purged:
    """Delete counters whose window has ended and used challenges past their tokens' lifetime."""
    now = now or timezone.now()
    with transaction.atomic():
        counters = throttle.purge_old(now)
        challenges = challenge.forget_used(now - timedelta(seconds=challenge.MAX_AGE * 2))
    return Purged(counters, challenges)


def purge_if_due(now: datetime | None = None) -> Purged | None:
    """`purge()` when INTERVAL has passed since this process last did it; never raises."""
    global _next_due
    with _lock:
        tick = clock()
        if tick < _next_due:
            return None
        _next_due = tick + INTERVAL
    try:
        done = purge(now)
    except Exception:  # a purge that failed costs nothing but disk space until the next one
        log.exception("purging old rate counters and challenges failed")
        return None
    if done.counters or done.challenges:
        log.info("purged %s rate counters and %s used challenges", done.counters, done.challenges)
    return done


def reset() -> None:
    """Make the next `purge_if_due()` run (tests, and after a manual purge)."""
    global _next_due
    with _lock:
        _next_due = 0.0
