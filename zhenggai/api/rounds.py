"""Rounds (巡察轮次) with their completion figures: the inspection office's overview of every unit."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from zhenggai.api.schemas import FiguresOut, Id, Input, Int32, Paging, SmallCount, figures_out, page
from zhenggai.api.scopes import get_or_404, get_visible_round, visible_rounds
from zhenggai.ledger.access import inspections_for
from zhenggai.ledger.calendar import deadlines_for
from zhenggai.ledger.figures import Figures, total
from zhenggai.ledger.models import Inspection
from zhenggai.ledger.services import rounds as round_service
from zhenggai.ledger.stats import figures_by_inspection
from zhenggai.org.models import Committee

router = Router(tags=["rounds"])


class CommitteeRef(Schema):
    id: int
    name: str


class RoundOut(Schema):
    id: int
    name: str
    number: int | None
    year: int
    committee: CommitteeRef
    inspections: int
    figures: FiguresOut


class RoundIn(Input):
    committee_id: Id
    name: str
    year: SmallCount
    number: SmallCount | None = None


class RoundPaging(Paging):
    """Rounds come ten to a page: each round's figures count all its tasks."""

    limit: Int32 = 10


class RoundPage(Schema):
    count: int
    items: list[RoundOut]


class DeadlinesOut(Schema):
    plan_due: date
    concentrated_end: date
    report_due: date


class RoundInspectionOut(Schema):
    id: int
    unit_id: int
    unit: str
    team: str
    feedback_date: date | None
    deadlines: DeadlinesOut | None
    figures: FiguresOut


class RoundDetailOut(RoundOut):
    units: list[RoundInspectionOut]


def _round_out(round_, count: int, figures: Figures) -> dict[str, Any]:
    return {
        "id": round_.pk,
        "name": round_.name,
        "number": round_.number,
        "year": round_.year,
        "committee": {"id": round_.committee_id, "name": round_.committee.name},
        "inspections": count,
        "figures": figures_out(figures),
    }


@router.get("/rounds", response=RoundPage, summary="轮次列表及完成情况")
def list_rounds(request: HttpRequest, paging: Query[RoundPaging]):
    """Rounds the caller sees, newest first, each with the figures of the inspections the caller sees."""
    count, rounds = page(visible_rounds(request.auth).select_related("committee"), paging)
    rounds = list(rounds)
    scope = inspections_for(request.auth).filter(round__in=[r.pk for r in rounds])
    by_inspection = figures_by_inspection(scope, timezone.localdate())
    members: dict[int, list[int]] = {}
    for pk, round_id in scope.values_list("pk", "round_id"):
        members.setdefault(round_id, []).append(pk)
    items = []
    for round_ in rounds:
        ids = members.get(round_.pk, [])
        items.append(_round_out(round_, len(ids), total([by_inspection.get(i, Figures()) for i in ids])))
    return {"count": count, "items": items}


@router.get("/rounds/{round_id}", response=RoundDetailOut, summary="轮次总览:各单位完成率、逾期与预警")
def get_round(request: HttpRequest, round_id: Id):
    round_ = get_visible_round(request.auth, round_id)
    scope: list[Inspection] = list(
        inspections_for(request.auth).filter(round=round_).select_related("unit", "team").order_by("unit__name", "pk")
    )
    today = timezone.localdate()
    by_inspection = figures_by_inspection(Inspection.objects.filter(pk__in=[i.pk for i in scope]), today)
    committee = round_.committee
    units = []
    for inspection in scope:
        deadlines = deadlines_for(inspection.feedback_date, committee)
        units.append(
            {
                "id": inspection.pk,
                "unit_id": inspection.unit_id,
                "unit": inspection.unit.name,
                "team": inspection.team.name if inspection.team else inspection.team_name,
                "feedback_date": inspection.feedback_date,
                "deadlines": asdict(deadlines) if deadlines else None,
                "figures": figures_out(by_inspection.get(inspection.pk, Figures())),
            }
        )
    result = _round_out(round_, len(scope), total(list(by_inspection.values())))
    return {**result, "units": units}


@router.post("/rounds", response={201: RoundOut}, summary="新建巡察轮次(巡察办)")
def create_round(request: HttpRequest, body: RoundIn):
    committee = get_or_404(Committee.objects.all(), body.committee_id)
    round_ = round_service.create_round(
        actor=request.auth, committee=committee, name=body.name, year=body.year, number=body.number
    )
    return Status(201, _round_out(round_, 0, Figures()))
