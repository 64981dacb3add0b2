"""Every error the API returns is `{"detail": "<Chinese message>", "code": "<stable English code>"}`.

Domain errors keep their own `code` and map to statuses here and nowhere else: 401 without a
valid credential, 403 forbidden, 404 not visible, 409 conflicts (a stale edit, a step the
workflow does not allow now, a duplicate import), 422 input that breaks a rule or a file the
parser cannot read; 503 (code "busy", with Retry-After) a write that kept losing lock races to
other writes and was rolled back (`ledger.concurrency`).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from zhenggai.ingest import IngestError
from zhenggai.ledger.concurrency import is_contention
from zhenggai.ledger.errors import (
    Busy,
    DuplicateImport,
    Forbidden,
    InvalidTransition,
    LedgerError,
    NotFound,
    StaleEdit,
    ValidationFailed,
)

log = logging.getLogger("zhenggai.api")

STATUS_OF: dict[type[LedgerError], int] = {
    Forbidden: 403,
    NotFound: 404,
    StaleEdit: 409,
    InvalidTransition: 409,
    DuplicateImport: 409,
    ValidationFailed: 422,
}
HTTP_CODES = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 429: "throttled"}
HTTP_MESSAGES = {
    401: "请先登录，或在 Authorization 头中提供有效的 API 令牌",
    403: "您没有权限进行此操作",
    404: NotFound.default_message,
    429: "请求过于频繁，请稍后再试",
}


class ApiError(Exception):
    """An error raised by the API layer itself (not by a service), with its status and code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"detail": message, "code": code, **extra}


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api`; ninja picks the most specific class of the exception."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        response = api.create_response(request, body, status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="zhenggai"'
        return response

    @api.exception_handler(LedgerError)
    def ledger_error(request: HttpRequest, exc: LedgerError) -> HttpResponse:
        status = next((s for kind, s in STATUS_OF.items() if isinstance(exc, kind)), 400)
        extra: dict[str, Any] = {}
        if isinstance(exc, StaleEdit):
            extra["current_version"] = exc.current_version
        elif isinstance(exc, DuplicateImport):
            extra["inspection_id"] = exc.inspection_id
        elif isinstance(exc, ValidationFailed) and exc.errors:
            extra["errors"] = exc.errors
        return respond(request, status, error_body(exc.code, exc.message, **extra))

    @api.exception_handler(IngestError)
    def ingest_error(request: HttpRequest, exc: IngestError) -> HttpResponse:
        return respond(request, 422, error_body("parse_error", exc.message, reason=exc.code))

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, error_body(exc.code, exc.message))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, error_body("unauthenticated", HTTP_MESSAGES[401]))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        message = HTTP_MESSAGES.get(status) or str(exc)
        return respond(request, status, error_body(HTTP_CODES.get(status, "http_error"), message))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", HTTP_MESSAGES[404]))

    @api.exception_handler(ValidationError)
    def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors]
        return respond(request, 422, error_body("invalid_request", "请求内容不符合接口要求", errors=errors))

    def busy(request: HttpRequest) -> HttpResponse:
        response = respond(request, Busy.status, error_body(Busy.code, Busy.message))
        response["Retry-After"] = "2"
        return response

    @api.exception_handler(Busy)
    def busy_error(request: HttpRequest, exc: Busy) -> HttpResponse:
        return busy(request)

    @api.exception_handler(DatabaseError)
    def database_error(request: HttpRequest, exc: DatabaseError) -> HttpResponse:
        return busy(request) if is_contention(exc) else internal_error(request, exc)

    @api.exception_handler(Exception)
    def internal_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        if settings.DEBUG:
            raise exc
        log.exception("api error on %s %s", request.method, request.path)
        request_id = getattr(request, "request_id", "")
        message = "服务器内部错误，请联系系统管理员" + (f"（错误编号 {request_id}）" if request_id else "")
        return respond(request, 500, error_body("internal_error", message, request_id=request_id))
