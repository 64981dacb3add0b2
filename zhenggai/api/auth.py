"""Who is calling: a bearer token (programs) or the browser session (same-origin pages, with CSRF).

An `Authorization` header decides alone: a request carrying a wrong or revoked token is refused
with 401 even if it also carries a session cookie, so a broken integration never runs as
whoever happens to be logged in in the same browser.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware
from ninja.security import APIKeyCookie, HttpBearer

from zhenggai.api.errors import ApiError
from zhenggai.api.tokens import user_for_token


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF rules, answering yes or no instead of rendering the failure page."""

    def _reject(self, request: HttpRequest, reason: str) -> HttpResponseForbidden:
        return HttpResponseForbidden(reason)


def csrf_passes(request: HttpRequest) -> bool:
    check = _CsrfCheck(lambda r: HttpResponseForbidden())
    request.csrf_processing_done = False
    check.process_request(request)
    return check.process_view(request, _no_view, (), {}) is None


def _no_view(request: HttpRequest) -> None:  # pragma: no cover - never called, only inspected
    return None


class TokenAuth(HttpBearer):
    """`Authorization: Bearer zg_…` (create one with `zhenggai token create USERNAME`)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return user_for_token(token.strip())


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; unsafe methods need the CSRF token like any form."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        if "authorization" in request.headers:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not csrf_passes(request):
            raise ApiError(403, "csrf_failed", "CSRF 校验失败：请刷新页面后重试，或改用 API 令牌")
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover - __call__ decides
        return None


AUTH = [TokenAuth(), SessionAuth()]
