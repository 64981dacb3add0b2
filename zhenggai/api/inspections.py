"""Inspections (一次巡察) the caller sees: list, details with figures and deadlines, the ledger tree,
export as `zhenggai.ledger/1`, and pinning a problem's status."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from zhenggai.api.rounds import DeadlinesOut
from zhenggai.api.schemas import FiguresOut, Id, Input, Paging, TaskOut, figures_out, page, task_out
from zhenggai.api.scopes import get_visible
from zhenggai.ledger.access import inspections_for, tasks_for
from zhenggai.ledger.calendar import deadlines_for
from zhenggai.ledger.figures import Figures
from zhenggai.ledger.models import Finding, Inspection
from zhenggai.ledger.services.findings import pin_status
from zhenggai.ledger.services.import_ledger import export_document
from zhenggai.ledger.stats import figures_by_inspection

router = Router(tags=["inspections"])


class InspectionOut(Schema):
    id: int
    round_id: int
    round: str
    unit_id: int
    unit: str
    team_id: int | None
    team: str
    committee: str
    kind: str
    start: date | None
    end: date | None
    feedback_date: date | None
    figures: FiguresOut


class InspectionPage(Schema):
    count: int
    items: list[InspectionOut]


class InspectionDetailOut(InspectionOut):
    report_title: str
    report_publisher: str
    report_date: date | None
    source_name: str
    claimed: dict[str, Any]
    contact: dict[str, Any]
    warnings: list[str]
    deadlines: DeadlinesOut | None
    created_at: datetime


class FindingNode(Schema):
    id: int
    label: str | None
    title: str
    kind: str
    level: int
    status: str | None
    status_pinned: bool
    tasks: list[TaskOut]
    children: list[FindingNode]


FindingNode.model_rebuild()


class TreeOut(Schema):
    inspection: InspectionOut
    findings: list[FindingNode]


class InspectionFilters(Input):
    round: Id | None = None
    unit: Id | None = None
    team: Id | None = None


class PinIn(Input):
    status: str | None


class FindingOut(Schema):
    id: int
    status: str | None
    status_pinned: bool


def _inspection_out(inspection: Inspection, figures: Figures) -> dict[str, Any]:
    return {
        "id": inspection.pk,
        "round_id": inspection.round_id,
        "round": inspection.round.name,
        "unit_id": inspection.unit_id,
        "unit": inspection.unit.name,
        "team_id": inspection.team_id,
        "team": inspection.team.name if inspection.team else inspection.team_name,
        "committee": inspection.round.committee.name,
        "kind": inspection.kind,
        "start": inspection.start,
        "end": inspection.end,
        "feedback_date": inspection.feedback_date,
        "figures": figures_out(figures),
    }


def _visible(request: HttpRequest, inspection_id: Id) -> Inspection:
    related = Inspection.objects.select_related("round__committee", "unit", "team")
    return get_visible(request.auth, related, inspection_id)


@router.get("/inspections", response=InspectionPage, summary="巡察列表(按权限范围)")
def list_inspections(request: HttpRequest, filters: Query[InspectionFilters], paging: Query[Paging]):
    qs = inspections_for(request.auth).select_related("round__committee", "unit", "team")
    if filters.round is not None:
        qs = qs.filter(round_id=filters.round)
    if filters.unit is not None:
        qs = qs.filter(unit_id=filters.unit)
    if filters.team is not None:
        qs = qs.filter(team_id=filters.team)
    count, rows = page(qs.order_by("round_id", "unit__name", "pk"), paging)
    rows = list(rows)
    by_id = figures_by_inspection(Inspection.objects.filter(pk__in=[r.pk for r in rows]), timezone.localdate())
    return {"count": count, "items": [_inspection_out(r, by_id.get(r.pk, Figures())) for r in rows]}


@router.get("/inspections/{inspection_id}", response=InspectionDetailOut, summary="巡察详情")
def get_inspection(request: HttpRequest, inspection_id: Id):
    inspection = _visible(request, inspection_id)
    today = timezone.localdate()
    figures = figures_by_inspection(Inspection.objects.filter(pk=inspection.pk), today).get(inspection.pk, Figures())
    deadlines = deadlines_for(inspection.feedback_date, inspection.round.committee)
    return {
        **_inspection_out(inspection, figures),
        "report_title": inspection.report_title,
        "report_publisher": inspection.report_publisher,
        "report_date": inspection.report_date,
        "source_name": inspection.source_name,
        "claimed": inspection.claimed,
        "contact": inspection.contact,
        "warnings": inspection.warnings,
        "deadlines": asdict(deadlines) if deadlines else None,
        "created_at": inspection.created_at,
    }


@router.get("/inspections/{inspection_id}/tree", response=TreeOut, summary="整改台账:问题树及其任务")
def get_tree(request: HttpRequest, inspection_id: Id):
    """The findings tree with the tasks the caller sees (a responsible person: only their own)."""
    inspection = _visible(request, inspection_id)
    today = timezone.localdate()
    committee = inspection.round.committee
    tasks_by_finding: dict[int, list[dict[str, Any]]] = defaultdict(list)
    tasks = tasks_for(request.auth).filter(finding__inspection=inspection).select_related("handler")
    for task in tasks.order_by("finding_id", "position"):
        task.inspection_pk, task.green_days, task.yellow_days = (
            inspection.pk,
            committee.green_days,
            committee.yellow_days,
        )
        tasks_by_finding[task.finding_id].append(task_out(task, today))
    children: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for f in inspection.findings.order_by("level", "position"):
        node = {
            "id": f.pk,
            "label": f.label,
            "title": f.title,
            "kind": f.kind,
            "level": f.level,
            "status": f.status,
            "status_pinned": f.status_pinned,
            "tasks": tasks_by_finding.get(f.pk, []),
            "children": [],
        }
        children[f.pk] = node["children"]
        children[f.parent_id].append(node)
    figures = figures_by_inspection(Inspection.objects.filter(pk=inspection.pk), today).get(inspection.pk, Figures())
    return {"inspection": _inspection_out(inspection, figures), "findings": children[None]}


@router.get("/inspections/{inspection_id}/export", response=dict[str, Any], summary="导出为 zhenggai.ledger/1 JSON")
def export_inspection(request: HttpRequest, inspection_id: Id):
    inspection = _visible(request, inspection_id)
    return export_document(inspection, actor=request.auth).to_dict()


@router.post("/findings/{finding_id}/status", response=FindingOut, summary="人工认定问题的整改状态(null 为取消认定)")
def pin_finding_status(request: HttpRequest, finding_id: Id, body: PinIn):
    finding = get_visible(request.auth, Finding.objects.all(), finding_id)
    finding = pin_status(finding, actor=request.auth, status=body.status)
    return {"id": finding.pk, "status": finding.status, "status_pinned": finding.status_pinned}
