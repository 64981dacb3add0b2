"""Who may do what on the staff side of publishing and opinions, built on the ledger's rules.

| role                      | publication                              | opinions                                   |
| ------------------------- | ---------------------------------------- | ------------------------------------------ |
| OFFICE 巡察办             | submit, approve, return, withdraw (all)  | all: assign, reply, close                  |
| SUPERVISOR 纪委监委/组织部 | view all                                 | view all                                   |
| TEAM 巡察组成员           | view their team's inspections            | view those about their team's inspections  |
| UNIT_OFFICE 整改办        | submit and view for their own unit       | their unit's: assign, reply, close         |
| RESPONSIBLE 责任人        | —                                        | those assigned to them: view, reply        |

Approving is the ledger's `Action.PUBLISH` (the office's alone). Scopes are querysets, as in
`zhenggai.ledger.access`, and a refusal is logged and kept in the history the same way.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from django.db.models import Model, Q, QuerySet

from zhenggai.ledger.access import Action, can, inspections_for, role_of
from zhenggai.ledger.errors import Forbidden
from zhenggai.ledger.history import record
from zhenggai.ledger.models import Inspection
from zhenggai.org.models import Role, User
from zhenggai.public.models import Opinion, PublicReport, Revision

security_log = logging.getLogger("zhenggai.security")


class PublicAction(StrEnum):
    VIEW = "view"
    SUBMIT = "submit"
    DECIDE = "decide"
    ASSIGN = "assign"
    REPLY = "reply"
    CLOSE = "close"


VIEWERS = (Role.OFFICE, Role.SUPERVISOR, Role.TEAM, Role.UNIT_OFFICE)


def publication_inspections(user: Any) -> QuerySet[Inspection]:
    """Inspections whose publication the user may follow."""
    return inspections_for(user) if role_of(user) in VIEWERS else Inspection.objects.none()


def public_reports_for(user: Any) -> QuerySet[PublicReport]:
    return PublicReport.objects.filter(inspection__in=publication_inspections(user))


def revisions_for(user: Any) -> QuerySet[Revision]:
    return Revision.objects.filter(report__in=public_reports_for(user))


def opinions_for(user: Any) -> QuerySet[Opinion]:
    role = role_of(user)
    qs = Opinion.objects.all()
    if role in (Role.OFFICE, Role.SUPERVISOR):
        return qs
    if role == Role.TEAM and user.team_id:
        return qs.filter(report__inspection__team_id=user.team_id)
    if role == Role.UNIT_OFFICE and user.unit_id:
        return qs.filter(unit_id=user.unit_id)
    if role == Role.RESPONSIBLE:
        return qs.filter(handler_id=user.pk)
    return qs.none()


def can_publish(user: Any, action: PublicAction | str, inspection: Inspection) -> bool:
    role = role_of(user)
    action = PublicAction(action)
    if action == PublicAction.DECIDE:
        return can(user, Action.PUBLISH, inspection)
    if action == PublicAction.SUBMIT and role not in (Role.OFFICE, Role.UNIT_OFFICE):
        return False
    return publication_inspections(user).filter(pk=inspection.pk).exists()


def can_handle(user: Any, action: PublicAction | str, opinion: Opinion) -> bool:
    role = role_of(user)
    action = PublicAction(action)
    if role is None or not opinions_for(user).filter(pk=opinion.pk).exists():
        return False
    if action == PublicAction.VIEW:
        return True
    if role == Role.OFFICE:
        return True
    if role == Role.UNIT_OFFICE:
        return opinion.unit_id == user.unit_id
    return role == Role.RESPONSIBLE and action == PublicAction.REPLY and opinion.handler_id == user.pk


def can_see_contact(user: Any, opinion: Opinion) -> bool:
    """The sender's contact is for the offices that answer for the opinion: the inspection office, and
    the unit office of the unit it is about. Handlers, teams and supervisors read the opinion without it."""
    role = role_of(user)
    if role == Role.OFFICE:
        return True
    return role == Role.UNIT_OFFICE and opinion.unit_id is not None and opinion.unit_id == user.unit_id


def require(allowed: bool, user: Any, action: PublicAction | str, obj: Model, inspection: int | None = None) -> None:
    """Raise Forbidden unless `allowed`; the refusal is logged and written to the history."""
    if allowed:
        return
    username = getattr(user, "username", None) or "anonymous"
    security_log.warning("denied user=%s action=%s object=%s#%s", username, action, obj._meta.model_name, obj.pk)
    record(
        actor=user if isinstance(user, User) else None,
        action="denied",
        obj=obj,
        inspection=inspection,
        after={"action": f"public.{action}"},
    )
    raise Forbidden()


def require_publish(user: Any, action: PublicAction | str, inspection: Inspection) -> None:
    require(can_publish(user, action, inspection), user, action, inspection, inspection.pk)


def require_handle(user: Any, action: PublicAction | str, opinion: Opinion) -> None:
    require(can_handle(user, action, opinion), user, action, opinion)


def handlers_for(opinion: Opinion) -> QuerySet[User]:
    """Who may be assigned an opinion: people of the unit it is about, or the office for general ones."""
    active = User.objects.filter(is_active=True)
    if opinion.unit_id:
        return active.filter(unit_id=opinion.unit_id, role__in=(Role.UNIT_OFFICE, Role.RESPONSIBLE))
    return active.filter(Q(role=Role.OFFICE) | Q(is_superuser=True))
