"""What every oversight page shares: the role gate, the base template, the Chinese error page, CSV."""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache, wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone

from zhenggai.outputs.cells import cell_row, cell_rows
from zhenggai.oversight import permissions
from zhenggai.oversight.models import Notification

security_log = logging.getLogger("zhenggai.security")
WEB_BASE = "web/base.html"
OWN_BASE = "oversight/standalone.html"


@lru_cache(maxsize=1)
def base_template() -> str:
    """The web app's base template when it is installed, so oversight pages share its header."""
    try:
        get_template(WEB_BASE)
    except TemplateDoesNotExist:
        return OWN_BASE
    return WEB_BASE


def today():
    return timezone.localdate()


def page(template: str, request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    user = request.user
    context = {
        "oversight_base": base_template(),
        "section": "oversight",
        "can_view_oversight": permissions.can_view(user),
        "can_manage_oversight": permissions.can_manage(user),
        "can_read_settings": permissions.can_read_settings(user),
        "unread": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        **context,
    }
    return render(request, template, context, status=status)


def forbidden(request: HttpRequest) -> HttpResponse:
    security_log.warning("denied user=%s path=%s", getattr(request.user, "username", "-"), request.path)
    return page("oversight/error.html", request, {"status": 403, "message": "您没有权限查看此页面"}, status=403)


def gate(check: Callable[[Any], bool]) -> Callable:
    """Login required, then `check(user)` or the 403 page; a Http404 becomes the 404 page."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                return forbidden(request)
            try:
                return view(request, *args, **kwargs)
            except Http404:
                return page("oversight/error.html", request, {"status": 404, "message": "未找到，或您无权查看"}, 404)

        return login_required(wrapped)

    return decorate


viewer = gate(permissions.can_view)
manager = gate(permissions.can_manage)
settings_reader = gate(permissions.can_read_settings)
signed_in = gate(lambda user: user.is_authenticated and user.is_active)


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """UTF-8 with a BOM, which Excel on Chinese Windows needs to read the characters; every cell goes
    through `cell_text`, so text a user typed never becomes a formula in Excel."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(cell_row(header))
    writer.writerows(cell_rows(rows))
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
