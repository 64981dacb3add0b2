"""The reports page of an inspection (/inspections/<id>/reports/), its downloads and the Excel ledger:
export, import of the edited workbook (with a page to settle conflicts), and a feedback list imported
as a new inspection."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhenggai.filetransfer import accepts_upload
from zhenggai.ledger.access import Action
from zhenggai.ledger.access import require as require_ledger
from zhenggai.ledger.errors import LedgerError
from zhenggai.outputs import ReportKind, Version
from zhenggai.outputs.errors import OutputError, PdfUnavailable, WorkbookRejected
from zhenggai.params import read_query
from zhenggai.reports.forms import FeedbackListForm, WorkbookForm, resolutions_from
from zhenggai.reports.models import ReportDraft
from zhenggai.reports.permissions import ReportAction, require
from zhenggai.reports.render import REPORT_FORMATS, render_report, render_workbook
from zhenggai.reports.views.common import attachment, get_inspection, render_page
from zhenggai.reports.xlsx_import import (
    Edits,
    ImportConflicts,
    apply_edits,
    import_feedback_list,
    read_edits,
)
from zhenggai.web.views.common import error_page, page


@page
@require_GET
def reports_page(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection(request, pk)
    require(request.user, ReportAction.VIEW, inspection)
    return render_page(request, inspection)


@page
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection(request, pk)
    require(request.user, ReportAction.VIEW, inspection)
    params = read_query(request)
    fmt = params.choice("fmt", "格式", REPORT_FORMATS, default="docx")
    kind = params.choice("kind", "报告类型", list(ReportKind), default=ReportKind.PUBLIC)
    version = params.choice("version", "版本", list(Version), default=Version.PUBLIC)
    draft_id = params.id("draft", "报告稿")
    as_of = params.date("as_of", "截至日期")
    if params.notes:
        # a file cannot say which value was ignored: refuse it (the page lists them) rather than send another
        return error_page(request, LedgerError("下载参数有误"), 400)
    draft = None
    if draft_id is not None:
        draft = ReportDraft.objects.filter(inspection=inspection, pk=draft_id).first()
        if draft is None:
            return error_page(request, LedgerError("未找到该报告稿"), 404)
    try:
        rendered = render_report(
            inspection, actor=request.user, fmt=fmt, kind=kind, version=version, as_of=as_of, draft=draft
        )
    except OutputError as error:
        return error_page(request, LedgerError(error.message), 503 if isinstance(error, PdfUnavailable) else 500)
    return attachment(rendered)


@page
@require_GET
def ledger_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection(request, pk)
    require(request.user, ReportAction.VIEW, inspection)
    return attachment(render_workbook(inspection, actor=request.user))


@page
@require_POST
@accepts_upload("xlsx")
def ledger_import(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection(request, pk)
    require(request.user, ReportAction.IMPORT_WORKBOOK, inspection)
    form = WorkbookForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_page(request, inspection, status=400, workbook_form=form)
    dry_run = form.cleaned_data["dry_run"]
    try:
        edits = read_edits(inspection, form.cleaned_data["file"].read(), actor=request.user)
    except WorkbookRejected as rejected:
        return _rejected(request, inspection, rejected, form)
    return _apply(request, inspection, edits, dry_run, {}, again=False)


@page
@require_POST
def ledger_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """The conflict page's answer: the edits it carried (signed) and a choice per conflicting task."""
    inspection = get_inspection(request, pk)
    require(request.user, ReportAction.IMPORT_WORKBOOK, inspection)
    try:
        data = signing.loads(
            request.POST.get("edits", ""), salt=_salt(request, inspection), max_age=settings.SESSION_COOKIE_AGE
        )
        edits = Edits.from_data(data)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return error_page(request, LedgerError("导入内容已过期或无效,请重新上传工作簿"), 400)
    dry_run = request.POST.get("dry_run") == "1"
    return _apply(request, inspection, edits, dry_run, resolutions_from(request.POST), again=True)


def _salt(request: HttpRequest, inspection) -> str:
    """Bound to the inspection: edits read for one ledger cannot be posted to another. Whoever posts
    them needs the right to import anyway, and the history names them."""
    return f"zhenggai.xlsx-import:{inspection.pk}"


def _apply(
    request: HttpRequest, inspection, edits: Edits, dry_run: bool, resolutions: dict, *, again: bool
) -> HttpResponse:
    """Apply, or show the conflicts with a choice per task; the edits travel signed, so the workbook is
    not uploaded twice and cannot be altered between the two steps."""
    try:
        result = apply_edits(inspection, edits, actor=request.user, dry_run=dry_run, keep=resolutions)
    except WorkbookRejected as rejected:
        return _rejected(request, inspection, rejected, WorkbookForm())
    except ImportConflicts as conflicts:
        context = {
            "inspection": inspection,
            "conflicts": conflicts.conflicts,
            "message": conflicts.message,
            "edits": signing.dumps(edits.as_data(), salt=_salt(request, inspection), compress=True),
            "dry_run": dry_run,
            "again": again,
            "section": "rounds",
        }
        return render(request, "reports/conflicts.html", context, status=409)
    messages.success(request, result.summary())
    return redirect(reverse("reports:page", args=[inspection.pk]) + "#ledger")


def _rejected(request: HttpRequest, inspection, rejected: WorkbookRejected, form: WorkbookForm) -> HttpResponse:
    errors = [rejected.message, *rejected.errors]
    return render_page(request, inspection, status=400, workbook_form=form, import_errors=errors)


@page
@require_http_methods(["GET", "POST"])
@accepts_upload("xlsx")
def feedback_import(request: HttpRequest) -> HttpResponse:
    """A feedback list in Excel as a new inspection (the inspection office imports, as for reports)."""
    require_ledger(request.user, Action.IMPORT)
    form = FeedbackListForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            inspection = import_feedback_list(
                upload.read(),
                name=upload.name,
                round=form.cleaned_data["round"],
                unit=form.cleaned_data["unit"],
                actor=request.user,
                team=form.cleaned_data["team"] or None,
            )
        except WorkbookRejected as rejected:
            errors = [rejected.message, *rejected.errors]
        except LedgerError as error:
            errors = [error.message]
        else:
            messages.success(request, "已导入反馈问题清单,请在台账中分配责任、制定整改措施")
            return redirect("web:inspection", inspection.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "reports/feedback.html", {"form": form, "errors": errors, "section": "import"}, status=status
    )
