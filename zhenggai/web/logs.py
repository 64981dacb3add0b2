"""Which request a log line belongs to: its id and its user, on every record, web and API alike.

`RequestIdMiddleware` puts the request in a context variable for the duration of the request; the
`RequestContext` filter (installed on the handlers in settings.LOGGING) reads it, so any logger —
Django's `django.request` for unhandled web errors, `zhenggai.api` for API ones — writes
`[req=<id> user=<id>]` without the caller passing anything. Kept free of models: logging is
configured before the apps load.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from typing import Any

current_request: ContextVar[Any | None] = ContextVar("zhenggai_current_request", default=None)


def request_id() -> str:
    """The id of the request being handled, or "-" outside one."""
    request = current_request.get()
    return getattr(request, "request_id", None) or "-"


def user_id(request: Any) -> str:
    """The signed-in user's id ("-" for anonymous): the session user, else the API token's owner.

    Reads only what authentication already loaded where it can; a look-up that fails (a broken
    database is a common cause of the error being logged) must not stop the log line.
    """
    if request is None:
        return "-"
    try:
        user = getattr(request, "_cached_user", None) or getattr(request, "auth", None)
        if user is None and hasattr(request, "user"):
            user = request.user
        if user is not None and getattr(user, "is_authenticated", False):
            return str(user.pk)
    except Exception:  # the log line matters more than the user id
        return "?"
    return "-"


class RequestContext(logging.Filter):
    """Adds `request_id` and `user_id` to every record (or "-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = current_request.get()
        if not hasattr(record, "request_id"):
            record.request_id = getattr(request, "request_id", None) or "-"
        if not hasattr(record, "user_id"):
            record.user_id = user_id(request)
        return True


class StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a record is emitted, not the one of the moment logging
    was configured: a command run in-process (tests, a server that re-configures) may have swapped
    stderr for a stream it later closed, and a log line must never fail on that."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:  # StreamHandler.setStream; the stream is always the current stderr
        pass
