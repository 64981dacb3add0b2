"""The task page: measure, finding path, responsibility with its light, the assign form (optimistic
locking), status, progress notes, evidence (upload and access-checked download), closure and history."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhenggai.filetransfer import accepts_upload, evidence_response
from zhenggai.ledger import calendar
from zhenggai.ledger.access import Action, can, findings_for, require, tasks_for
from zhenggai.ledger.errors import LedgerError, StaleEdit
from zhenggai.ledger.models import Closure, ClosureRequest, Evidence, ProgressNote, Status, Task
from zhenggai.ledger.services.assign import assign_task
from zhenggai.ledger.services.findings import pin_status
from zhenggai.ledger.services.progress import add_evidence, add_note
from zhenggai.ledger.workflow import REQUESTABLE, transition
from zhenggai.params import identifier
from zhenggai.web.forms.task import (
    AssignForm,
    ClosureRequestForm,
    EvidenceForm,
    NoteForm,
    PinForm,
    ReasonForm,
    StatusForm,
    VersionedForm,
)
from zhenggai.web.history import describe, task_events
from zhenggai.web.tree import ancestors, task_light
from zhenggai.web.views.common import first_error, page, today, visible_or_404


def get_task(request: HttpRequest, pk: int) -> Task:
    scoped = tasks_for(request.user).select_related(
        "finding__inspection__round__committee", "finding__inspection__unit", "handler"
    )
    return visible_or_404(request.user, scoped, pk)


def add_errors(form, error: LedgerError) -> None:
    for name, problems in first_error(error).items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


def _default_deadline(task: Task):
    """A new deadline defaults to the end of concentrated rectification."""
    inspection = task.finding.inspection
    deadlines = calendar.deadlines_for(inspection.feedback_date, inspection.round.committee)
    return deadlines.concentrated_end if deadlines else None


def _assign_initial(task: Task) -> dict:
    return {
        "version": task.version,
        "responsible_leader": task.responsible_leader,
        "department": task.department,
        "handler": task.handler_id,
        "deadline": task.deadline or _default_deadline(task),
        "kind": task.kind or "",
    }


def render_task(
    request: HttpRequest, task: Task, *, status: int = 200, stale: StaleEdit | None = None, **forms
) -> HttpResponse:
    """The task page; `forms` replaces a blank form by the bound one that failed, so nothing typed is lost."""
    user, day = request.user, today()
    inspection = task.finding.inspection
    committee = inspection.round.committee
    version = {"version": task.version}
    requests = list(
        ClosureRequest.objects.filter(task=task)
        .select_related("requested_by", "decided_by")
        .prefetch_related("evidence")
    )
    pending = next((r for r in requests if not r.decision), None)
    context = {
        "task": task,
        "inspection": inspection,
        "path": ancestors(task.finding),
        "light": task_light(task, committee, day),
        "days": calendar.countdown(task.deadline, day) if task.deadline else None,
        "can_assign": can(user, Action.ASSIGN, task),
        "can_edit": can(user, Action.EDIT_TASK, task) and task.closure == Closure.OPEN,
        "can_progress": can(user, Action.ADD_PROGRESS, task),
        "can_request": can(user, Action.REQUEST_CLOSURE, task) and task.closure == Closure.OPEN,
        "requestable": task.status in REQUESTABLE,
        "can_decide": can(user, Action.DECIDE_CLOSURE, task),
        "can_pin": can(user, Action.PIN_STATUS, task.finding),
        "pin_form": forms.get("pin_form")
        or PinForm(initial={"status": task.finding.status if task.finding.status_pinned else ""}),
        "notes": ProgressNote.objects.filter(task=task).select_related("author"),
        "evidence": Evidence.objects.filter(task=task).select_related("uploaded_by"),
        "requests": requests,
        "pending": pending,
        "history": describe(list(task_events(task))),
        "stale": stale,
        "assign_form": forms.get("assign_form") or AssignForm(initial=_assign_initial(task), task=task),
        "status_form": forms.get("status_form") or StatusForm(initial=version, task=task),
        "note_form": forms.get("note_form") or NoteForm(),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "request_form": forms.get("request_form") or ClosureRequestForm(initial=version, task=task),
        "accept_form": forms.get("accept_form") or VersionedForm(initial=version),
        "return_form": forms.get("return_form") or ReasonForm(initial=version, prefix="return"),
        "reopen_form": forms.get("reopen_form") or ReasonForm(initial=version, prefix="reopen"),
    }
    return render(request, "web/task/page.html", context, status=status)


def done(request: HttpRequest, task: Task, message: str, anchor: str = "") -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("web:task", args=[task.pk]) + anchor)


@page
@require_GET
def task_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render_task(request, get_task(request, pk))


@page
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task(request, pk)
    require(request.user, Action.ASSIGN, task)
    form = AssignForm(request.POST, task=task)
    if not form.is_valid():
        return render_task(request, task, status=400, assign_form=form)
    data = form.cleaned_data
    try:
        assign_task(
            task,
            actor=request.user,
            expected_version=data["version"],
            responsible_leader=data["responsible_leader"],
            department=data["department"],
            handler=data["handler"],
            deadline=data["deadline"],
            kind=data["kind"] or None,
        )
    except StaleEdit as error:
        task.refresh_from_db()
        # Keep what the user typed and let a second submit apply it over the current version.
        resubmit = request.POST.copy()
        resubmit["version"] = str(task.version)
        form = AssignForm(resubmit, task=task)
        form.is_valid()
        return render_task(request, task, status=409, stale=error, assign_form=form)
    except LedgerError as error:
        add_errors(form, error)
        return render_task(request, task, status=400, assign_form=form)
    return done(request, task, "已保存责任分工", "#responsibility")


@page
@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task(request, pk)
    require(request.user, Action.EDIT_TASK, task)
    form = StatusForm(request.POST, task=task)
    if not form.is_valid():
        return render_task(request, task, status=400, status_form=form)
    try:
        transition(
            task,
            actor=request.user,
            to_status=form.cleaned_data["status"],
            expected_version=form.cleaned_data["version"],
        )
    except StaleEdit as error:
        task.refresh_from_db()
        form = StatusForm(request.POST, task=task)
        form.is_valid()
        form.add_error(None, error.message)
        return render_task(request, task, status=409, status_form=form)
    except LedgerError as error:
        add_errors(form, error)
        return render_task(request, task, status=400, status_form=form)
    return done(request, task, f"整改状态已改为“{Status(task.status).label}”", "#status")


@page
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a progress note; from htmx (my tasks, task page) answers with the note list fragment."""
    task = get_task(request, pk)
    require(request.user, Action.ADD_PROGRESS, task)
    form = NoteForm(request.POST)
    saved = None
    if form.is_valid():
        try:
            saved = add_note(task, actor=request.user, text=form.cleaned_data["text"])
        except LedgerError as error:
            add_errors(form, error)
    if request.htmx:
        notes = ProgressNote.objects.filter(task=task).select_related("author")
        context = {
            "task": task,
            "note_form": NoteForm() if saved else form,
            "notes": notes,
            "saved": saved,
            "can_progress": True,
            "compact": request.POST.get("compact") == "1",
        }
        return render(request, "web/task/_notes.html", context, status=200 if saved or form.is_valid() else 400)
    if saved is None:
        return render_task(request, task, status=400, note_form=form)
    return done(request, task, "已记录进展", "#notes")


