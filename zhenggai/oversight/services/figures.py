"""Keep `InspectionFigures` and `OpenDeadline` in step with the ledger, one inspection or all at once.

Counting is done by the database in grouped queries over a set of inspections, so refreshing one
inspection after an edit and refreshing a province overnight run the same code.

A write only marks the inspections it touched (`touch`); once its transaction has committed, one
callback recounts each of them once, in a short transaction of its own that locks the inspection
rows (so two recounts of one inspection take turns and the later one counts the later state) and
writes by upsert. Pages only read: an inspection with no stored figures yet is counted for
display (`unstored`) and nothing is written.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet

from zhenggai.ledger.concurrency import retrying
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
PENDING = "zhenggai_touched_inspections"  # attribute of the connection: ids waiting for the commit

log = logging.getLogger("zhenggai.oversight")


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
    """The open tasks of each inspection of `meta` (from `_meta`) counted by deadline, as unsaved rows."""
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


def touch(inspection_id: int) -> None:
    """Recount `inspection_id` once the current transaction commits (at once outside a transaction).

    Every touch in one transaction lands in one set on the connection; the first commit callback
    that runs recounts the whole set and empties it, later ones find it empty. A set left behind
    by a rolled-back transaction (whose callbacks Django dropped) is cleared by the next touch.
    """
    pending: set[int] | None = getattr(connection, PENDING, None)
    if pending is None or not connection.run_on_commit:
        pending = set()
        setattr(connection, PENDING, pending)
    pending.add(inspection_id)
    transaction.on_commit(_flush)


def _flush() -> None:
    pending: set[int] = getattr(connection, PENDING, set())
    ids = sorted(pending)
    pending.clear()
    if not ids:
        return
    try:
        refresh(ids)
    except Exception:
        # The change itself is committed and must not be reported as failed; the figures of these
        # inspections stay as they were until their next change or the nightly `analyze refresh`.
        log.exception("oversight: recounting inspections %s after commit failed", ids)


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


def _meta(inspections: QuerySet[Inspection]) -> dict[int, dict]:
    fields = ("pk", "round_id", "unit_id", "team_id", "round__committee_id")
    return {row["pk"]: row for row in inspections.order_by("pk").values(*fields)}


def _figures(meta: dict[int, dict]) -> list[InspectionFigures]:
    """The figures of each inspection of `meta` (from `_meta`), counted now, as unsaved rows."""
    counts = count(list(meta))
    return [
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


@retrying
def _refresh_batch(ids: list[int]) -> int:
    with transaction.atomic():
        # Lock the inspections (in id order) before counting: a recount that waited here counts
        # everything committed before it, so the last one to write is never behind. FOR NO KEY
        # UPDATE leaves writers free to add rows that point to the inspection.
        meta = _meta(Inspection.objects.filter(pk__in=ids).select_for_update(no_key=True))
        rows = _figures(meta)
        InspectionFigures.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["inspection"],
            update_fields=["round", "unit", "team", "committee", *COUNTS, "refreshed_at"],
        )
        due = deadlines(meta)
        keep = {(d.inspection_id, d.deadline) for d in due}
        stored = OpenDeadline.objects.filter(inspection_id__in=list(meta))
        gone = [
            pk
            for pk, inspection_id, day in stored.values_list("pk", "inspection_id", "deadline")
            if (inspection_id, day) not in keep
        ]
        if gone:
            OpenDeadline.objects.filter(pk__in=gone).delete()
        OpenDeadline.objects.bulk_create(
            due,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["inspection", "deadline"],
            update_fields=["round", "committee", "tasks"],
        )
    return len(rows)


def unstored(inspections: QuerySet[Inspection]) -> tuple[list[InspectionFigures], list[OpenDeadline]]:
    """Figures and open deadlines of the inspections that have no stored figures yet (imported
    before this app, or in bulk), counted for display and not saved: pages never write."""
    missing = inspections.exclude(pk__in=InspectionFigures.objects.values("inspection_id"))
    meta = _meta(Inspection.objects.filter(pk__in=missing.values("pk")))
    if not meta:
        return [], []
    return _figures(meta), deadlines(meta)
