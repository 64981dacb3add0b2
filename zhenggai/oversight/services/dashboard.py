"""The figures of the office's dashboard: per round, and within a round per team, unit and aspect.

A round's figures are counted live from its leaves and tasks (a round holds at most a few thousand
of each), so they are exact to the last edit; the overview of all rounds reads the per-inspection
counts kept by `services.figures` (counting, without storing, those not kept yet: pages never
write). Lights follow the committee's thresholds (`ledger.lights`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from zhenggai.ledger.figures import completion_rate, format_rate
from zhenggai.ledger.lights import Light, light
from zhenggai.ledger.models import Closure, Event, Finding, FindingKind, Inspection, Round, Status, Task
from zhenggai.org.models import Committee
from zhenggai.oversight.models import Category, FindingCategory, InspectionFigures, OpenDeadline, Taxonomy
from zhenggai.oversight.services.classification import classify_leaves
from zhenggai.oversight.services.figures import unstored

STATUS_FIELD = {
    Status.COMPLETED: "completed",
    Status.BASICALLY: "basically",
    Status.IN_PROGRESS: "in_progress",
    Status.LONG_TERM: "long_term",
    Status.NOT_DONE: "not_done",
}
NO_CATEGORY = 0  # the aspect key of leaves the classifier could not place
TOTAL_CACHE_SECONDS = 600


@dataclass
class Tally:
    """Counts of one group: specific problems by status, tasks, closures waiting, lights."""

    leaves: int = 0
    completed: int = 0
    basically: int = 0
    in_progress: int = 0
    long_term: int = 0
    not_done: int = 0
    unreported: int = 0
    tasks: int = 0
    closed: int = 0
    requested: int = 0
    red: int = 0
    yellow: int = 0
    green: int = 0

    @property
    def rate(self) -> Decimal | None:
        return completion_rate(self.completed, self.leaves)

    @property
    def rate_text(self) -> str:
        return format_rate(self.rate)

    def add(self, other: Tally) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class Row:
    """One line of a dashboard table: what it is, its counts, and the task-list filter behind it."""

    key: int
    label: str
    tally: Tally = field(default_factory=Tally)
    filters: dict[str, int] = field(default_factory=dict)


@dataclass
class RoundBoard:
    round: Round
    total: Tally
    teams: list[Row]
    units: list[Row]
    aspects: list[Row]
    progress: list[dict]
    taxonomy: Taxonomy | None


def default_taxonomy() -> Taxonomy | None:
    """The taxonomy the aspects are shown in; None before any exists (imports create the defaults)."""
    return Taxonomy.objects.filter(is_default=True).first() or Taxonomy.objects.first()


def task_light(deadline: date | None, closure: str, today: date, committee: Committee) -> Light:
    return light(
        deadline,
        today,
        green_days=committee.green_days,
        yellow_days=committee.yellow_days,
        closed=closure == Closure.CLOSED,
    )


def round_board(round_: Round, scope: QuerySet[Inspection], today: date) -> RoundBoard:
    """Everything the round page shows, for the inspections of `scope` (already limited by `access`)."""
    committee = round_.committee
    inspections = {
        i.pk: i for i in scope.filter(round=round_).select_related("unit", "team").order_by("unit__name", "pk")
    }
    taxonomy = default_taxonomy()
    total = Tally()
    by_inspection: dict[int, Tally] = defaultdict(Tally)
    by_aspect: dict[int, Tally] = defaultdict(Tally)
    leaves = Finding.objects.filter(inspection_id__in=list(inspections), kind=FindingKind.ITEM)
    rows = list(leaves.values_list("pk", "inspection_id", "status"))
    aspect_of = _aspects({pk: inspection_id for pk, inspection_id, _ in rows}, taxonomy)
    for pk, inspection_id, status in rows:
        name = STATUS_FIELD.get(status, "unreported")
        for tally in (total, by_inspection[inspection_id], by_aspect[aspect_of.get(pk, NO_CATEGORY)]):
            tally.leaves += 1
            setattr(tally, name, getattr(tally, name) + 1)
    tasks = Task.objects.filter(finding__inspection_id__in=list(inspections))
    for finding_id, inspection_id, closure, deadline in tasks.values_list(
        "finding_id", "finding__inspection_id", "closure", "deadline"
    ):
        shown = task_light(deadline, closure, today, committee)
        for tally in (total, by_inspection[inspection_id], by_aspect[aspect_of.get(finding_id, NO_CATEGORY)]):
            tally.tasks += 1
            tally.closed += closure == Closure.CLOSED
            tally.requested += closure == Closure.CLOSURE_REQUESTED
            if shown != Light.NONE:
                setattr(tally, shown.value, getattr(tally, shown.value) + 1)
    units = [Row(pk, i.unit.name, by_inspection[pk], {"inspection": pk}) for pk, i in inspections.items()]
    teams: dict[int, Row] = {}
    for pk, inspection in inspections.items():
        key = inspection.team_id or 0
        row = teams.setdefault(
            key, Row(key, inspection.team.name if inspection.team else "未指定巡察组", Tally(), {"team": key})
        )
        row.tally.add(by_inspection[pk])
    aspects = _aspect_rows(taxonomy, by_aspect)
    progress = closures_by_week(inspections)
    return RoundBoard(round_, total, sorted(teams.values(), key=lambda r: r.label), units, aspects, progress, taxonomy)


def _aspects(leaves: dict[int, int], taxonomy: Taxonomy | None) -> dict[int, int]:
    """Leaf id → category id in the default taxonomy; `leaves` maps leaf id → inspection id.

    Leaves never classified (imported in bulk, or before a taxonomy existed) are classified for
    this page only; the stored classification is written by imports and `analyze refresh`.
    """
    if taxonomy is None or not leaves:
        return {}
    rows = FindingCategory.objects.filter(taxonomy=taxonomy, finding_id__in=list(leaves))
    found = dict(rows.values_list("finding_id", "category_id"))
    missing = {leaves[pk] for pk in leaves.keys() - found.keys()}
    if missing:
        placed = classify_leaves(sorted(missing), taxonomy)
        found.update((leaf, placed[leaf]) for leaf in leaves.keys() - found.keys() if leaf in placed)
    return {leaf: category or NO_CATEGORY for leaf, category in found.items()}


def _aspect_rows(taxonomy: Taxonomy | None, by_aspect: dict[int, Tally]) -> list[Row]:
    if taxonomy is None:
        return []
    rows = [Row(c.pk, c.name, by_aspect.get(c.pk, Tally()), {"category": c.pk}) for c in taxonomy.categories.all()]
    if by_aspect.get(NO_CATEGORY):
        rows.append(Row(NO_CATEGORY, "未归类", by_aspect[NO_CATEGORY], {"category": NO_CATEGORY}))
    return rows


def acceptances(inspections: dict[int, Inspection]) -> list[tuple[int, str, int]]:
    """(inspection, task id, week after feedback) of every accepted closure (第1周 = the first 7 days)."""
    feedback = {pk: i.feedback_date for pk, i in inspections.items() if i.feedback_date}
    if not feedback:
        return []
    events = Event.objects.filter(action="closure_accepted", inspection_id__in=list(feedback))
    out = []
    for inspection_id, task_id, at in events.values_list("inspection_id", "object_id", "at"):
        days = (timezone.localtime(at).date() - feedback[inspection_id]).days
        out.append((inspection_id, task_id, max(0, days) // 7 + 1))
    return out


def closures_by_week(inspections: dict[int, Inspection]) -> list[dict]:
    """Closures accepted per week since feedback, and the running total, from the history."""
    counts: dict[int, int] = defaultdict(int)
    for _, _, week in acceptances(inspections):
        counts[week] += 1
    if not counts:
        return []
    out, running = [], 0
    for week in range(1, max(counts) + 1):
        running += counts.get(week, 0)
        out.append({"week": week, "accepted": counts.get(week, 0), "cumulative": running})
    return out


@dataclass
class RoundSummary:
    round: Round
    units: int
    tally: Tally


NAMES = ("leaves", "completed", "basically", "in_progress", "long_term", "not_done", "unreported")
NAMES += ("tasks", "closed", "requested")


def visible_rounds(scope: QuerySet[Inspection]) -> QuerySet[Round]:
    """The rounds holding an inspection of `scope`, the latest first."""
    held = scope.filter(round_id=OuterRef("pk"))
    return Round.objects.filter(Exists(held)).select_related("committee").order_by("-year", "-number", "name", "pk")


def overview(scope: QuerySet[Inspection], today: date, rounds: list[Round]) -> list[RoundSummary]:
    """One line for each of `rounds`, from the stored per-inspection counts (and their open deadlines).

    Inspections never counted yet are counted for this page, not stored (see `services.figures`).
    """
    ids = [r.pk for r in rounds]
    figures = _limit(InspectionFigures.objects.filter(round_id__in=ids), scope)
    rows = figures.values("round_id").annotate(units=Count("inspection_id"), **{n: Sum(n) for n in NAMES})
    tallies: dict[int, Tally] = {}
    units: dict[int, int] = defaultdict(int)
    for row in rows:
        tallies[row["round_id"]] = Tally(**{n: row[n] or 0 for n in NAMES})
        units[row["round_id"]] = row["units"]
    counted, due = unstored(scope.filter(round_id__in=ids))
    for item in counted:
        _add_counts(tallies.setdefault(item.round_id, Tally()), item)
        units[item.round_id] += 1
    _stored_lights(_limit(OpenDeadline.objects.filter(round_id__in=ids), scope), today, tallies, "round_id")
    _counted_lights(due, today, tallies, "round_id")
    return [RoundSummary(r, units[r.pk], tallies[r.pk]) for r in rounds if r.pk in tallies]


def overview_total(scope: QuerySet[Inspection], today: date) -> Tally:
    """All rounds of the scope together, for the cards above the list.

    Summing a province's open deadlines takes tens of milliseconds, and the sum changes only when
    the ledger does: it is cached under the day, the latest Event and the latest recount (figures
    are recounted just after a change commits, so the Event alone would keep a total counted in
    between), so any change starts afresh.
    """
    last_event = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    stored = InspectionFigures.objects.aggregate(n=Count("pk"), at=Max("refreshed_at"))
    recounted = f"{stored['n']}@{stored['at'].isoformat() if stored['at'] else ''}"
    scope_key = hashlib.sha256(str(scope.query).encode()).hexdigest()[:16]
    key = f"oversight:total:{scope_key}:{today.isoformat()}:{last_event}:{recounted}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    row = _limit(InspectionFigures.objects.all(), scope).aggregate(**{n: Sum(n) for n in NAMES})
    tallies = {0: Tally(**{n: row[n] or 0 for n in NAMES})}
    counted, due = unstored(scope)
    for item in counted:
        _add_counts(tallies[0], item)
    _stored_lights(_limit(OpenDeadline.objects.all(), scope), today, tallies, None)
    _counted_lights(due, today, tallies, None)
    cache.set(key, tallies[0], TOTAL_CACHE_SECONDS)
    return tallies[0]


def _limit(rows: QuerySet, scope: QuerySet[Inspection]) -> QuerySet:
    """Rows of the scope's inspections; no filter at all when the scope is everything (office, supervisor)."""
    return rows.filter(inspection_id__in=scope.values("pk")) if scope.query.has_filters() else rows


