"""Exemptions from publication: the unit's office proposes (or withdraws), the inspection office decides."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.models import Finding, Task
from zhenggai.reports import exemptions as exemption_service
from zhenggai.reports.forms import DecisionForm, ExemptionForm
from zhenggai.reports.models import ReportDraft
from zhenggai.reports.permissions import ReportAction, require
from zhenggai.reports.views.common import get_exemption, get_inspection, render_page
from zhenggai.web.views.common import page


@page
@require_POST
def exemption_propose(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection(request, pk)
    require(request.user, ReportAction.PROPOSE_EXEMPTION, inspection)
    form = ExemptionForm(request.POST, inspection=inspection)
    if not form.is_valid():
        return render_page(request, inspection, status=400, exemption_form=form)
    kind, _, target = form.cleaned_data["target"].partition(":")
    finding = Finding.objects.get(pk=target, inspection=inspection) if kind == "finding" else None
    task = Task.objects.get(pk=target, finding__inspection=inspection) if kind == "task" else None
    try:
        exemption_service.propose_exemption(
            inspection,
            actor=request.user,
            ground=form.cleaned_data["ground"],
            reason=form.cleaned_data["reason"],
            finding=finding,
            task=task,
        )
    except LedgerError as error:
        form.add_error(None, error.message)
        return render_page(request, inspection, status=400, exemption_form=form)
    messages.success(request, "已提出不予公开申请,待巡察办审核")
    return redirect(reverse("reports:page", args=[inspection.pk]) + "#exemptions")


@page
@require_POST
def exemption_decide(request: HttpRequest, pk: int) -> HttpResponse:
    exemption = get_exemption(request, pk)
    require(request.user, ReportAction.DECIDE_EXEMPTION, exemption.inspection)
    form = DecisionForm(request.POST)
    back = reverse("reports:page", args=[exemption.inspection_id]) + "#exemptions"
    if form.is_valid():
        draft = ReportDraft.objects.filter(pk=form.cleaned_data["draft"], inspection=exemption.inspection_id).first()
        if draft is not None:
            back = reverse("reports:draft", args=[draft.pk]) + "#exemptions"
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
    return redirect(back)


@page
@require_POST
def exemption_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    exemption = get_exemption(request, pk)
    require(request.user, ReportAction.PROPOSE_EXEMPTION, exemption.inspection)
    try:
        exemption_service.withdraw_exemption(exemption, actor=request.user)
    except LedgerError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已撤回不予公开申请")
    return redirect(reverse("reports:page", args=[exemption.inspection_id]) + "#exemptions")
