"""What every response of the site must carry, checked by the permission matrices on every page × role."""

from __future__ import annotations

from django.conf import settings


def assert_security_headers(response, *, script_free: bool = False) -> None:
    """The site's Content-Security-Policy (the script-free one on public pages and on anything but HTML,
    such as JSON and downloads) and a request id."""
    script_free = script_free or not response.get("Content-Type", "").startswith("text/html")
    policy = settings.ZHENGGAI_CSP_SCRIPT_FREE if script_free else settings.ZHENGGAI_CSP
    assert response.get("Content-Security-Policy") == policy, (
        response.status_code,
        response.get("Content-Security-Policy"),
    )
    assert response.get("X-Request-ID"), response.status_code
