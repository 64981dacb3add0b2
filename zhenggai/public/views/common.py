"""What the public pages share: the answer for what is not public, errors as pages, the caller's address."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhenggai.public.models import PublicReport
from zhenggai.web.client_address import client_ip

SHOWN = (PublicReport.State.PUBLISHED, PublicReport.State.WITHDRAWN)

__all__ = ["client_ip", "hardened", "message_page", "not_found", "page_not_found", "public_report_or_none"]


def hardened(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Marks a public page as needing no script at all, so `web.middleware.SecurityHeadersMiddleware`
    sends it the script-free policy (settings.ZHENGGAI_CSP_SCRIPT_FREE) instead of the site's. (The
    referrer policy stays the site's same-origin: with no-referrer, browsers send `Origin: null` on
    form posts and CSRF refuses them.)"""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.script_free = True
        return response

    return wrapped


def not_found(request: HttpRequest) -> HttpResponse:
    """One answer for missing and unpublished alike, so the public cannot tell drafts exist."""
    return render(request, "public/message.html", {"heading": "未找到", "message": "未找到该页面或报告。"}, status=404)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404 of the public-only mode, whose site has no staff pages to fall back on."""
    response = not_found(request)
    response.script_free = True
    return response


def message_page(request: HttpRequest, heading: str, message: str, status: int) -> HttpResponse:
    return render(request, "public/message.html", {"heading": heading, "message": message}, status=status)


def public_report_or_none(pk: int) -> PublicReport | None:
    return PublicReport.objects.filter(pk=pk, state__in=SHOWN).first()
