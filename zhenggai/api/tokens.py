"""Create, check, list and end API tokens. The token itself exists only in the creator's hands.

A token is `zg_` plus 43 URL-safe characters (256 random bits), so it is recognisable in a
leaked log and too long to guess; only its SHA-256 is stored, and its first 8 characters are kept
to tell tokens apart. A token carries an expiry (ZHENGGAI_TOKEN_DAYS, 90 by default) and ends
for good with the credentials it was issued under: `end_tokens` runs when the password changes
(by the user, the office or `manage.py changepassword`: see `EndTokensOnPasswordChange`), when the
account is deactivated (so reactivation does not bring old tokens back) and when the role changes.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhenggai.api.models import ApiToken, EndReason
from zhenggai.ledger.access import Action, require
from zhenggai.ledger.errors import ValidationFailed
from zhenggai.ledger.history import record
from zhenggai.org.models import User

PREFIX = "zg_"
MAX_DAYS = 3650
# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
TOUCH_INTERVAL = timedelta(minutes=1)


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def default_days() -> int:
    return int(getattr(settings, "ZHENGGAI_TOKEN_DAYS", 90))


def create_token(user: User, *, name: str = "", days: int | None = None, actor: Any = None) -> tuple[ApiToken, str]:
    """A new token for `user`, valid for `days` (default ZHENGGAI_TOKEN_DAYS); returns the row and the
    token text, which is never stored."""
    name = (name or "").strip()
    if len(name) > 100:
        raise ValidationFailed("令牌名称不超过100字")
    days = default_days() if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise ValidationFailed(f"令牌有效天数须在1到{MAX_DAYS}之间")
    if not user.is_active:
        raise ValidationFailed("该用户已停用，不能生成令牌")
    raw = PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(days=days)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, key_hash=hash_key(raw), prefix=raw[:8], expires_at=expires_at
        )
        record(
            actor=actor,
            action="token_created",
            obj=token,
            after={"user": user.pk, "name": name, "expires_at": expires_at.isoformat()},
        )
    return token, raw


def _end(token: ApiToken, *, reason: EndReason, actor: Any, now: datetime) -> None:
    token.revoked_at, token.revoked_reason = now, reason
    token.save(update_fields=["revoked_at", "revoked_reason"])
    record(
        actor=actor,
        action="token_revoked",
        obj=token,
        after={"user": token.user_id, "name": token.name, "reason": reason.value},
    )


def revoke_token(token: ApiToken, *, actor: Any = None) -> ApiToken:
    """Revoke for good; the row stays so the history can still name it."""
    if token.revoked_at is None:
        with transaction.atomic():
            _end(token, reason=EndReason.REVOKED, actor=actor, now=timezone.now())
    return token


def end_tokens(user: User, *, reason: EndReason, actor: Any = None) -> int:
    """End every live token of `user` (its credentials changed); returns how many ended."""
    now = timezone.now()
    with transaction.atomic():
        tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
        for token in tokens:
            _end(token, reason=reason, actor=actor, now=now)
    return len(tokens)


class EndTokensOnPasswordChange:
    """A password "validator" that validates nothing: Django calls its `password_changed` whenever a
    user is saved with a new password (every path, not the silent re-hash on login), and the user's
    API tokens end there. Listed in AUTH_PASSWORD_VALIDATORS."""

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is not None and user.pk is not None:
            end_tokens(user, reason=EndReason.PASSWORD_CHANGED)

    def get_help_text(self) -> str:
        return ""


def user_for_token(raw: str) -> User | None:
    """The active user a valid, unrevoked, unexpired token belongs to, or None."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(raw), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def tokens_of(owner: User, *, actor: Any) -> QuerySet[ApiToken]:
    """`owner`'s tokens, newest first, for the owner and the office (anyone else is refused and recorded)."""
    _require_owner_or_office(actor, owner)
    return ApiToken.objects.filter(user=owner).order_by("-created_at", "-id")


def revoke_as(token: ApiToken, *, actor: Any) -> ApiToken:
    """Revoke on behalf of `actor`: the token's owner or the office."""
    _require_owner_or_office(actor, token.user)
    return revoke_token(token, actor=actor)


def _require_owner_or_office(actor: Any, owner: User) -> None:
    if getattr(actor, "is_authenticated", False) and actor.pk == owner.pk and actor.is_active:
        return
    require(actor, Action.MANAGE_USERS)
