"""Staff pages of opinion handling: the list (scoped by role), one opinion, and its three steps."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhenggai.ledger.errors import Forbidden, LedgerError
from zhenggai.params import read_query
from zhenggai.public.access import (
    PublicAction,
    can_handle,
    can_see_contact,
    handlers_for,
    opinions_for,
    require_handle,
)
from zhenggai.public.models import Opinion
from zhenggai.public.protect.receipt import display
from zhenggai.public.services.handle import assign, close, reply
from zhenggai.public.staff_forms import AssignForm, ReplyForm
from zhenggai.web.views.common import first_error, page, visible_or_404


@page
@require_GET
def opinion_list(request: HttpRequest) -> HttpResponse:
    opinions = opinions_for(request.user).select_related("report", "unit", "handler")
    state = read_query(request).choice("state", "办理状态", ["open", "all", *Opinion.State.values], default="open")
    if state == "open":
        opinions = opinions.exclude(state=Opinion.State.CLOSED)
    elif state in Opinion.State.values:
        opinions = opinions.filter(state=state)
    page_obj = Paginator(opinions.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "state": state, "states": Opinion.State.choices, "section": "opinions"}
    return render(request, "public/staff/opinions.html", context)


def _opinion(request: HttpRequest, pk: int) -> Opinion:
    return visible_or_404(request.user, opinions_for(request.user).select_related("report", "unit", "handler"), pk)


def _render(request: HttpRequest, opinion: Opinion, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    context = {
        "opinion": opinion,
        "receipt": display(opinion.receipt),
        "show_contact": can_see_contact(user, opinion),
        "can_assign": can_handle(user, PublicAction.ASSIGN, opinion) and opinion.is_open,
        "can_reply": can_handle(user, PublicAction.REPLY, opinion) and opinion.is_open,
        "can_close": can_handle(user, PublicAction.CLOSE, opinion) and opinion.state == Opinion.State.REPLIED,
        "assign_form": forms.get("assign_form") or AssignForm(handlers=handlers_for(opinion)),
        "reply_form": forms.get("reply_form") or ReplyForm(initial={"reply": opinion.reply}),
        "section": "opinions",
    }
    return render(request, "public/staff/opinion.html", context, status=status)


@page
@require_GET
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _opinion(request, pk))


def _act(request, opinion, form, name: str, action, done: str) -> HttpResponse:
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except Forbidden:
            raise
        except LedgerError as error:
            for field, errors in first_error(error).items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, done)
            return redirect("publication:opinion", pk=opinion.pk)
    return _render(request, opinion, 400, **{name: form})


@page
@require_POST
def assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _opinion(request, pk)
    require_handle(request.user, PublicAction.ASSIGN, opinion)
    form = AssignForm(request.POST, handlers=handlers_for(opinion))
    act = lambda data: assign(opinion, actor=request.user, handler=data["handler"])  # noqa: E731
    return _act(request, opinion, form, "assign_form", act, "已指定承办人")


@page
@require_POST
def reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _opinion(request, pk)
    require_handle(request.user, PublicAction.REPLY, opinion)
    form = ReplyForm(request.POST)
    act = lambda data: reply(opinion, actor=request.user, text=data["reply"])  # noqa: E731
    return _act(request, opinion, form, "reply_form", act, "已答复，群众可凭回执编号查看")


@page
@require_POST
def close_view(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _opinion(request, pk)
    require_handle(request.user, PublicAction.CLOSE, opinion)
    try:
        close(opinion, actor=request.user)
    except Forbidden:
        raise
    except LedgerError as error:
        messages.error(request, error.message)
        return redirect("publication:opinion", pk=pk)
    messages.success(request, "已办结")
    return redirect("publication:opinion", pk=pk)
