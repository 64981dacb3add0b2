"""What the reports pages share: scoped look-ups (404 outside the user's sight), the flags of what the
user may do, the download links, the page itself and file responses."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from zhenggai.ledger.access import inspections_for
from zhenggai.ledger.models import Inspection
from zhenggai.outputs import ReportKind, Version
from zhenggai.outputs.pdf import soffice
from zhenggai.reports.forms import DraftCreateForm, ExemptionForm, WorkbookForm
from zhenggai.reports.models import Exemption, ReportDraft
from zhenggai.reports.permissions import ReportAction, may
from zhenggai.reports.render import REPORT_FORMATS
from zhenggai.web.views.common import today, visible_or_404

FORMAT_LABELS = {"docx": "Word", "pdf": "PDF", "html": "网页", "txt": "文本"}


def get_inspection(request: HttpRequest, pk: int) -> Inspection:
    scoped = inspections_for(request.user).select_related("round__committee", "unit")
    return visible_or_404(request.user, scoped, pk)


def get_draft(request: HttpRequest, pk: int) -> ReportDraft:
    scoped = ReportDraft.objects.filter(inspection__in=inspections_for(request.user)).select_related("inspection__unit")
    return visible_or_404(request.user, scoped, pk)


def get_exemption(request: HttpRequest, pk: int) -> Exemption:
    scoped = Exemption.objects.filter(inspection__in=inspections_for(request.user)).select_related("inspection")
    return visible_or_404(request.user, scoped, pk)


def flags(user, inspection: Inspection) -> dict[str, bool]:
    return {
        "may_edit": may(user, ReportAction.EDIT, inspection),
        "may_approve": may(user, ReportAction.APPROVE, inspection),
        "may_propose": may(user, ReportAction.PROPOSE_EXEMPTION, inspection),
        "may_decide": may(user, ReportAction.DECIDE_EXEMPTION, inspection),
        "may_import": may(user, ReportAction.IMPORT_WORKBOOK, inspection),
    }


def downloads(inspection: Inspection, draft: ReportDraft | None = None) -> list[dict]:
    base = reverse("reports:download", args=[inspection.pk])
    rows = []
    kinds = [ReportKind(draft.kind)] if draft else list(ReportKind)
    for kind in kinds:
        for version in (Version.PUBLIC, Version.FULL):
            query = f"kind={kind.value}&version={version.value}" + (f"&draft={draft.pk}" if draft else "")
            links = [{"label": FORMAT_LABELS[f], "href": f"{base}?fmt={f}&{query}"} for f in REPORT_FORMATS]
            rows.append({"kind": kind.label, "version": version.label, "links": links})
    return rows


def render_page(request, inspection, *, status=200, **forms) -> HttpResponse:
    exemptions = list(
        Exemption.objects.filter(inspection=inspection).select_related("finding", "task", "proposed_by", "decided_by")
    )
    allowed = flags(request.user, inspection)
    context = {
        "inspection": inspection,
        "drafts": ReportDraft.objects.filter(inspection=inspection).select_related("created_by", "approved_by"),
        "exemptions": exemptions,
        "pending": sum(1 for e in exemptions if e.state == Exemption.State.PROPOSED),
        "downloads": downloads(inspection),
        "pdf_available": soffice() is not None,
        "create_form": forms.get("create_form") or DraftCreateForm(initial={"as_of": today()}),
        "exemption_form": forms.get("exemption_form")
        or (ExemptionForm(inspection=inspection) if allowed["may_propose"] else None),
        "workbook_form": forms.get("workbook_form") or WorkbookForm(),
        "import_errors": forms.get("import_errors") or [],
        "section": "rounds",
        **allowed,
    }
    return render(request, "reports/page.html", context, status=status)


def attachment(rendered) -> HttpResponse:
    response = HttpResponse(rendered.data, content_type=rendered.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(rendered.filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
