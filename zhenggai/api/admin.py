"""Committees (with their rectification calendar), units, inspection teams and rounds.

Everyone reads the ones within their view; only the inspection office creates or changes them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from zhenggai.api.schemas import Id, Input, Paging, SmallCount, page
from zhenggai.api.scopes import get_or_404, visible_committees, visible_teams, visible_units
from zhenggai.ledger.services import rounds as round_service
from zhenggai.ledger.services import users as org_service
from zhenggai.org.models import Committee, InspectionTeam, Unit

router = Router(tags=["organisation"])


class CommitteeOut(Schema):
    id: int
    name: str
    level: str
    plan_due_days: int
    concentrated_months: int
    report_due_months: int
    green_days: int
    yellow_days: int


class CommitteeIn(Input):
    name: str
    level: str = Committee.Level.COUNTY
    plan_due_days: SmallCount | None = None
    concentrated_months: SmallCount | None = None
    report_due_months: SmallCount | None = None
    green_days: SmallCount | None = None
    yellow_days: SmallCount | None = None


class CalendarIn(Input):
    plan_due_days: SmallCount | None = None
    concentrated_months: SmallCount | None = None
    report_due_months: SmallCount | None = None
    green_days: SmallCount | None = None
    yellow_days: SmallCount | None = None


class NamedOut(Schema):
    id: int
    name: str
    committee_id: int


class UnitOut(NamedOut):
    kind: str


class UnitPage(Schema):
    count: int
    items: list[UnitOut]


class TeamPage(Schema):
    count: int
    items: list[NamedOut]


class ByCommittee(Input):
    committee: Id | None = None


class UnitIn(Input):
    committee_id: Id
    name: str
    kind: str = "other"


class TeamIn(Input):
    committee_id: Id
    name: str


class RenameIn(Input):
    name: str


def _committee_out(c: Committee) -> dict[str, Any]:
    return {name: getattr(c, name) for name in CommitteeOut.model_fields}


def _calendar(body: Schema) -> dict[str, int]:
    return {k: v for k, v in body.model_dump().items() if k in round_service.CALENDAR_FIELDS and v is not None}


@router.get("/committees", response=list[CommitteeOut], summary="党委及其整改时限规则")
def list_committees(request: HttpRequest):
    return [_committee_out(c) for c in visible_committees(request.auth).order_by("name")]


@router.post("/committees", response={201: CommitteeOut}, summary="新建党委(巡察办)")
def create_committee(request: HttpRequest, body: CommitteeIn):
    committee = round_service.create_committee(actor=request.auth, name=body.name, level=body.level, **_calendar(body))
    return Status(201, _committee_out(committee))


@router.patch("/committees/{committee_id}", response=CommitteeOut, summary="修改整改时限与亮灯规则(巡察办)")
def set_calendar(request: HttpRequest, committee_id: Id, body: CalendarIn):
    committee = get_or_404(Committee.objects.all(), committee_id)
    return _committee_out(round_service.set_calendar(committee, actor=request.auth, **_calendar(body)))


@router.get("/units", response=UnitPage, summary="被巡察单位")
def list_units(request: HttpRequest, filters: Query[ByCommittee], paging: Query[Paging]):
    qs = visible_units(request.auth).order_by("committee_id", "name")
    if filters.committee is not None:
        qs = qs.filter(committee_id=filters.committee)
    count, rows = page(qs, paging)
    items = [{"id": u.pk, "name": u.name, "committee_id": u.committee_id, "kind": u.kind} for u in rows]
    return {"count": count, "items": items}


@router.post("/units", response={201: UnitOut}, summary="新建被巡察单位(巡察办)")
def create_unit(request: HttpRequest, body: UnitIn):
    committee = get_or_404(Committee.objects.all(), body.committee_id)
    unit = org_service.create_unit(actor=request.auth, committee=committee, name=body.name, kind=body.kind)
    return Status(201, {"id": unit.pk, "name": unit.name, "committee_id": unit.committee_id, "kind": unit.kind})


@router.patch("/units/{unit_id}", response=UnitOut, summary="单位改名(巡察办)")
def rename_unit(request: HttpRequest, unit_id: Id, body: RenameIn):
    unit = org_service.rename_unit(get_or_404(Unit.objects.all(), unit_id), actor=request.auth, name=body.name)
    return {"id": unit.pk, "name": unit.name, "committee_id": unit.committee_id, "kind": unit.kind}


@router.get("/teams", response=TeamPage, summary="巡察组")
def list_teams(request: HttpRequest, filters: Query[ByCommittee], paging: Query[Paging]):
    qs = visible_teams(request.auth).order_by("committee_id", "name")
    if filters.committee is not None:
        qs = qs.filter(committee_id=filters.committee)
    count, rows = page(qs, paging)
    return {"count": count, "items": [{"id": t.pk, "name": t.name, "committee_id": t.committee_id} for t in rows]}


@router.post("/teams", response={201: NamedOut}, summary="新建巡察组(巡察办)")
def create_team(request: HttpRequest, body: TeamIn):
    committee = get_or_404(Committee.objects.all(), body.committee_id)
    team = org_service.create_team(actor=request.auth, committee=committee, name=body.name)
    return Status(201, {"id": team.pk, "name": team.name, "committee_id": team.committee_id})


@router.patch("/teams/{team_id}", response=NamedOut, summary="巡察组改名(巡察办)")
def rename_team(request: HttpRequest, team_id: Id, body: RenameIn):
    team = org_service.rename_team(
        get_or_404(InspectionTeam.objects.all(), team_id), actor=request.auth, name=body.name
    )
    return {"id": team.pk, "name": team.name, "committee_id": team.committee_id}
