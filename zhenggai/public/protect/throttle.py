"""Rate limits counted in the database (RateCounter), so that every server process sees one count.

A limit is a number of attempts per fixed window for one key ("opinion-ip:10.0.0.7"). Counting is one
UPDATE … SET count = count + 1 (an INSERT for the window's first attempt), so two processes never
lose an attempt between them.

Opinions are limited per address, per report (so that many addresses cannot flood one report) and
for the whole site (so that many addresses cannot flood it at all); the challenge's picture per
address. ZHENGGAI_PUBLIC_LIMITS in the settings replaces any of these, e.g.
{"opinion-report": ((20, 3600),), "opinion-all": ((30, 60), (200, 3600))}.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhenggai.public.models import RateCounter


@dataclass(frozen=True)
class Limit:
    name: str
    attempts: int
    seconds: int


DEFAULTS = {
    "opinion-ip": ((5, 60), (20, 3600), (50, 86400)),
    "opinion-report": ((20, 3600),),  # key: the report's id, or "general" for the form without one
    "opinion-all": ((30, 60), (200, 3600)),
    "challenge-ip": ((30, 60), (300, 3600)),
    "lookup-ip": ((10, 60), (60, 3600)),
    "lookup-receipt": ((10, 60), (30, 3600)),
}
KEEP_AT_LEAST = timedelta(days=2)


def _table() -> dict[str, tuple[tuple[int, int], ...]]:
    return {**DEFAULTS, **getattr(settings, "ZHENGGAI_PUBLIC_LIMITS", {})}


def limits(kind: str) -> tuple[Limit, ...]:
    """The limits of one kind of action, from ZHENGGAI_PUBLIC_LIMITS (settings) or the defaults."""
    return tuple(Limit(kind, attempts, seconds) for attempts, seconds in _table()[kind])


def hit(kind: str, key: str, now: datetime | None = None) -> bool:
    """Count one attempt for `key` against every limit of `kind`; False when any limit is exceeded."""
    now = now or timezone.now()
    allowed = True
    for limit in limits(kind):
        if _count(f"{kind}:{limit.seconds}:{key}"[:120], _window(now, limit.seconds)) > limit.attempts:
            allowed = False
    return allowed


def _window(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo or timezone.get_current_timezone())


def _count(key: str, window: datetime) -> int:
    with transaction.atomic():
        if not RateCounter.objects.filter(key=key, window_start=window).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window_start=window, count=1)
            except IntegrityError:  # another process created it first
                RateCounter.objects.filter(key=key, window_start=window).update(count=F("count") + 1)
        return RateCounter.objects.filter(key=key, window_start=window).values_list("count", flat=True).get()


def forget_before(moment: datetime) -> int:
    """Drop counters of windows that began before `moment` (old ones decide nothing any more)."""
    deleted, _ = RateCounter.objects.filter(window_start__lt=moment).delete()
    return deleted


def purge_old(now: datetime | None = None) -> int:
    """Drop the counters of every window that has ended: older than the longest limit (two days at least)."""
    longest = max((seconds for pairs in _table().values() for _, seconds in pairs), default=0)
    return forget_before((now or timezone.now()) - max(KEEP_AT_LEAST, timedelta(seconds=longest)))
