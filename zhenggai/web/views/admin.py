"""Administration (巡察办 only): users and their roles, units, teams, committees with their calendar, rounds.

Every page asks `access.require(MANAGE_USERS)` first; the services check again and write the history.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhenggai.ledger.access import Action, require
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.models import Round
from zhenggai.ledger.services import rounds as round_services
from zhenggai.ledger.services import users as user_services
from zhenggai.org.models import Committee, InspectionTeam, Unit, User
from zhenggai.params import clean_text, read_query
from zhenggai.web.forms.manage import (
    CalendarForm,
    CommitteeForm,
    PasswordForm,
    RoleForm,
    RoundForm,
    TeamForm,
    UnitForm,
    UserCreateForm,
)
from zhenggai.web.views.common import first_error, page

USERS_PER_PAGE = 50


def _office(request: HttpRequest) -> None:
    require(request.user, Action.MANAGE_USERS)


def _add_errors(form, error: LedgerError) -> None:
    for name, problems in first_error(error).items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


def _list_and_create(
    request: HttpRequest,
    *,
    template: str,
    form_class: type,
    create: Callable[[dict], object],
    success: Callable[[object], str],
    context: dict,
    initial: dict | None = None,
) -> HttpResponse:
    """A list page with a creation form below it: POST creates through `create` and comes back to the list."""
    _office(request)
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created = create(form.cleaned_data)
        except LedgerError as error:
            _add_errors(form, error)
        else:
            messages.success(request, success(created))
            return redirect(request.path)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form, **context}, status=status)


@page
@require_http_methods(["GET", "POST"])
def users(request: HttpRequest) -> HttpResponse:
    _office(request)
    query = read_query(request).text("q")
    people = User.objects.select_related("unit", "team").order_by("-is_active", "role", "username")
    if query:
        people = people.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    page_obj = Paginator(people, USERS_PER_PAGE).get_page(request.GET.get("page"))

    def create(data: dict) -> User:
        return user_services.create_user(
            actor=request.user,
            username=data["username"],
            password=data["password"],
            role=data["role"],
            display_name=data["display_name"],
            unit=data["unit"],
            team=data["team"],
            email=data["email"],
        )

    return _list_and_create(
        request,
        template="web/manage/users.html",
        form_class=UserCreateForm,
        create=create,
        success=lambda user: f"已创建用户“{user}”",
        context={"page_obj": page_obj, "q": query},
    )


def _user(pk: int) -> User:
    return get_object_or_404(User.objects.select_related("unit", "team"), pk=pk)


def _render_user(request: HttpRequest, person: User, *, role_form=None, password_form=None, status=200) -> HttpResponse:
    context = {
        "person": person,
        "role_form": role_form
        or RoleForm(initial={"role": person.role, "unit": person.unit_id, "team": person.team_id}),
        "password_form": password_form or PasswordForm(),
    }
    return render(request, "web/manage/user.html", context, status=status)


@page
@require_GET
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    return _render_user(request, _user(pk))


@page
@require_POST
def user_role(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    person = _user(pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user_services.set_role(person, actor=request.user, role=data["role"], unit=data["unit"], team=data["team"])
        except LedgerError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"已修改“{person}”的角色")
            return redirect("web:manage_user", pk=person.pk)
    return _render_user(request, person, role_form=form, status=400)


@page
@require_POST
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    person = _user(pk)
    form = PasswordForm(request.POST)
    if form.is_valid():
        try:
            user_services.set_password(person, actor=request.user, password=form.cleaned_data["password"])
        except LedgerError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"已重置“{person}”的密码")
            return redirect("web:manage_user", pk=person.pk)
    return _render_user(request, person, password_form=form, status=400)


@page
@require_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    person = _user(pk)
    try:
        user_services.deactivate(person, actor=request.user)
    except LedgerError as error:
        messages.error(request, error.message)
        return _render_user(request, person, status=400)
    messages.success(request, f"已停用“{person}”")
    return redirect("web:manage_user", pk=person.pk)


@page
@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    person = _user(pk)
    user_services.reactivate(person, actor=request.user)
    messages.success(request, f"已恢复“{person}”的账号")
    return redirect("web:manage_user", pk=person.pk)


# What a rename page works on: the model, the service that renames it, the list to come back to.
_RENAMES = {
    "unit": (Unit, user_services.rename_unit, "web:manage_units"),
    "team": (InspectionTeam, user_services.rename_team, "web:manage_teams"),
}


@page
@require_POST
def rename(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Rename a unit or a team; the list page says what happened (or what was wrong)."""
    _office(request)
    model, service, back = _RENAMES[kind]
    obj = get_object_or_404(model, pk=pk)
    try:
        renamed = service(obj, actor=request.user, name=clean_text(request.POST.get("name"), 1000))
    except LedgerError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已改名为“{renamed}”")
    return redirect(back)


