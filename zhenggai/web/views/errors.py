"""The 500 page: Chinese, no traceback, with the request id a user can quote to the administrator.

Rendered without context processors or database look-ups: whatever broke the request may break
them too.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponseServerError:
    request_id = getattr(request, "request_id", "")
    return HttpResponseServerError(loader.get_template("500.html").render({"request_id": request_id}))
