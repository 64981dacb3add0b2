"""Files over HTTP, for the web pages and the API alike: upload limits enforced while the body is
received, and evidence sent back as a download no browser renders.

Each view or API operation that takes files declares its kind with `accepts_upload` ("evidence",
"import", "xlsx"); the limits come from settings. `LimitedUploadHandler` (first in
FILE_UPLOAD_HANDLERS) refuses a body whose declared length is over the limit before reading a byte,
and stops reading as soon as the files received pass it, so nothing over the limit reaches memory,
temp disk or media. The refusal is a Chinese message: a 413 page on the web (answered by
`UploadLimitMiddleware` before CSRF parses the body) and a 413 JSON error in the API.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme

from zhenggai.ledger import filetypes

MiB = 1024 * 1024
ENVELOPE = 1 * MiB
"""Room in a request for what is not file content: multipart headers and the form's other fields."""
OTHER = "other"


def upload_limit(kind: str) -> int:
    """The most bytes of files one request of `kind` may carry."""
    if kind == "evidence":
        return settings.ZHENGGAI_EVIDENCE_MAX_BYTES
    limits = settings.ZHENGGAI_UPLOAD_LIMITS
    return limits.get(kind, limits[OTHER])


def accepts_upload(kind: str) -> Callable:
    """Declare that a view (or, through ninja's `decorate_view`, an API operation) takes files of `kind`.

    On a Django view the kind is read from the view function when the body is parsed; for an API
    operation it is set on the request before ninja authenticates and parses, and a refused upload
    becomes a 413 instead of ninja's "field required".
    """

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            request.upload_kind = kind  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            message = getattr(request, "upload_refused", None)
            if message:
                return refusal(request, message, json=response.get("Content-Type", "").startswith("application/json"))
            return response

        wrapper.upload_kind = kind  # type: ignore[attr-defined]
        return wrapper

    return decorate


def _kind_of(request: HttpRequest) -> str:
    kind = getattr(request, "upload_kind", None)
    match = getattr(request, "resolver_match", None)
    if kind is None and match is not None:
        kind = getattr(match.func, "upload_kind", None)
    return kind or OTHER


def _refuse(request: HttpRequest, limit: int) -> None:
    size = f"{limit // MiB} MB" if limit >= MiB else f"{limit} 字节"
    request.upload_refused = f"上传的文件超过 {size} 上限,服务器已停止接收。请压缩或拆分后再上传"  # type: ignore[attr-defined]


class LimitedUploadHandler(FileUploadHandler):
    """Counts the file bytes of a request as they arrive and stops the upload past the view's limit."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = upload_limit(_kind_of(request)) if request is not None else upload_limit(OTHER)
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > self.limit + ENVELOPE:
            _refuse(self.request, self.limit)
            return QueryDict(encoding=encoding), MultiValueDict()  # handled: nothing is read
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            _refuse(self.request, self.limit)
            # connection_reset: Django closes (and so deletes) the partial files and reads no further
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class UploadLimitMiddleware:
    """Parses a multipart web form before CsrfViewMiddleware would, so a refused upload is answered
    with its message rather than a CSRF failure or a form that lost its file. API views are left to
    their operation, which authenticates before it reads the body."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, args: Any, kwargs: Any) -> HttpResponse | None:
        if request.method != "POST" or request.content_type != "multipart/form-data":
            return None
        if getattr(view_func, "csrf_exempt", False):
            return None
        try:
            request.FILES  # noqa: B018  (parse now, under the view's limit)
        except MultiPartParserError:
            return None  # a malformed body: left to CSRF and the view, as before
        message = getattr(request, "upload_refused", None)
        return refusal(request, message) if message else None


def refusal(request: HttpRequest, message: str, *, json: bool = False) -> HttpResponse:
    """413 with the message: JSON in the API's error shape, or a page with a way back."""
    if json:
        return JsonResponse({"detail": message, "code": "upload_too_large"}, status=413)
    referer = request.META.get("HTTP_REFERER", "")
    back = referer if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}) else "/"
    return render(request, "web/upload_refused.html", {"message": message, "back": back}, status=413)


def evidence_response(item: Any) -> FileResponse:
    """An evidence file as an attachment, typed by what it contains (FileNotFoundError if it is gone).

    The stored type is sent only if it is one of ours and the file's first bytes agree; anything
    else goes out as application/octet-stream, so an uploaded page or SVG is never rendered.
    """
    handle = item.file.open("rb")
    head = handle.read(filetypes.HEAD_BYTES)
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.original_name,
        content_type=filetypes.served_type(item.content_type, head),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