@page
@require_http_methods(["GET", "POST"])
def units(request: HttpRequest) -> HttpResponse:
    _office(request)
    rows = (
        Unit.objects.select_related("committee")
        .annotate(n_inspections=Count("inspections"))
        .order_by("committee__name", "name")
    )
    return _list_and_create(
        request,
        template="web/manage/units.html",
        form_class=UnitForm,
        create=lambda d: user_services.create_unit(
            actor=request.user, committee=d["committee"], name=d["name"], kind=d["kind"]
        ),
        success=lambda unit: f"已添加单位“{unit}”",
        context={"rows": rows},
    )


@page
@require_http_methods(["GET", "POST"])
def teams(request: HttpRequest) -> HttpResponse:
    _office(request)
    rows = (
        InspectionTeam.objects.select_related("committee")
        .annotate(n_members=Count("members"))
        .order_by("committee__name", "name")
    )
    return _list_and_create(
        request,
        template="web/manage/teams.html",
        form_class=TeamForm,
        create=lambda d: user_services.create_team(actor=request.user, committee=d["committee"], name=d["name"]),
        success=lambda team: f"已添加巡察组“{team}”",
        context={"rows": rows},
    )


@page
@require_http_methods(["GET", "POST"])
def committees(request: HttpRequest) -> HttpResponse:
    _office(request)

    def create(data: dict) -> Committee:
        calendar = {name: data[name] for name in round_services.CALENDAR_FIELDS}
        return round_services.create_committee(actor=request.user, name=data["name"], level=data["level"], **calendar)

    return _list_and_create(
        request,
        template="web/manage/committees.html",
        form_class=CommitteeForm,
        create=create,
        success=lambda committee: f"已添加党委“{committee}”",
        context={"rows": Committee.objects.all()},
        initial=dict(settings.ZHENGGAI_CALENDAR_DEFAULTS),
    )


@page
@require_http_methods(["GET", "POST"])
def committee(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    item = get_object_or_404(Committee, pk=pk)
    initial = {name: getattr(item, name) for name in round_services.CALENDAR_FIELDS}
    form = CalendarForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            round_services.set_calendar(item, actor=request.user, **form.calendar())
        except LedgerError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"已保存“{item}”的整改时限规则")
            return redirect("web:manage_committee", pk=item.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "web/manage/committee.html", {"committee": item, "form": form}, status=status)


@page
@require_http_methods(["GET", "POST"])
def rounds(request: HttpRequest) -> HttpResponse:
    _office(request)
    rows = Round.objects.select_related("committee").annotate(n_inspections=Count("inspections"))
    first = Committee.objects.first()
    return _list_and_create(
        request,
        template="web/manage/rounds.html",
        form_class=RoundForm,
        create=lambda d: round_services.create_round(
            actor=request.user, committee=d["committee"], name=d["name"], year=d["year"], number=d["number"]
        ),
        success=lambda round_: f"已添加轮次“{round_}”",
        context={"rows": rows},
        initial={"year": date.today().year, "committee": first.pk if first else None},
    )
