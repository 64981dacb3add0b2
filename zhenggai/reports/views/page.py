"""The reports page of an inspection (/inspections/<id>/reports/), its downloads and the Excel ledger:
export, import of the edited workbook, and a feedback list imported as a new inspection."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhenggai.ledger.access import Action
from zhenggai.ledger.access import require as require_ledger
from zhenggai.ledger.errors import LedgerError
from zhenggai.outputs import ReportKind, Version
from zhenggai.outputs.errors import OutputError, PdfUnavailable, WorkbookRejected
from zhenggai.params import read_query
from zhenggai.reports.forms import FeedbackListForm, WorkbookForm
from zhenggai.reports.models import ReportDraft
from zhenggai.reports.permissions import ReportAction, require
from zhenggai.reports.render import REPORT_FORMATS, render_report, render_workbook
from zhenggai.reports.views.common import attachment, get_inspection, render_page
from zhenggai.reports.xlsx_import import import_feedback_list, import_workbook
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
def ledger_import(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection(request, pk)
    require(request.user, ReportAction.IMPORT_WORKBOOK, inspection)
    form = WorkbookForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_page(request, inspection, status=400, workbook_form=form)
    try:
        result = import_workbook(
            inspection, form.cleaned_data["file"].read(), actor=request.user, dry_run=form.cleaned_data["dry_run"]
        )
    except WorkbookRejected as rejected:
        return render_page(
            request, inspection, status=400, workbook_form=form, import_errors=[rejected.message, *rejected.errors]
        )
    messages.success(request, result.summary())
    return redirect(reverse("reports:page", args=[inspection.pk]) + "#ledger")


@page
@require_http_methods(["GET", "POST"])
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
