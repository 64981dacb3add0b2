"""Users, units and teams, managed by the inspection office. Passwords never enter the history."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from zhenggai.api.models import EndReason
from zhenggai.api.tokens import end_tokens
from zhenggai.ledger.access import Action, require
from zhenggai.ledger.concurrency import retrying
from zhenggai.ledger.errors import ValidationFailed
from zhenggai.ledger.history import record, snapshot
from zhenggai.org.models import UNIT_ROLES, Committee, InspectionTeam, Role, Unit, User

USER_FIELDS = ("username", "display_name", "role", "unit", "team", "is_active")


def _check_role(role: str, unit: Unit | None, team: InspectionTeam | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = ["未知的角色"]
    elif role in UNIT_ROLES and unit is None:
        errors["unit"] = ["整改办和责任人须选择所在单位"]
    elif role == Role.TEAM and team is None:
        errors["team"] = ["巡察组成员须选择巡察组"]
    return errors


def _check_password(password: str, user: User) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return list(error.messages)
    return []


@retrying
def create_user(
    *,
    actor: Any,
    username: str,
    password: str,
    role: Role | str,
    display_name: str = "",
    unit: Unit | None = None,
    team: InspectionTeam | None = None,
    email: str = "",
) -> User:
    """A new user with a role; unit only for unit roles, team only for team members."""
    require(actor, Action.MANAGE_USERS)
    username = (username or "").strip()
    errors = _check_role(role, unit, team)
    if not username or len(username) > 150:
        errors["username"] = ["请填写用户名"]
    elif User.objects.filter(username=username).exists():
        errors["username"] = ["该用户名已被使用"]
    user = User(
        username=username,
        display_name=(display_name or "").strip()[:50],
        email=email,
        role=role,
        unit=unit if role in UNIT_ROLES else None,
        team=team if role == Role.TEAM else None,
    )
    problems = _check_password(password, user)
    if problems:
        errors["password"] = problems
    if errors:
        raise ValidationFailed("；".join(m for ms in errors.values() for m in ms), errors=errors)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        record(actor=actor, action="user_created", obj=user, object_type="user", after=snapshot(user, USER_FIELDS))
    return user


@retrying
def set_role(
    user: User, *, actor: Any, role: Role | str, unit: Unit | None = None, team: InspectionTeam | None = None
) -> User:
    require(actor, Action.MANAGE_USERS)
    errors = _check_role(role, unit, team)
    if errors:
        raise ValidationFailed("；".join(m for ms in errors.values() for m in ms), errors=errors)
    with transaction.atomic():
        before = snapshot(user, USER_FIELDS)
        user.role = role
        user.unit = unit if role in UNIT_ROLES else None
        user.team = team if role == Role.TEAM else None
        user.save(update_fields=["role", "unit", "team"])
        if (before["role"], before["unit"], before["team"]) != (user.role, user.unit_id, user.team_id):
            end_tokens(user, reason=EndReason.ROLE_CHANGED, actor=actor)
        record(
            actor=actor,
            action="role_changed",
            obj=user,
            object_type="user",
            before=before,
            after=snapshot(user, USER_FIELDS),
        )
    return user


@retrying
def set_password(user: User, *, actor: Any, password: str) -> None:
    """The office resets a password; the history records that it happened, not what it is. The user's
    API tokens end with the old password (`EndTokensOnPasswordChange`, on every password change)."""
    require(actor, Action.MANAGE_USERS)
    problems = _check_password(password, user)
    if problems:
        raise ValidationFailed("；".join(problems), errors={"password": problems})
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record(actor=actor, action="password_reset", obj=user, object_type="user")


@retrying
def change_own_password(user: User, *, old_password: str, new_password: str) -> None:
    """A user changes their own password (the old one proves it is them); their API tokens end with it."""
    if not user.is_authenticated or not user.is_active:
        raise ValidationFailed("请先登录")
    errors: dict[str, list[str]] = {}
    if not user.check_password(old_password or ""):
        errors["old_password"] = ["原密码不正确"]
    elif old_password == new_password:
        errors["password"] = ["新密码不能与原密码相同"]
    else:
        problems = _check_password(new_password, user)
        if problems:
            errors["password"] = problems
    if errors:
        raise ValidationFailed("；".join(m for ms in errors.values() for m in ms), errors=errors)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        record(actor=user, action="password_changed", obj=user, object_type="user")


@retrying
def deactivate(user: User, *, actor: Any) -> User:
    """Users are never deleted (the history points at them): they are switched off."""
    require(actor, Action.MANAGE_USERS)
    if user.pk == getattr(actor, "pk", None):
        raise ValidationFailed("不能停用自己的账号")
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        end_tokens(user, reason=EndReason.DEACTIVATED, actor=actor)
        record(actor=actor, action="user_deactivated", obj=user, object_type="user", after={"is_active": False})
    return user


@retrying
def reactivate(user: User, *, actor: Any) -> User:
    """A switched-off account switched on again (someone returns to the post); the history says who did it."""
    require(actor, Action.MANAGE_USERS)
    with transaction.atomic():
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
            record(actor=actor, action="user_reactivated", obj=user, object_type="user", after={"is_active": True})
    return user


@retrying
def create_unit(*, actor: Any, committee: Committee, name: str, kind: Unit.Kind | str = Unit.Kind.OTHER) -> Unit:
    require(actor, Action.MANAGE_USERS)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationFailed("请填写单位名称（不超过200字）")
    if kind not in Unit.Kind.values:
        raise ValidationFailed("未知的单位类型")
    with transaction.atomic():
        if Unit.objects.filter(committee=committee, name=name).exists():
            raise ValidationFailed("该单位已存在")
        unit = Unit.objects.create(committee=committee, name=name, kind=kind)
        record(
            actor=actor, action="unit_created", obj=unit, after={"name": name, "kind": kind, "committee": committee.pk}
        )
    return unit


def rename_unit(unit: Unit, *, actor: Any, name: str) -> Unit:
    """A unit renamed (organisations are merged and renamed); its inspections and reports follow it,
    published documents keep the name they were published under."""
    return _rename(unit, actor=actor, name=name, limit=200, what="单位", action="unit_renamed")


def rename_team(team: InspectionTeam, *, actor: Any, name: str) -> InspectionTeam:
    """A team renamed; its members and inspections follow it."""
    return _rename(team, actor=actor, name=name, limit=100, what="巡察组", action="team_renamed")


_Named = TypeVar("_Named", Unit, InspectionTeam)


@retrying
def _rename(obj: _Named, *, actor: Any, name: str, limit: int, what: str, action: str) -> _Named:
    """A unit's or team's new name: unique within its committee, the old and new name in the history."""
    require(actor, Action.MANAGE_USERS)
    name = (name or "").strip()
    if not name or len(name) > limit:
        message = f"请填写{what}名称（不超过{limit}字）"
        raise ValidationFailed(message, errors={"name": [message]})
    model = type(obj)
    with transaction.atomic():
        obj = model.objects.select_for_update().get(pk=obj.pk)
        if name == obj.name:
            return obj
        if model.objects.filter(committee_id=obj.committee_id, name=name).exclude(pk=obj.pk).exists():
            message = f"同一党委下已有同名{what}"
            raise ValidationFailed(message, errors={"name": [message]})
        before = obj.name
        obj.name = name
        obj.save(update_fields=["name"])
        record(actor=actor, action=action, obj=obj, before={"name": before}, after={"name": name})
    return obj


@retrying
def create_team(*, actor: Any, committee: Committee, name: str) -> InspectionTeam:
    require(actor, Action.MANAGE_USERS)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed("请填写巡察组名称（不超过100字）")
    with transaction.atomic():
        if InspectionTeam.objects.filter(committee=committee, name=name).exists():
            raise ValidationFailed("该巡察组已存在")
        team = InspectionTeam.objects.create(committee=committee, name=name)
        record(actor=actor, action="team_created", obj=team, after={"name": name, "committee": committee.pk})
    return team
