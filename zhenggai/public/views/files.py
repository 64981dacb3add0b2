"""The approved report as files: Word (.docx, GB/T 9704) and PDF, drawn from the frozen paragraphs."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from zhenggai.outputs.errors import OutputError
from zhenggai.public.documents import docx_of, pdf_of
from zhenggai.public.views.common import message_page, not_found
from zhenggai.public.views.site import live_revision

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    revision = live_revision(pk)
    if revision is None:
        return not_found(request)
    return _download(docx_of(revision), _UNSAFE.sub("_", revision.title)[:100] + ".docx", DOCX)


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    revision = live_revision(pk)
    if revision is None:
        return not_found(request)
    try:
        data = pdf_of(revision)
    except OutputError:
        return message_page(request, "暂时无法生成 PDF", "暂时无法生成 PDF，请使用打印版或下载 Word 版。", 503)
    return _download(data, _UNSAFE.sub("_", revision.title)[:100] + ".pdf", "application/pdf")
