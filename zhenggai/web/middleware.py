"""Site-wide HTTP concerns, for staff pages, the public site and the API alike.

`RequestIdMiddleware` gives each request an id (a trusted proxy's, if configured and sane, else a
new one): sent back as `X-Request-ID`, written on every log line, shown on the 500 page so a user
can quote it. `SecurityHeadersMiddleware` sends the Content-Security-Policy — the site's policy
(scripts and styles from this site only, no inline script, nothing from elsewhere), or the
script-free one for pages that promise to need no script at all (the public site, marked by
`public.views.common.hardened`) and for every answer that is not an HTML page (JSON, downloads) —
and the Permissions-Policy. The other security headers come from Django's SecurityMiddleware,
configured in settings.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from zhenggai.web.logs import current_request

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def incoming_request_id(request: HttpRequest) -> str | None:
    """The id a trusted proxy put on the request, when one is configured and the value is sane."""
    header = settings.ZHENGGAI_REQUEST_ID_HEADER
    if not header:
        return None
    value = request.headers.get(header, "").strip()
    return value if _SANE_ID.fullmatch(value) else None


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = incoming_request_id(request) or uuid.uuid4().hex
        # Not reset on the way out: Django logs a 5xx response ("Internal Server Error") after the
        # middleware has returned, and that line needs the id too. The next request replaces it.
        current_request.set(request)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        marked = getattr(response, "script_free", False)
        if settings.DEBUG and response.status_code in (404, 500) and not marked:
            return response  # Django's technical pages for developers are styled and scripted inline
        html = response.get("Content-Type", "").startswith("text/html")
        script_free = marked or not html  # JSON, files: no page to run
        policy = settings.ZHENGGAI_CSP_SCRIPT_FREE if script_free else settings.ZHENGGAI_CSP
        response.setdefault("Content-Security-Policy", policy)
        response.setdefault("Permissions-Policy", settings.ZHENGGAI_PERMISSIONS_POLICY)
        return response
