"""API tokens over the API: everyone lists and revokes their own; the office lists and revokes anyone's.
Tokens are created with `zhenggai token create` or on the web page, where the token is shown once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from zhenggai.api import tokens as service
from zhenggai.api.models import ApiToken
from zhenggai.api.schemas import Id
from zhenggai.api.scopes import get_or_404
from zhenggai.org.models import User

router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    active: bool
    state: str


def token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "user_id": token.user_id,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
        "active": not token.revoked and not token.expired,
        "state": token.state,
    }


@router.get("/me/tokens", response=list[TokenOut], summary="我的 API 令牌")
def my_tokens(request: HttpRequest):
    return [token_out(t) for t in service.tokens_of(request.auth, actor=request.auth)]


@router.get("/users/{user_id}/tokens", response=list[TokenOut], summary="某用户的 API 令牌(本人或巡察办)")
def user_tokens(request: HttpRequest, user_id: Id):
    owner = get_or_404(User.objects.all(), user_id)
    return [token_out(t) for t in service.tokens_of(owner, actor=request.auth)]


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="吊销 API 令牌(本人或巡察办)")
def revoke(request: HttpRequest, token_id: Id):
    token = get_or_404(ApiToken.objects.select_related("user"), token_id)
    return token_out(service.revoke_as(token, actor=request.auth))
