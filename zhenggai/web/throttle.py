"""Login throttling: too many failed logins for one username from one address lock it for a while.

Counted in the database (`LoginThrottle`), so every server process sees the same count. The
limits are settings: ZHENGGAI_LOGIN_MAX_FAILURES (5) failures within ZHENGGAI_LOGIN_WINDOW_MINUTES
(15) lock for ZHENGGAI_LOGIN_LOCK_MINUTES (15).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhenggai.web.models import LoginThrottle

security_log = logging.getLogger("zhenggai.security")


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_failures() -> int:
    return _setting("ZHENGGAI_LOGIN_MAX_FAILURES", 5)


def window() -> timedelta:
    return timedelta(minutes=_setting("ZHENGGAI_LOGIN_WINDOW_MINUTES", 15))


def lock_time() -> timedelta:
    return timedelta(minutes=_setting("ZHENGGAI_LOGIN_LOCK_MINUTES", 15))


def _key(username: str) -> str:
    """Usernames are matched case-insensitively here so 'Office' and 'office' share one count."""
    return (username or "").strip().lower()[:150]


def locked_until(username: str, ip: str, now: datetime | None = None) -> datetime | None:
    """When the lock on this username and address ends, or None if it may try now."""
    now = now or timezone.now()
    until = (
        LoginThrottle.objects.filter(username=_key(username), ip=ip, locked_until__gt=now)
        .values_list("locked_until", flat=True)
        .first()
    )
    return until


def record_failure(username: str, ip: str, now: datetime | None = None) -> datetime | None:
    """Count one failure; returns the end of the lock if this failure set one."""
    now = now or timezone.now()
    with transaction.atomic():
        row, created = LoginThrottle.objects.select_for_update().get_or_create(
            username=_key(username), ip=ip, defaults={"failures": 0, "window_start": now}
        )
        if not created and row.window_start <= now - window():
            row.failures, row.window_start, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= max_failures():
            row.locked_until = now + lock_time()
            row.failures, row.window_start = 0, now
            security_log.warning("login locked username=%s ip=%s until=%s", _key(username), ip, row.locked_until)
        row.save()
        return row.locked_until if row.locked_until and row.locked_until > now else None


def record_success(username: str, ip: str) -> None:
    LoginThrottle.objects.filter(username=_key(username), ip=ip).delete()


def client_ip(request) -> str:
    """The peer address; a proxy in front must pass the real one through REMOTE_ADDR (not trusted headers)."""
    return (request.META.get("REMOTE_ADDR") or "unknown")[:45]
