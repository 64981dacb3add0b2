"""Closure (销号) from the task page: the unit asks, the inspection office accepts, returns or reopens."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from zhenggai.ledger.access import Action, require
from zhenggai.ledger.errors import InvalidTransition, LedgerError, StaleEdit
from zhenggai.ledger.services.closure import accept_closure, reopen, request_closure, return_closure
from zhenggai.web.forms.task import ClosureRequestForm, ReasonForm, VersionedForm
from zhenggai.web.views.common import page
from zhenggai.web.views.task import add_errors, done, get_task, render_task


def _failed(request, task, form_name: str, form, error: LedgerError) -> HttpResponse:
    if isinstance(error, StaleEdit):
        task.refresh_from_db()
        form.add_error(None, error.message)
        return render_task(request, task, status=409, **{form_name: form})
    if isinstance(error, InvalidTransition):
        # The task moved on (someone decided first, or it was never asked): the form may not be shown.
        messages.error(request, error.message)
        return render_task(request, task, status=400)
    add_errors(form, error)
    return render_task(request, task, status=400, **{form_name: form})


@page
@require_POST
def ask(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task(request, pk)
    require(request.user, Action.REQUEST_CLOSURE, task)
    form = ClosureRequestForm(request.POST, task=task)
    if not form.is_valid():
        return render_task(request, task, status=400, request_form=form)
    data = form.cleaned_data
    try:
        request_closure(
            task,
            actor=request.user,
            note=data["note"],
            evidence=list(data["evidence"]),
            expected_version=data["version"],
        )
    except LedgerError as error:
        return _failed(request, task, "request_form", form, error)
    return done(request, task, "已提交销号申请，等待巡察办审核", "#closure")


@page
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task(request, pk)
    require(request.user, Action.DECIDE_CLOSURE, task)
    form = VersionedForm(request.POST)
    if not form.is_valid():
        return render_task(request, task, status=400, accept_form=form)
    try:
        accept_closure(task, actor=request.user, expected_version=form.cleaned_data["version"])
    except LedgerError as error:
        return _failed(request, task, "accept_form", form, error)
    return done(request, task, "已同意销号", "#closure")


@page
@require_POST
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task(request, pk)
    require(request.user, Action.DECIDE_CLOSURE, task)
    form = ReasonForm(request.POST, prefix="return")
    if not form.is_valid():
        return render_task(request, task, status=400, return_form=form)
    data = form.cleaned_data
    try:
        return_closure(task, actor=request.user, reason=data["reason"], expected_version=data["version"])
    except LedgerError as error:
        return _failed(request, task, "return_form", form, error)
    return done(request, task, "已退回销号申请", "#closure")


@page
@require_POST
def reopen_task(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task(request, pk)
    require(request.user, Action.DECIDE_CLOSURE, task)
    form = ReasonForm(request.POST, prefix="reopen")
    if not form.is_valid():
        return render_task(request, task, status=400, reopen_form=form)
    data = form.cleaned_data
    try:
        reopen(task, actor=request.user, reason=data["reason"], expected_version=data["version"])
    except LedgerError as error:
        return _failed(request, task, "reopen_form", form, error)
    return done(request, task, "已重新打开该任务", "#closure")
