"""What a caller may see, for the objects `zhenggai.ledger.access` has no queryset for, and lookups
that answer 404 for anything outside the caller's view.

A refused lookup goes through `access.require`, so it is logged to `zhenggai.security` and kept
as a denied Event like any other refusal; the answer is 404 so that ids of other units' ledgers
cannot be probed.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from zhenggai.ledger.access import Action, can, inspections_for, require, role_of
from zhenggai.ledger.errors import Forbidden, NotFound
from zhenggai.ledger.models import Round
from zhenggai.org.models import Committee, InspectionTeam, Role, Unit

M = TypeVar("M", bound=Model)

SEES_ALL = (Role.OFFICE, Role.SUPERVISOR)


def visible_rounds(user: Any) -> QuerySet[Round]:
    """All rounds for the office and supervisors; for everyone else the rounds of the inspections they see."""
    if role_of(user) in SEES_ALL:
        return Round.objects.all()
    return Round.objects.filter(pk__in=inspections_for(user).values("round_id"))


def visible_units(user: Any) -> QuerySet[Unit]:
    if role_of(user) in SEES_ALL:
        return Unit.objects.all()
    if role_of(user) is None:
        return Unit.objects.none()
    return Unit.objects.filter(Q(pk__in=inspections_for(user).values("unit_id")) | Q(pk=user.unit_id))


def visible_teams(user: Any) -> QuerySet[InspectionTeam]:
    if role_of(user) in SEES_ALL:
        return InspectionTeam.objects.all()
    if role_of(user) is None:
        return InspectionTeam.objects.none()
    return InspectionTeam.objects.filter(Q(pk__in=inspections_for(user).values("team_id")) | Q(pk=user.team_id))


def visible_committees(user: Any) -> QuerySet[Committee]:
    if role_of(user) in SEES_ALL:
        return Committee.objects.all()
    return Committee.objects.filter(
        Q(pk__in=visible_rounds(user).values("committee_id")) | Q(pk__in=visible_units(user).values("committee_id"))
    )


def _refuse(user: Any, obj: Model) -> NotFound:
    """Log the refusal the way every refusal is logged, and answer as if the object did not exist."""
    with suppress(Forbidden):
        require(user, Action.VIEW, obj)
    return NotFound()


def get_visible(user: Any, queryset: QuerySet[M], pk: int) -> M:
    """The object with `pk` if the user may view it (ledger objects, by `access.can`); else NotFound."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    if not can(user, Action.VIEW, obj):
        raise _refuse(user, obj)
    return obj


def get_visible_round(user: Any, pk: int) -> Round:
    round_ = Round.objects.select_related("committee").filter(pk=pk).first()
    if round_ is None:
        raise NotFound()
    if not visible_rounds(user).filter(pk=pk).exists():
        raise _refuse(user, round_)
    return round_


def get_or_404(queryset: QuerySet[M], pk: int) -> M:
    """For objects the services check themselves (a refusal there is a 403, logged by the service)."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj
