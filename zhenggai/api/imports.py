"""Importing a report or a `zhenggai.ledger/1` document (multipart upload), and previewing the parse.

201 with the new inspection's id; 422 with the parser's Chinese message; 409 with the id of the
inspection that already holds the same report. All or nothing: a failed import leaves no rows.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from zhenggai.api.schemas import Id
from zhenggai.api.scopes import get_or_404
from zhenggai.filetransfer import accepts_upload
from zhenggai.ledger.access import Action, require
from zhenggai.ledger.models import Inspection, Round
from zhenggai.ledger.services.import_file import import_file, read_document, tree_counts
from zhenggai.org.models import Unit

router = Router(tags=["imports"])


class ImportOut(Schema):
    id: int
    unit_id: int
    unit: str
    aspects: int
    items: int
    tasks: int
    warnings: list[str]


def import_summary(inspection: Inspection) -> dict[str, Any]:
    """What the importer is told: the new id and the size of the tree it now holds."""
    counts = tree_counts(inspection)
    return {
        "id": inspection.pk,
        "unit_id": inspection.unit_id,
        "unit": inspection.unit.name,
        **counts._asdict(),
        "warnings": list(inspection.warnings),
    }


def _read(file: UploadedFile) -> bytes:
    return b"".join(file.chunks())


@router.post("/imports", response={201: ImportOut}, summary="导入报告文件或 zhenggai.ledger/1 JSON(multipart)")
@decorate_view(accepts_upload("import"))
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    round_id: Form[Id],
    unit_id: Form[Id | None] = None,
):
    round_ = get_or_404(Round.objects.all(), round_id)
    unit = get_or_404(Unit.objects.all(), unit_id) if unit_id is not None else None
    require(request.auth, Action.IMPORT, round_)  # before reading the upload
    inspection = import_file(_read(file), file.name or "upload", round=round_, unit=unit, actor=request.auth)
    return Status(201, import_summary(inspection))


@router.post("/imports/preview", response=dict[str, Any], summary="预览解析结果(不写入),返回 zhenggai.ledger/1")
@decorate_view(accepts_upload("import"))
def preview_import(request: HttpRequest, file: File[UploadedFile]):
    """Parse without saving: the page shows the tree and its warnings, the user corrects and confirms."""
    require(request.auth, Action.IMPORT)
    return read_document(_read(file), file.name or "upload").to_dict()
