"""A report draft: create it, edit its wording (with the generated text as placeholders, the late tasks' reasons,
a preview and the history), approve it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhenggai.ledger.errors import LedgerError, StaleEdit
from zhenggai.ledger.models import Event
from zhenggai.outputs import ReportKind, Version, wording_defaults
from zhenggai.outputs.pdf import soffice
from zhenggai.outputs.plain import to_text
from zhenggai.reports import drafts as draft_service
from zhenggai.reports.exemptions import withheld_entries
from zhenggai.reports.forms import DraftCreateForm, DraftForm
from zhenggai.reports.gather import report_inputs
from zhenggai.reports.models import Exemption, ReportDraft
from zhenggai.reports.permissions import ReportAction, require
from zhenggai.reports.render import compose_report
from zhenggai.reports.views.common import FORMAT_LABELS, downloads, flags, get_draft, get_inspection, render_page
from zhenggai.web.views.common import page


@page
@require_POST
def draft_create(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection(request, pk)
    require(request.user, ReportAction.EDIT, inspection)
    form = DraftCreateForm(request.POST)
    if not form.is_valid():
        return render_page(request, inspection, status=400, create_form=form)
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


def _renderget_draft(request, draft: ReportDraft, form: DraftForm | None = None, status: int = 200) -> HttpResponse:
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
        "downloads": downloads(inspection, draft),
        "pdf_available": soffice() is not None,
        "preview": preview,
        "exemptions": withheld_entries(inspection),
        "section": "rounds",
        **flags(request.user, inspection),
    }
    return render(request, "reports/draft.html", context, status=status)


def _describe(event: Event, form: DraftForm) -> str:
    """One line of a draft's history in words: what happened and which sections changed."""
    after = event.after or {}
    if event.action == "report_drafted":
        return "新建报告稿"
    if event.action == "report_approved":
        held = after.get("exemptions") or []
        listed = "；".join(
            f"{e['label']} {e['title'][:30]}（{Exemption.Ground(e['ground']).label}：{e['reason']}）" for e in held
        )
        return f"审定第{after.get('revision')}稿" + (f"，同意不予公开{len(held)}项：{listed}" if held else "")
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
    draft = get_draft(request, pk)
    if request.method != "POST":
        require(request.user, ReportAction.VIEW, draft.inspection)
        return _renderget_draft(request, draft)
    require(request.user, ReportAction.EDIT, draft.inspection)
    defaults, late, _ = _draft_parts(request, draft)
    form = DraftForm(request.POST, defaults=defaults, late=late)
    if not form.is_valid():
        return _renderget_draft(request, draft, form, status=400)
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
        return _renderget_draft(request, draft, form, status=409 if isinstance(error, StaleEdit) else 400)
    messages.success(request, f"已保存(第{draft.revision}稿)")
    return redirect("reports:draft", draft.pk)


@page
@require_POST
def draft_approve(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft(request, pk)
    require(request.user, ReportAction.APPROVE, draft.inspection)
    try:
        draft_service.approve_draft(draft, actor=request.user)
    except LedgerError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已审定第{draft.revision}稿")
    return redirect("reports:draft", draft.pk)
