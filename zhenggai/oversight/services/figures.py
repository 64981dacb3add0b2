"""Keep `InspectionFigures` and `OpenDeadline` in step with the ledger, one inspection or all at once.

Counting is done by the database in grouped queries over a set of inspections, so refreshing one
inspection after an edit and refreshing a province overnight run the same code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from zhenggai.ledger.models import Closure, Finding, FindingKind, Inspection, Status, Task
from zhenggai.oversight.models import InspectionFigures, OpenDeadline
from zhenggai.oversight.models.figures import COUNTS

STATUS_FIELD = {
    Status.COMPLETED: "completed",
    Status.BASICALLY: "basically",
    Status.IN_PROGRESS: "in_progress",
    Status.LONG_TERM: "long_term",
    Status.NOT_DONE: "not_done",
}
BATCH = 2000


def count(inspection_ids: list[int]) -> dict[int, dict[str, int]]:
    """The COUNTS of each inspection, in four grouped queries."""
    result: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    findings = Finding.objects.filter(inspection_id__in=inspection_ids)
    for row in findings.values("inspection_id").annotate(n=Count("pk")):
        result[row["inspection_id"]]["findings"] = row["n"]
    leaves = findings.filter(kind=FindingKind.ITEM).values("inspection_id", "status").annotate(n=Count("pk"))
    for row in leaves:
        counts = result[row["inspection_id"]]
        counts["leaves"] += row["n"]
        counts[STATUS_FIELD.get(row["status"], "unreported")] += row["n"]
    tasks = Task.objects.filter(finding__inspection_id__in=inspection_ids)
    for row in tasks.values("finding__inspection_id").annotate(
        n=Count("pk"),
        closed=Count("pk", filter=Q(closure=Closure.CLOSED)),
        requested=Count("pk", filter=Q(closure=Closure.CLOSURE_REQUESTED)),
    ):
        counts = result[row["finding__inspection_id"]]
        counts["tasks"], counts["closed"], counts["requested"] = row["n"], row["closed"], row["requested"]
    return result


def deadlines(meta: dict[int, dict]) -> list[OpenDeadline]:
    rows = (
        Task.objects.filter(finding__inspection_id__in=list(meta), deadline__isnull=False)
        .exclude(closure=Closure.CLOSED)
        .values("finding__inspection_id", "deadline")
        .annotate(n=Count("pk"))
    )
    out = []
    for row in rows:
        m = meta[row["finding__inspection_id"]]
        out.append(
            OpenDeadline(
                inspection_id=m["pk"],
                round_id=m["round_id"],
                committee_id=m["round__committee_id"],
                deadline=row["deadline"],
                tasks=row["n"],
            )
        )
    return out


def refresh(inspection_ids: Iterable[int]) -> int:
    """Recount the given inspections (a missing one is skipped); returns how many were refreshed."""
    ids = list(dict.fromkeys(inspection_ids))
    done = 0
    for low in range(0, len(ids), BATCH):
        done += _refresh_batch(ids[low : low + BATCH])
    return done


def refresh_all() -> int:
    ids = list(Inspection.objects.order_by("pk").values_list("pk", flat=True))
    InspectionFigures.objects.exclude(inspection_id__in=Inspection.objects.values("pk")).delete()
    return refresh(ids)


def _refresh_batch(ids: list[int]) -> int:
    meta = {
        row["pk"]: row
        for row in Inspection.objects.filter(pk__in=ids).values(
            "pk", "round_id", "unit_id", "team_id", "round__committee_id"
        )
    }
    counts = count(list(meta))
    rows = [
        InspectionFigures(
            inspection_id=pk,
            round_id=m["round_id"],
            unit_id=m["unit_id"],
            team_id=m["team_id"],
            committee_id=m["round__committee_id"],
            **counts[pk],
        )
        for pk, m in meta.items()
    ]
    with transaction.atomic():
        InspectionFigures.objects.filter(inspection_id__in=list(meta)).delete()
        InspectionFigures.objects.bulk_create(rows, batch_size=500)
        OpenDeadline.objects.filter(inspection_id__in=list(meta)).delete()
        OpenDeadline.objects.bulk_create(deadlines(meta), batch_size=1000)
    return len(rows)


def ensure(inspections: QuerySet[Inspection]) -> None:
    """Fill in the figures of inspections that have none yet (imported before this app, or in bulk)."""
    missing = list(
        inspections.exclude(pk__in=InspectionFigures.objects.values("inspection_id")).values_list("pk", flat=True)
    )
    if missing:
        refresh(missing)
