"""The reports page of an inspection (/inspections/<id>/reports/): drafts, exemptions, downloads and the
Excel import. Views are thin: they check through `permissions`, call one service, and show the result."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhenggai.ledger.access import Action, inspections_for
from zhenggai.ledger.access import require as require_ledger
from zhenggai.ledger.errors import LedgerError, StaleEdit
from zhenggai.ledger.models import Event, Finding, Inspection, Task
from zhenggai.outputs import ReportKind, Version, wording_defaults
from zhenggai.outputs.errors import OutputError, PdfUnavailable, WorkbookRejected
from zhenggai.outputs.pdf import soffice
from zhenggai.outputs.plain import to_text
from zhenggai.reports import drafts as draft_service
from zhenggai.reports import exemptions as exemption_service
from zhenggai.reports.forms import (
    DecisionForm,
    DraftCreateForm,
    DraftForm,
    ExemptionForm,
    FeedbackListForm,
    WorkbookForm,
)
from zhenggai.reports.gather import report_inputs
from zhenggai.reports.models import Exemption, ReportDraft
from zhenggai.reports.permissions import ReportAction, may, require
from zhenggai.reports.render import REPORT_FORMATS, compose_report, render_report, render_workbook
from zhenggai.reports.xlsx_import import import_feedback_list, import_workbook
from zhenggai.web.views.common import error_page, page, today, visible_or_404

FORMAT_LABELS = {"docx": "Word", "pdf": "PDF", "html": "网页", "txt": "文本"}


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    scoped = inspections_for(request.user).select_related("round__committee", "unit")
    return visible_or_404(request.user, scoped, pk)


def _draft(request: HttpRequest, pk: int) -> ReportDraft:
    scoped = ReportDraft.objects.filter(inspection__in=inspections_for(request.user)).select_related("inspection__unit")
    return visible_or_404(request.user, scoped, pk)


def _exemption(request: HttpRequest, pk: int) -> Exemption:
    scoped = Exemption.objects.filter(inspection__in=inspections_for(request.user)).select_related("inspection")
    return visible_or_404(request.user, scoped, pk)


def _flags(user, inspection: Inspection) -> dict[str, bool]:
    return {
        "may_edit": may(user, ReportAction.EDIT, inspection),
        "may_approve": may(user, ReportAction.APPROVE, inspection),
        "may_propose": may(user, ReportAction.PROPOSE_EXEMPTION, inspection),
        "may_decide": may(user, ReportAction.DECIDE_EXEMPTION, inspection),
        "may_import": may(user, ReportAction.IMPORT_WORKBOOK, inspection),
    }


def _downloads(inspection: Inspection, draft: ReportDraft | None = None) -> list[dict]:
    base = reverse("reports:download", args=[inspection.pk])
    rows = []
    kinds = [ReportKind(draft.kind)] if draft else list(ReportKind)
    for kind in kinds:
        for version in (Version.PUBLIC, Version.FULL):
            query = f"kind={kind.value}&version={version.value}" + (f"&draft={draft.pk}" if draft else "")
            links = [{"label": FORMAT_LABELS[f], "href": f"{base}?fmt={f}&{query}"} for f in REPORT_FORMATS]
            rows.append({"kind": kind.label, "version": version.label, "links": links})
    return rows


def _render_page(request, inspection, *, status=200, **forms) -> HttpResponse:
    exemptions = list(
        Exemption.objects.filter(inspection=inspection).select_related("finding", "task", "proposed_by", "decided_by")
    )
    flags = _flags(request.user, inspection)
    context = {
        "inspection": inspection,
        "drafts": ReportDraft.objects.filter(inspection=inspection).select_related("created_by", "approved_by"),
        "exemptions": exemptions,
        "pending": sum(1 for e in exemptions if e.state == Exemption.State.PROPOSED),
        "downloads": _downloads(inspection),
        "pdf_available": soffice() is not None,
        "create_form": forms.get("create_form") or DraftCreateForm(initial={"as_of": today()}),
        "exemption_form": forms.get("exemption_form")
        or (ExemptionForm(inspection=inspection) if flags["may_propose"] else None),
        "workbook_form": forms.get("workbook_form") or WorkbookForm(),
        "import_errors": forms.get("import_errors") or [],
        "section": "rounds",
        **flags,
    }
    return render(request, "reports/page.html", context, status=status)


@page
@require_GET
def reports_page(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    require(request.user, ReportAction.VIEW, inspection)
    return _render_page(request, inspection)


@page
@require_POST
def draft_create(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    require(request.user, ReportAction.EDIT, inspection)
    form = DraftCreateForm(request.POST)
    if not form.is_valid():
        return _render_page(request, inspection, status=400, create_form=form)
    draft = draft_service.create_draft(inspection, actor=request.user, **form.cleaned_data)
    messages.success(request, f"已新建{draft.get_kind_display()}稿")
    return redirect("reports:draft", draft.pk)


def _draft_parts(request, draft: ReportDraft):
    """The generated wording (for placeholders), the late tasks (for their reasons) and the preview."""
    kind = ReportKind(draft.kind)
    doc, _ = report_inputs(draft.inspection, actor=request.user, kind=kind, as_of=draft.as_of, draft=draft)
    composed, ctx = compose_report(
        draft.inspection, actor=request.user, kind=kind, version=Version.FULL, as_of=draft.as_of, draft=draft
    )
    late = [(item.ref, f"{item.measure[:30]}(逾期{item.days_late}天)", item.reason) for item in ctx.late]
    return wording_defaults(doc, kind), late, to_text(composed)


def _render_draft(request, draft: ReportDraft, form: DraftForm | None = None, status: int = 200) -> HttpResponse:
    inspection = draft.inspection
    defaults, late, preview = _draft_parts(request, draft)
    form = form or DraftForm(initial=DraftForm.initial_for(draft), defaults=defaults, late=late)
    events = Event.objects.filter(object_type="reportdraft", object_id=str(draft.pk)).select_related("actor")
    history = [(e.at, e.actor, _describe(e, form)) for e in events.order_by("-at", "-id")[:50]]
    context = {
        "draft": draft,
        "inspection": inspection,
        "form": form,
        "history": history,
        "downloads": _downloads(inspection, draft),
        "pdf_available": soffice() is not None,
        "preview": preview,
        "section": "rounds",
        **_flags(request.user, inspection),
    }
    return render(request, "reports/draft.html", context, status=status)


def _describe(event: Event, form: DraftForm) -> str:
    """One line of a draft's history in words: what happened and which sections changed."""
    after = event.after or {}
    if event.action == "report_drafted":
        return "新建报告稿"
    if event.action == "report_approved":
        return f"审定第{after.get('revision')}稿"
    if event.action == "report_exported":
        version = Version(after.get("version", "public")).label
        return f"下载{FORMAT_LABELS.get(after.get('format'), after.get('format'))}({version})"
    if event.action == "report_edited":
        labels = {**{name: field.label for name, field in form.fields.items()}, "late_reasons": "逾期原因"}
        before = event.before or {}
        changed = "、".join(str(label) for key, label in labels.items() if key in before)
        withdrawn = ",原审定随之撤销" if after.get("approval_withdrawn") else ""
        return f"修改为第{after.get('revision')}稿:{changed}{withdrawn}"
    return event.action


