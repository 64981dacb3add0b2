"""What every page shares: scoped look-ups that refuse (and log) what the user may not see, error pages."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhenggai.ledger.access import Action, require
from zhenggai.ledger.errors import Forbidden, LedgerError, NotFound


def today():
    return timezone.localdate()


def visible_or_404(user: Any, scoped: QuerySet, pk: Any) -> Model:
    """The object `pk` from the user's scoped queryset, or 404.

    When the object exists but lies outside the user's scope, the refusal goes through
    `access.require` so it is logged and kept in the history, and the answer stays a plain 404
    that does not tell whether the object exists.
    """
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    found = scoped.filter(pk=pk).first()
    if found is not None:
        return found
    hidden = scoped.model._default_manager.filter(pk=pk).first()
    if hidden is not None:
        with contextlib.suppress(Forbidden):
            require(user, Action.VIEW, hidden)
    raise Http404


def error_page(request: HttpRequest, error: LedgerError, status: int) -> HttpResponse:
    return render(request, "web/error.html", {"error": error, "status": status}, status=status)


def page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login required; a Forbidden or NotFound from a service becomes the Chinese error page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Forbidden as error:
            return error_page(request, error, 403)
        except NotFound as error:
            return error_page(request, error, 404)

    return login_required(wrapped)


def first_error(error: LedgerError) -> dict[str, list[str]]:
    """Field errors of a ValidationFailed, else the message as a form-wide error."""
    errors = getattr(error, "errors", None) or {}
    return errors or {"__all__": [error.message]}
