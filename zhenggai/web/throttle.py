"""Login throttling: failed logins are limited per address, per username and overall.

Rules (counts are failures within ZHENGGAI_LOGIN_WINDOW_MINUTES, default 15):

- an address with ZHENGGAI_LOGIN_MAX_FAILURES_PER_ADDRESS (20) failures, on any usernames, is
  refused — spraying a few guesses at many accounts from one place stops there;
- a username with ZHENGGAI_LOGIN_MAX_FAILURES (5) failures, from any addresses, is locked — but only
  for addresses that have failed themselves: the real user, at a desk that typed no wrong password,
  still logs in while an attacker's addresses are refused;
- with ZHENGGAI_LOGIN_MAX_FAILURES_GLOBAL (200) failures overall (many addresses at once), every
  address that has failed is refused; addresses that have not failed still log in.

A refused attempt is answered before any password is hashed and writes nothing, so a locked-out
attacker costs one indexed count, not a hash. The hashes that do run are bounded by
`hashing_slot()` (ZHENGGAI_LOGIN_CONCURRENT_HASHES at a time in one process), so a flood of
logins cannot take every CPU from signed-in users. The caller's address comes from
`zhenggai.web.client_address.client_ip`, which honours a trusted proxy's header.

Why not django-axes (8.3, checked): it has no overall limit; its per-username lockout refuses the
real user from every address (the hole reported, when everyone comes through one proxy), and its
"username and address" lockout does not stop one address spraying many usernames unless combined
with a per-address lockout that shares the same single failure limit. Its no-hash refusal and
configurable address callable are good, but the rules above would need its internals replaced.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from zhenggai.web.models import LoginFailure

security_log = logging.getLogger("zhenggai.security")


class Busy(Exception):
    """No hashing slot came free in time: the login is turned away before any password is checked."""


@dataclass(frozen=True)
class Refusal:
    """Why a login is refused without checking the password, and when that may end."""

    reason: str  # "address" | "username" | "global"
    until: datetime


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def window() -> timedelta:
    return timedelta(minutes=_setting("ZHENGGAI_LOGIN_WINDOW_MINUTES", 15))


def per_username() -> int:
    return _setting("ZHENGGAI_LOGIN_MAX_FAILURES", 5)


def per_address() -> int:
    return _setting("ZHENGGAI_LOGIN_MAX_FAILURES_PER_ADDRESS", 20)


def overall() -> int:
    return _setting("ZHENGGAI_LOGIN_MAX_FAILURES_GLOBAL", 200)


def _key(username: str) -> str:
    """Usernames are matched case-insensitively here so 'Office' and 'office' share one count."""
    return (username or "").strip().lower()[:150]


def _recent(now: datetime) -> QuerySet[LoginFailure]:
    return LoginFailure.objects.filter(at__gt=now - window())


def _ends(failures: QuerySet[LoginFailure], count: int, limit: int, now: datetime) -> datetime:
    """When the count falls below the limit again: the failure that must age out, plus the window."""
    needed = list(failures.order_by("at").values_list("at", flat=True)[count - limit : count - limit + 1])
    return (needed[0] if needed else now) + window()


def refusal(username: str, ip: str, now: datetime | None = None) -> Refusal | None:
    """Whether a login by `username` from `ip` is refused now, before its password is looked at."""
    now = now or timezone.now()
    recent = _recent(now)
    from_address = recent.filter(ip=ip)
    address_count = from_address.count()
    if address_count >= per_address():
        return Refusal("address", _ends(from_address, address_count, per_address(), now))
    if address_count == 0:
        return None  # an address that has not failed is never held back by others' failures
    address_clean_at = (from_address.order_by("-at").values_list("at", flat=True).first() or now) + window()
    for_username = recent.filter(username=_key(username))
    username_count = for_username.count()
    if username_count >= per_username():
        until = min(_ends(for_username, username_count, per_username(), now), address_clean_at)
        return Refusal("username", until)
    total = recent.count()
    if total >= overall():
        return Refusal("global", min(_ends(recent, total, overall(), now), address_clean_at))
    return None


def record_failure(username: str, ip: str, now: datetime | None = None) -> Refusal | None:
    """Count one failed password check; returns the refusal it brings about, if any."""
    now = now or timezone.now()
    LoginFailure.objects.filter(at__lte=now - window()).delete()
    LoginFailure.objects.create(username=_key(username), ip=ip[:45], at=now)
    refused = refusal(username, ip, now)
    if refused is not None:
        security_log.warning(
            "login refused reason=%s username=%s ip=%s until=%s", refused.reason, _key(username), ip, refused.until
        )
    return refused


def record_success(username: str, ip: str) -> None:
    """The owner's own typos from this address are forgotten; failures on other usernames stay counted
    (or an attacker could clear an address's count by logging into an account of their own)."""
    LoginFailure.objects.filter(username=_key(username), ip=ip).delete()


def concurrent_hashes() -> int:
    return max(1, _setting("ZHENGGAI_LOGIN_CONCURRENT_HASHES", os.cpu_count() or 1))


_slots_lock = threading.Lock()
_slots: tuple[int, threading.BoundedSemaphore] | None = None


def _semaphore() -> threading.BoundedSemaphore:
    global _slots
    size = concurrent_hashes()
    with _slots_lock:
        if _slots is None or _slots[0] != size:
            _slots = (size, threading.BoundedSemaphore(size))
        return _slots[1]


@contextmanager
def hashing_slot() -> Iterator[None]:
    """Hold one of the process's password-hashing slots while checking a password; `Busy` after
    ZHENGGAI_LOGIN_HASH_WAIT_SECONDS (10) without one, so the other server threads stay free for pages."""
    semaphore = _semaphore()
    if not semaphore.acquire(timeout=_setting("ZHENGGAI_LOGIN_HASH_WAIT_SECONDS", 10)):
        raise Busy
    try:
        yield
    finally:
        semaphore.release()
