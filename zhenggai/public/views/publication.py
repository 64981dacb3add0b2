"""Staff pages of publishing: the overview, submitting the public version, the office's decision,
withdrawal. Each view reads the request, calls one service and shows the outcome."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhenggai.ledger.access import role_of
from zhenggai.ledger.errors import Forbidden, LedgerError
from zhenggai.ledger.models import Inspection
from zhenggai.public.access import (
    VIEWERS,
    PublicAction,
    can_publish,
    public_reports_for,
    publication_inspections,
    require_publish,
    revisions_for,
)
from zhenggai.public.models import PublicReport, Revision
from zhenggai.public.services.decide import approve, send_back
from zhenggai.public.services.exemptions import refuse_exemption
from zhenggai.public.services.submit import submit_public_version
from zhenggai.public.services.withdraw import withdraw
from zhenggai.public.staff_forms import ReasonForm, RefuseExemptionForm, SubmitForm, WithdrawForm
from zhenggai.web.views.common import first_error, page, visible_or_404


@page
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in VIEWERS:
        raise Forbidden()
    inspections = (
        publication_inspections(request.user)
        .select_related("unit", "round", "public_report")
        .order_by("-round__year", "round_id", "unit__name")
    )
    queue = revisions_for(request.user).filter(state=Revision.State.SUBMITTED).select_related("report__unit")
    return render(
        request,
        "public/staff/overview.html",
        {
            "page": Paginator(inspections, 50).get_page(request.GET.get("page")),
            "queue": queue.order_by("submitted_at"),
            "section": "publication",
        },
    )


def finding_choices(inspection: Inspection) -> list[tuple[str, str]]:
    """Every node of the findings tree as (path "0.2.1", indented label), in reading order."""
    children = defaultdict(list)
    for finding in inspection.findings.order_by("level", "position"):
        children[finding.parent_id].append(finding)
    choices: list[tuple[str, str]] = []

    def walk(parent, prefix):
        for index, node in enumerate(children[parent]):
            path = (*prefix, index)
            title = node.title if len(node.title) <= 60 else node.title[:60] + "…"
            choices.append((".".join(map(str, path)), "\u3000" * (len(path) - 1) + f"{node.label or ''} {title}"))
            walk(node.pk, path)

    walk(None, ())
    return choices


@page
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = visible_or_404(request.user, publication_inspections(request.user), pk)
    require_publish(request.user, PublicAction.SUBMIT, inspection)
    report = PublicReport.objects.filter(inspection=inspection).first()
    paths = finding_choices(inspection)
    if request.method == "POST":
        form = SubmitForm(request.POST, paths=paths)
        if form.is_valid():
            data = form.cleaned_data
            try:
                revision = submit_public_version(
                    inspection,
                    actor=request.user,
                    as_of=data["as_of"],
                    dated=data["dated"],
                    exempt=form.exempt_paths(),
                    correction_note=data["correction_note"],
                )
            except LedgerError as error:
                for field, errors in first_error(error).items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, "公开版已提交，等待巡察办审核")
                return redirect("publication:revision", pk=revision.pk)
        status = 400
    else:
        form, status = SubmitForm(initial={"as_of": timezone.localdate()}, paths=paths), 200
    context = {"inspection": inspection, "report": report, "form": form, "section": "publication"}
    return render(request, "public/staff/submit.html", context, status=status)


def _revision(request: HttpRequest, pk: int) -> Revision:
    return visible_or_404(request.user, revisions_for(request.user).select_related("report__inspection"), pk)


@page
@require_GET
def revision(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_revision(request, _revision(request, pk))


def _render_revision(request: HttpRequest, current: Revision, status: int = 200, **forms) -> HttpResponse:
    report = current.report
    decide = can_publish(request.user, PublicAction.DECIDE, report.inspection)
    covered = {tuple(entry.get("path") or ()) for entry in current.exemptions}
    labels = dict(finding_choices(report.inspection))
    unrequested = [
        labels.get(".".join(map(str, path)), "(已删除的问题)").strip()
        for path in current.exempt
        if tuple(path) not in covered
    ]
    context = {
        "unrequested": unrequested,
        "revision": current,
        "report": report,
        "others": report.revisions.exclude(pk=current.pk).order_by("-number"),
        "notices": report.notices.all(),
        "can_decide": decide and current.state == Revision.State.SUBMITTED,
        "can_withdraw": decide and report.state == PublicReport.State.PUBLISHED,
        "return_form": forms.get("return_form") or ReasonForm(),
        "refuse_errors": forms.get("refuse_errors") or {},
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "section": "publication",
    }
    return render(request, "public/staff/revision.html", context, status=status)


@page
@require_POST
def approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    current = _revision(request, pk)
    try:
        approve(current, actor=request.user)
    except Forbidden:
        raise
    except LedgerError as error:
        messages.error(request, error.message)
        return redirect("publication:revision", pk=pk)
    messages.success(request, "已同意发布，报告已在公开网站显示")
    return redirect("publication:revision", pk=pk)


@page
@require_POST
def return_view(request: HttpRequest, pk: int) -> HttpResponse:
    current = _revision(request, pk)
    require_publish(request.user, PublicAction.DECIDE, current.report.inspection)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            send_back(current, actor=request.user, reason=form.cleaned_data["reason"])
        except LedgerError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已退回")
            return redirect("publication:revision", pk=pk)
    return _render_revision(request, current, 400, return_form=form)


@page
@require_POST
def refuse_exemption_view(request: HttpRequest, pk: int, exemption: int) -> HttpResponse:
    """Refuse one exemption of a submitted version; the problem is back in the version shown below."""
    current = _revision(request, pk)
    require_publish(request.user, PublicAction.DECIDE, current.report.inspection)
    form = RefuseExemptionForm(request.POST)
    if form.is_valid():
        try:
            refuse_exemption(current, exemption, actor=request.user, note=form.cleaned_data["note"])
        except LedgerError as error:
            return _render_revision(request, current, 400, refuse_errors={exemption: error.message})
        messages.success(request, "已不同意该项不予公开，该问题已恢复到公开版中")
        return redirect("publication:revision", pk=pk)
    return _render_revision(request, current, 400, refuse_errors={exemption: "请填写不同意的意见"})


@page
@require_POST
def withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = visible_or_404(request.user, public_reports_for(request.user).select_related("inspection"), pk)
    require_publish(request.user, PublicAction.DECIDE, report.inspection)
    live = report.revisions.filter(live=True).first() or report.revisions.order_by("-number").first()
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            withdraw(report, actor=request.user, reason=form.cleaned_data["reason"])
        except LedgerError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已撤回，公开页面显示撤回说明")
            return redirect("publication:revision", pk=live.pk)
    return _render_revision(request, live, 400, withdraw_form=form)