@page
@require_POST
@accepts_upload("evidence")
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task(request, pk)
    require(request.user, Action.ADD_PROGRESS, task)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            add_evidence(task, actor=request.user, file=upload, name=upload.name)
        except LedgerError as error:
            form.add_error("file", error.message)
        else:
            return done(request, task, f"已上传佐证材料“{PurePath(upload.name).name}”", "#evidence")
    return render_task(request, task, status=400, evidence_form=form)


@page
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence only ever leaves through here, after the same scope check as its task."""
    scoped = Evidence.objects.filter(task__in=tasks_for(request.user).values("pk"))
    item = visible_or_404(request.user, scoped, pk)
    try:
        return evidence_response(item)
    except FileNotFoundError:
        raise Http404 from None


@page
@require_POST
def pin(request: HttpRequest, pk: int) -> HttpResponse:
    """Pin a specific problem's status (or unpin it); answers on the page of the task it came from."""
    finding = visible_or_404(request.user, findings_for(request.user), pk)
    require(request.user, Action.PIN_STATUS, finding)
    form = PinForm(request.POST)
    task = tasks_for(request.user).filter(finding=finding, pk=identifier(request.POST.get("task")) or 0).first()
    if form.is_valid():
        pin_status(finding, actor=request.user, status=form.cleaned_data["status"] or None)
        message = "已人工认定问题状态" if form.cleaned_data["status"] else "问题状态已恢复随任务自动计算"
        messages.success(request, message)
    if task is None:
        return redirect(reverse("web:inspection", args=[finding.inspection_id]) + "#tree")
    if not form.is_valid():
        return render_task(request, get_task(request, task.pk), status=400, pin_form=form)
    return redirect(reverse("web:task", args=[task.pk]) + "#finding-status")
