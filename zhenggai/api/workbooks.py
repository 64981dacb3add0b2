"""The Excel ledger (问题清单、任务清单、责任清单) over the API: download it, and import the edited workbook.

The import answers 200 with the changes made; 422 with every problem of the workbook; 409 with the
tasks changed both in the workbook and in the system since the export (exported, yours and the system's
value of each field), and nothing written, until the request says per task which to keep
(`resolutions`, e.g. {"13": "mine", "14": "system"}) or for all of them (`keep`).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from zhenggai.api.errors import ApiError, error_body
from zhenggai.api.schemas import Id
from zhenggai.api.scopes import get_visible
from zhenggai.filetransfer import accepts_upload
from zhenggai.ledger.models import Inspection
from zhenggai.outputs.errors import WorkbookRejected
from zhenggai.reports.permissions import ReportAction, require
from zhenggai.reports.render import render_workbook
from zhenggai.reports.views.common import attachment
from zhenggai.reports.xlsx_import import ImportConflicts, Keep, Resolution, import_workbook

router = Router(tags=["workbooks"])


class ChangeOut(Schema):
    task_id: int
    field: str
    header: str
    old: Any
    new: Any
    where: str


class WorkbookImportOut(Schema):
    summary: str
    dry_run: bool
    tasks: int
    changes: list[ChangeOut]
    kept: list[int]


class ConflictFieldOut(Schema):
    field: str
    header: str
    exported: Any
    mine: Any
    system: Any
    changed_by_user: bool


class ConflictOut(Schema):
    task_id: int
    where: str
    measure: str
    system_version: int
    fields: list[ConflictFieldOut]


class ConflictsOut(Schema):
    detail: str
    code: str
    conflicts: list[ConflictOut]


class RejectedOut(Schema):
    detail: str
    code: str
    # the workbook's problems as lines; a malformed request's fields as {"loc", "msg"} (errors.install)
    errors: list[str | dict[str, Any]]


def _inspection(request: HttpRequest, inspection_id: Id) -> Inspection:
    return get_visible(request.auth, Inspection.objects.select_related("unit"), inspection_id)


@router.get("/inspections/{inspection_id}/workbook", response={200: None}, summary="下载 Excel 台账(三个清单)")
def download_workbook(request: HttpRequest, inspection_id: Id) -> HttpResponse:
    inspection = _inspection(request, inspection_id)
    require(request.auth, ReportAction.VIEW, inspection)
    return attachment(render_workbook(inspection, actor=request.auth))


def _choices(keep: str | None, resolutions: str | None) -> Keep | dict[int, Resolution] | None:
    """`keep` for every conflict, or `resolutions` per task id: "mine" / "system", or {"keep", "version"}."""
    bad = ApiError(422, "invalid_request", '请用 keep(mine 或 system)或 resolutions({"任务编号": "mine"})之一')
    if keep is not None and resolutions is not None:
        raise bad
    try:
        if keep is not None:
            return Keep(keep)
        if resolutions is None:
            return None
        choices = {}
        for key, value in json.loads(resolutions).items():
            item = value if isinstance(value, dict) else {"keep": value}
            version = item.get("version")
            if version is not None and not isinstance(version, int):
                raise ValueError(version)
            choices[int(key)] = Resolution(Keep(item["keep"]), version)
        return choices
    except (ValueError, TypeError, KeyError, AttributeError):
        raise bad from None


@router.post(
    "/inspections/{inspection_id}/workbook",
    response={200: WorkbookImportOut, 409: ConflictsOut, 422: RejectedOut},
    summary="导入修改后的 Excel 台账(multipart,字段 file;有冲突时 409,须用 resolutions 或 keep 逐项选择)",
)
@decorate_view(accepts_upload("xlsx"))
def import_ledger_workbook(
    request: HttpRequest,
    inspection_id: Id,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    keep: Form[str | None] = None,
    resolutions: Form[str | None] = None,
):
    inspection = _inspection(request, inspection_id)
    require(request.auth, ReportAction.IMPORT_WORKBOOK, inspection)  # before reading the upload
    choices = _choices(keep, resolutions)
    try:
        result = import_workbook(inspection, b"".join(file.chunks()), actor=request.auth, dry_run=dry_run, keep=choices)
    except WorkbookRejected as rejected:
        return Status(422, error_body(rejected.code, rejected.message, errors=rejected.errors))
    except ImportConflicts as conflicts:
        body = error_body(conflicts.code, conflicts.message, conflicts=[c.as_data() for c in conflicts.conflicts])
        return Status(409, body)
    changes = [
        {"task_id": c.task_id, "field": c.field, "header": c.header, "old": c.plain_old, "new": c.plain_new,
         "where": c.where}
        for c in result.changes
    ]  # fmt: skip
    return {
        "summary": result.summary(),
        "dry_run": result.dry_run,
        "tasks": result.tasks,
        "changes": changes,
        "kept": list(result.kept),
    }
