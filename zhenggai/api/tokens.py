"""Create, check and revoke API tokens. The token itself exists only in the creator's hands.

A token is `zg_` plus 43 URL-safe characters (256 random bits), so it is recognisable in a
leaked log and too long to guess; its first 8 characters are kept to tell tokens apart.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhenggai.api.models import ApiToken
from zhenggai.ledger.errors import ValidationFailed
from zhenggai.ledger.history import record
from zhenggai.org.models import User

PREFIX = "zg_"
# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
TOUCH_INTERVAL = timedelta(minutes=1)


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(user: User, *, name: str = "", actor: Any = None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token text, which is never stored."""
    name = (name or "").strip()
    if len(name) > 100:
        raise ValidationFailed("令牌名称不超过100字")
    if not user.is_active:
        raise ValidationFailed("该用户已停用，不能生成令牌")
    raw = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_hash=hash_key(raw), prefix=raw[:8])
        record(actor=actor, action="token_created", obj=token, after={"user": user.pk, "name": name})
    return token, raw


def revoke_token(token: ApiToken, *, actor: Any = None) -> ApiToken:
    """Revoke for good; the row stays so the history can still name it."""
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(actor=actor, action="token_revoked", obj=token, after={"user": token.user_id, "name": token.name})
    return token


def user_for_token(raw: str) -> User | None:
    """The active user a valid, unrevoked token belongs to, or None."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
