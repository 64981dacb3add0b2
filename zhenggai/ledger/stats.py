"""Completion figures per inspection, unit and round, counted by the database in a few grouped queries.

The arithmetic (rates, sums) is in the pure `figures` module; this module only counts. Light
thresholds differ by committee, so the deadline counts run once per committee involved.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from zhenggai.ledger.figures import Figures, total
from zhenggai.ledger.models import Closure, Finding, FindingKind, Inspection, Round, Status, Task
from zhenggai.org.models import Committee, Unit

_STATUS_FIELD = {
    Status.COMPLETED: "completed",
    Status.BASICALLY: "basically",
    Status.IN_PROGRESS: "in_progress",
    Status.LONG_TERM: "long_term",
    Status.NOT_DONE: "not_done",
    None: "unreported",
}


def figures_by_inspection(inspections: QuerySet[Inspection], today: date) -> dict[int, Figures]:
    """Figures for each inspection of the queryset (already scoped by `access`), keyed by id."""
    result: dict[int, Figures] = defaultdict(Figures)
    ids = inspections.values("pk")

    findings = Finding.objects.filter(inspection__in=ids)
    for row in findings.values("inspection_id").annotate(n=Count("pk")):
        result[row["inspection_id"]].findings = row["n"]
    leaves = findings.filter(kind=FindingKind.ITEM).values("inspection_id", "status").annotate(n=Count("pk"))
    for row in leaves:
        figures = result[row["inspection_id"]]
        figures.leaves += row["n"]
        name = _STATUS_FIELD[Status(row["status"]) if row["status"] else None]
        setattr(figures, name, getattr(figures, name) + row["n"])

    tasks = Task.objects.filter(finding__inspection__in=ids)
    for row in tasks.values("finding__inspection_id").annotate(
        n=Count("pk"), closed=Count("pk", filter=Q(closure=Closure.CLOSED))
    ):
        figures = result[row["finding__inspection_id"]]
        figures.tasks, figures.closed = row["n"], row["closed"]

    open_tasks = tasks.exclude(closure=Closure.CLOSED).filter(deadline__isnull=False)
    committees = Committee.objects.filter(rounds__inspections__in=ids).distinct()
    for committee in committees:
        # Inclusive bounds: yellow at ≤ yellow_days left, green at ≤ green_days, red once past.
        yellow_until = today + timedelta(days=committee.yellow_days)
        green_until = today + timedelta(days=committee.green_days)
        counts = (
            open_tasks.filter(finding__inspection__round__committee=committee)
            .values("finding__inspection_id")
            .annotate(
                overdue=Count("pk", filter=Q(deadline__lt=today)),
                yellow=Count("pk", filter=Q(deadline__gte=today, deadline__lte=yellow_until)),
                green=Count("pk", filter=Q(deadline__gt=yellow_until, deadline__lte=green_until)),
            )
        )
        for row in counts:
            figures = result[row["finding__inspection_id"]]
            figures.overdue, figures.yellow, figures.green = row["overdue"], row["yellow"], row["green"]
    return dict(result)


def figures_for_inspection(inspection: Inspection, today: date) -> Figures:
    return figures_by_inspection(Inspection.objects.filter(pk=inspection.pk), today).get(inspection.pk, Figures())


def figures_for_round(round: Round, today: date, inspections: QuerySet[Inspection] | None = None) -> Figures:
    """The round's total; pass the user's scoped queryset to count only what they may see."""
    scope = (inspections if inspections is not None else Inspection.objects.all()).filter(round=round)
    return total(list(figures_by_inspection(scope, today).values()))


def figures_for_unit(unit: Unit, today: date, inspections: QuerySet[Inspection] | None = None) -> Figures:
    scope = (inspections if inspections is not None else Inspection.objects.all()).filter(unit=unit)
    return total(list(figures_by_inspection(scope, today).values()))
