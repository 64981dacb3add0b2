"""A write that kept losing lock races answers with a Chinese 503 page, never a 500.

Services retry such writes themselves (`ledger.concurrency.retrying`) and raise `Busy` when the
last attempt fails too; a contention error from a write no service wraps reaches here raw. Both
become the same page on every HTML view — or, for an htmx request (which would not show an error
response), the message and a redirect back to the page it came from. The API answers the same in
JSON (`api.errors`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from zhenggai.ledger.concurrency import is_contention
from zhenggai.ledger.errors import Busy

RETRY_AFTER_SECONDS = 2


class BusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Busy) and not is_contention(exception):
            return None
        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
            back = ""
        if back and request.headers.get("HX-Request") == "true":
            messages.error(request, Busy.message)
            response = HttpResponse(Busy.message, status=Busy.status, content_type="text/plain; charset=utf-8")
            response["HX-Redirect"] = back
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        response = render(request, "web/busy.html", {"message": Busy.message, "back": back}, status=Busy.status)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
