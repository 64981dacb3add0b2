"""Users and their roles, managed by the inspection office; `/me` for everyone."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from zhenggai.api.schemas import Id, Input, Paging, page
from zhenggai.api.scopes import get_or_404
from zhenggai.ledger.access import Action, require, role_of
from zhenggai.ledger.services import users as service
from zhenggai.org.models import InspectionTeam, Role, Unit, User

router = Router(tags=["users"])


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    role: str
    role_label: str
    unit_id: int | None
    team_id: int | None
    is_active: bool


class UserPage(Schema):
    count: int
    items: list[UserOut]


class UserFilters(Input):
    role: str | None = None
    unit: Id | None = None
    team: Id | None = None
    active: bool | None = None


class UserIn(Input):
    username: str
    password: str
    role: str
    display_name: str = ""
    email: str = ""
    unit_id: Id | None = None
    team_id: Id | None = None


class RoleIn(Input):
    role: str
    unit_id: Id | None = None
    team_id: Id | None = None


class PasswordIn(Input):
    password: str


def user_out(user: User) -> dict[str, Any]:
    role = role_of(user) if user.is_active else (Role(user.role) if user.role else None)
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "role": role.value if role else "",
        "role_label": role.label if role else "无角色",
        "unit_id": user.unit_id,
        "team_id": user.team_id,
        "is_active": user.is_active,
    }


def _unit_and_team(unit_id: int | None, team_id: int | None) -> tuple[Unit | None, InspectionTeam | None]:
    unit = get_or_404(Unit.objects.all(), unit_id) if unit_id is not None else None
    team = get_or_404(InspectionTeam.objects.all(), team_id) if team_id is not None else None
    return unit, team


@router.get("/me", response=UserOut, summary="当前用户及其角色")
def me(request: HttpRequest):
    return user_out(request.auth)


@router.get("/users", response=UserPage, summary="用户列表(巡察办)")
def list_users(request: HttpRequest, filters: Query[UserFilters], paging: Query[Paging]):
    require(request.auth, Action.MANAGE_USERS)
    qs = User.objects.order_by("username")
    conditions = {"role": filters.role, "unit_id": filters.unit, "team_id": filters.team, "is_active": filters.active}
    qs = qs.filter(**{k: v for k, v in conditions.items() if v is not None})
    count, rows = page(qs, paging)
    return {"count": count, "items": [user_out(u) for u in rows]}


@router.post("/users", response={201: UserOut}, summary="新建用户(巡察办)")
def create_user(request: HttpRequest, body: UserIn):
    require(request.auth, Action.MANAGE_USERS)
    unit, team = _unit_and_team(body.unit_id, body.team_id)
    user = service.create_user(
        actor=request.auth,
        username=body.username,
        password=body.password,
        role=body.role,
        display_name=body.display_name,
        email=body.email,
        unit=unit,
        team=team,
    )
    return Status(201, user_out(user))


@router.put("/users/{user_id}/role", response=UserOut, summary="设置角色及所在单位、巡察组(巡察办)")
def set_role(request: HttpRequest, user_id: Id, body: RoleIn):
    require(request.auth, Action.MANAGE_USERS)
    user = get_or_404(User.objects.all(), user_id)
    unit, team = _unit_and_team(body.unit_id, body.team_id)
    return user_out(service.set_role(user, actor=request.auth, role=body.role, unit=unit, team=team))


@router.post("/users/{user_id}/password", response={204: None}, summary="重置密码(巡察办)")
def set_password(request: HttpRequest, user_id: Id, body: PasswordIn):
    require(request.auth, Action.MANAGE_USERS)
    service.set_password(get_or_404(User.objects.all(), user_id), actor=request.auth, password=body.password)
    return Status(204, None)


@router.post("/users/{user_id}/deactivate", response=UserOut, summary="停用用户(巡察办)")
def deactivate(request: HttpRequest, user_id: Id):
    require(request.auth, Action.MANAGE_USERS)
    return user_out(service.deactivate(get_or_404(User.objects.all(), user_id), actor=request.auth))


@router.post("/users/{user_id}/reactivate", response=UserOut, summary="恢复已停用的用户(巡察办)")
def reactivate(request: HttpRequest, user_id: Id):
    require(request.auth, Action.MANAGE_USERS)
    return user_out(service.reactivate(get_or_404(User.objects.all(), user_id), actor=request.auth))