@page
def draft_page(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    if request.method != "POST":
        require(request.user, ReportAction.VIEW, draft.inspection)
        return _render_draft(request, draft)
    require(request.user, ReportAction.EDIT, draft.inspection)
    defaults, late, _ = _draft_parts(request, draft)
    form = DraftForm(request.POST, defaults=defaults, late=late)
    if not form.is_valid():
        return _render_draft(request, draft, form, status=400)
    data = form.cleaned_data
    try:
        draft_service.edit_draft(
            draft,
            actor=request.user,
            sections=form.sections(),
            as_of=data["as_of"],
            dated=data["dated"],
            expected_revision=data["revision"],
        )
    except LedgerError as error:
        form.add_error(None, error.message)
        return _render_draft(request, draft, form, status=409 if isinstance(error, StaleEdit) else 400)
    messages.success(request, f"已保存(第{draft.revision}稿)")
    return redirect("reports:draft", draft.pk)


@page
@require_POST
def draft_approve(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    require(request.user, ReportAction.APPROVE, draft.inspection)
    try:
        draft_service.approve_draft(draft, actor=request.user)
    except LedgerError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已审定第{draft.revision}稿")
    return redirect("reports:draft", draft.pk)


@page
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    require(request.user, ReportAction.VIEW, inspection)
    fmt = request.GET.get("fmt", "docx")
    kind = request.GET.get("kind", ReportKind.PUBLIC)
    version = request.GET.get("version", Version.PUBLIC)
    if (
        fmt not in REPORT_FORMATS
        or kind not in ReportKind.__members__.values()
        or version not in Version.__members__.values()
    ):
        return error_page(request, LedgerError("下载参数有误"), 400)
    draft = None
    if request.GET.get("draft"):
        draft = (
            ReportDraft.objects.filter(inspection=inspection, pk=request.GET["draft"]).first()
            if request.GET["draft"].isdigit()
            else None
        )
        if draft is None:
            return error_page(request, LedgerError("未找到该报告稿"), 404)
    as_of = _date(request.GET.get("as_of"))
    try:
        rendered = render_report(
            inspection, actor=request.user, fmt=fmt, kind=kind, version=version, as_of=as_of, draft=draft
        )
    except OutputError as error:
        return error_page(request, LedgerError(error.message), 503 if isinstance(error, PdfUnavailable) else 500)
    return _attachment(rendered)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _attachment(rendered) -> HttpResponse:
    response = HttpResponse(rendered.data, content_type=rendered.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(rendered.filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@page
@require_GET
def ledger_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    require(request.user, ReportAction.VIEW, inspection)
    return _attachment(render_workbook(inspection, actor=request.user))


@page
@require_POST
def ledger_import(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    require(request.user, ReportAction.IMPORT_WORKBOOK, inspection)
    form = WorkbookForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_page(request, inspection, status=400, workbook_form=form)
    try:
        result = import_workbook(
            inspection, form.cleaned_data["file"].read(), actor=request.user, dry_run=form.cleaned_data["dry_run"]
        )
    except WorkbookRejected as rejected:
        return _render_page(
            request, inspection, status=400, workbook_form=form, import_errors=[rejected.message, *rejected.errors]
        )
    messages.success(request, result.summary())
    return redirect(reverse("reports:page", args=[inspection.pk]) + "#ledger")


@page
@require_POST
def exemption_propose(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    require(request.user, ReportAction.PROPOSE_EXEMPTION, inspection)
    form = ExemptionForm(request.POST, inspection=inspection)
    if not form.is_valid():
        return _render_page(request, inspection, status=400, exemption_form=form)
    kind, _, target = form.cleaned_data["target"].partition(":")
    finding = Finding.objects.get(pk=target, inspection=inspection) if kind == "finding" else None
    task = Task.objects.get(pk=target, finding__inspection=inspection) if kind == "task" else None
    try:
        exemption_service.propose_exemption(
            inspection,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            finding=finding,
            task=task,
            note=form.cleaned_data["note"],
        )
    except LedgerError as error:
        form.add_error(None, error.message)
        return _render_page(request, inspection, status=400, exemption_form=form)
    messages.success(request, "已提出不予公开申请,待巡察办审核")
    return redirect(reverse("reports:page", args=[inspection.pk]) + "#exemptions")


@page
@require_POST
def exemption_decide(request: HttpRequest, pk: int) -> HttpResponse:
    exemption = _exemption(request, pk)
    require(request.user, ReportAction.DECIDE_EXEMPTION, exemption.inspection)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            exemption_service.decide_exemption(
                exemption,
                actor=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except LedgerError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"已审核:{exemption.get_state_display()}")
    else:
        messages.error(request, "审核意见有误")
    return redirect(reverse("reports:page", args=[exemption.inspection_id]) + "#exemptions")


@page
@require_POST
def exemption_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    exemption = _exemption(request, pk)
    require(request.user, ReportAction.PROPOSE_EXEMPTION, exemption.inspection)
    try:
        exemption_service.withdraw_exemption(exemption, actor=request.user)
    except LedgerError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已撤回不予公开申请")
    return redirect(reverse("reports:page", args=[exemption.inspection_id]) + "#exemptions")


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