def _stored_lights(base: QuerySet, today: date, tallies: dict[int, Tally], key: str | None) -> None:
    """Red from one sum; yellow and green from the few deadlines inside the widest green window.

    `key` groups by round ("round_id"); None adds everything into `tallies[0]`.
    """
    group = [key] if key else []
    late = base.filter(deadline__lt=today)
    for row in late.values(*group).annotate(n=Sum("tasks")) if key else [late.aggregate(n=Sum("tasks"))]:
        tally = tallies.get(row[key] if key else 0)
        if tally is not None:
            tally.red = row["n"] or 0
    thresholds = {c.pk: c for c in Committee.objects.only("green_days", "yellow_days")}
    widest = max((c.green_days for c in thresholds.values()), default=0)
    window = base.filter(Q(deadline__gte=today) & Q(deadline__lte=today + timedelta(days=widest)))
    for row in window.values(*group, "committee_id", "deadline").annotate(n=Sum("tasks")):
        committee = thresholds[row["committee_id"]]
        shown = light(row["deadline"], today, green_days=committee.green_days, yellow_days=committee.yellow_days)
        tally = tallies.get(row[key] if key else 0)
        if tally is not None and shown in (Light.YELLOW, Light.GREEN):
            setattr(tally, shown.value, getattr(tally, shown.value) + row["n"])


def _add_counts(tally: Tally, figures: InspectionFigures) -> None:
    for name in NAMES:
        setattr(tally, name, getattr(tally, name) + getattr(figures, name))


def _counted_lights(rows: Iterable[OpenDeadline], today: date, tallies: dict[int, Tally], key: str | None) -> None:
    """Add the lights of open deadlines counted for this page (not stored) to `tallies`, as `_stored_lights` does."""
    thresholds = {c.pk: c for c in Committee.objects.only("green_days", "yellow_days")}
    for row in rows:
        tally = tallies.get(getattr(row, key) if key else 0)
        committee = thresholds[row.committee_id]
        shown = light(row.deadline, today, green_days=committee.green_days, yellow_days=committee.yellow_days)
        if tally is not None and shown != Light.NONE:
            setattr(tally, shown.value, getattr(tally, shown.value) + row.tasks)


def categories_of(taxonomy: Taxonomy | None) -> list[Category]:
    return list(taxonomy.categories.all()) if taxonomy else []
