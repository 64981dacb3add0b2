"""Evidence files (佐证材料): upload to a task (multipart) and download, both access-checked.

Files are never served from the media folder directly: a download goes through the same
visibility rule as the task it belongs to.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Router, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from zhenggai.api.schemas import Id
from zhenggai.api.scopes import get_visible
from zhenggai.api.tasks import EvidenceOut, evidence_out
from zhenggai.filetransfer import accepts_upload, evidence_response
from zhenggai.ledger.errors import NotFound
from zhenggai.ledger.models import Evidence, Task
from zhenggai.ledger.services.progress import add_evidence

router = Router(tags=["evidence"])


@router.post("/tasks/{task_id}/evidence", response={201: EvidenceOut}, summary="上传佐证材料(multipart,字段 file)")
@decorate_view(accepts_upload("evidence"))
def upload(request: HttpRequest, task_id: Id, file: File[UploadedFile]):
    task = get_visible(request.auth, Task.objects.all(), task_id)
    item = add_evidence(task, actor=request.auth, file=file, name=file.name)
    return Status(201, evidence_out(item))


@router.get(
    "/evidence/{evidence_id}/download",
    response={200: None},
    summary="下载佐证材料",
    openapi_extra={"responses": {200: {"description": "文件内容", "content": {"application/octet-stream": {}}}}},
)
def download(request: HttpRequest, evidence_id: Id):
    item = get_visible(request.auth, Evidence.objects.all(), evidence_id)
    try:
        return evidence_response(item)
    except FileNotFoundError:
        raise NotFound("文件已不在存储中，请联系系统管理员") from None
