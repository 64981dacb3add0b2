"""The tasks behind a dashboard number: one filter language for every link the dashboard makes.

Each number on the dashboard carries the filters of its row and column (round, team, unit,
inspection, aspect, light, closure, status of the specific problem); this module turns them into a
queryset over the user's own tasks, with the same light rule the dashboard counted with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhenggai.ledger.models import Closure, Finding, FindingKind, Inspection, Round, Status, Task
from zhenggai.org.models import Committee
from zhenggai.oversight.models import Category, FindingCategory, Taxonomy
from zhenggai.params import Query

LIGHTS = {"red": "红灯（已逾期）", "yellow": "黄灯（临近时限）", "green": "绿灯（即将到期）"}
CLOSURES = {"open": "未销号", "requested": "待审核销号", "closed": "已销号"}
UNREPORTED = "unreported"
# id filters; team 0 is "no team" and category 0 "not categorised", as the dashboard's links write them
ID_FILTERS = {
    "round": ("轮次", 1),
    "team": ("巡察组", 0),
    "unit": ("单位", 1),
    "inspection": ("巡察", 1),
    "category": ("问题类别", 0),
    "taxonomy": ("分类体系", 1),
}


@dataclass
class TaskFilter:
    round: int | None = None
    team: int | None = None
    unit: int | None = None
    inspection: int | None = None
    category: int | None = None
    taxonomy: int | None = None
    accepted_week: int | None = None
    light: str | None = None
    closure: str | None = None
    status: str | None = None

    @classmethod
    def from_query(cls, query: Query) -> TaskFilter:
        """Read filters from a query string; malformed values are ignored, with a note in `query`."""
        values: dict = {name: query.integer(name, label, low=low) for name, (label, low) in ID_FILTERS.items()}
        values["accepted_week"] = query.integer("accepted_week", "销号周次", low=0, high=1_000)
        values["light"] = query.choice("light", "亮灯", LIGHTS)
        values["closure"] = query.choice("closure", "销号", CLOSURES)
        values["status"] = query.choice("status", "整改状态", [*Status.values, UNREPORTED])
        return cls(**values)

    def query(self) -> dict[str, str]:
        return {k: str(v) for k, v in vars(self).items() if v is not None}

    def describe(self) -> list[str]:
        """The filters in words, for the page heading."""
        words = []
        if self.round is not None:
            words.append(Round.objects.filter(pk=self.round).values_list("name", flat=True).first() or "")
        if self.category is not None:
            name = Category.objects.filter(pk=self.category).values_list("name", flat=True).first()
            words.append(name or "未归类")
        if self.accepted_week is not None:
            words.append(f"反馈后第{self.accepted_week}周销号")
        if self.light:
            words.append(LIGHTS[self.light])
        if self.closure:
            words.append(CLOSURES[self.closure])
        if self.status:
            words.append("具体问题：" + ("未报告状态" if self.status == UNREPORTED else self.status))
        return [w for w in words if w]


def apply(tasks: QuerySet[Task], f: TaskFilter, today: date) -> QuerySet[Task]:
    """Narrow the user's tasks (from `access.tasks_for`) by the filter."""
    if f.round is not None:
        tasks = tasks.filter(finding__inspection__round_id=f.round)
    if f.team is not None:
        tasks = tasks.filter(finding__inspection__team_id=f.team or None)
    if f.unit is not None:
        tasks = tasks.filter(finding__inspection__unit_id=f.unit)
    if f.inspection is not None:
        tasks = tasks.filter(finding__inspection_id=f.inspection)
    if f.category is not None:
        tasks = _by_category(tasks, f)
    if f.closure == "open":
        tasks = tasks.filter(closure=Closure.OPEN)
    elif f.closure == "requested":
        tasks = tasks.filter(closure=Closure.CLOSURE_REQUESTED)
    elif f.closure == "closed":
        tasks = tasks.filter(closure=Closure.CLOSED)
    if f.status == UNREPORTED:
        tasks = tasks.filter(finding__status__isnull=True)
    elif f.status:
        tasks = tasks.filter(finding__status=f.status)
    if f.light:
        tasks = tasks.filter(light_q(f.light, today, _committees(tasks)))
    if f.accepted_week is not None:
        tasks = tasks.filter(pk__in=_accepted_in_week(tasks, f.accepted_week))
    return tasks


def _accepted_in_week(tasks: QuerySet[Task], week: int) -> list[int]:
    from zhenggai.oversight.services.dashboard import acceptances

    inspections = {i.pk: i for i in Inspection.objects.filter(pk__in=tasks.values("finding__inspection_id"))}
    return [int(task_id) for _, task_id, w in acceptances(inspections) if w == week and task_id.isdigit()]


def apply_to_findings(findings: QuerySet[Finding], f: TaskFilter) -> QuerySet[Finding]:
    """The specific problems a leaf-level number counts (status, aspect, place), for the list's heading."""
    findings = findings.filter(kind=FindingKind.ITEM)
    if f.round is not None:
        findings = findings.filter(inspection__round_id=f.round)
    if f.team is not None:
        findings = findings.filter(inspection__team_id=f.team or None)
    if f.unit is not None:
        findings = findings.filter(inspection__unit_id=f.unit)
    if f.inspection is not None:
        findings = findings.filter(inspection_id=f.inspection)
    if f.category is not None:
        taxonomy_id = f.taxonomy or Taxonomy.objects.filter(is_default=True).values_list("pk", flat=True).first()
        placed = FindingCategory.objects.filter(finding_id=OuterRef("pk"), taxonomy_id=taxonomy_id)
        if f.category == 0:
            findings = findings.exclude(Exists(placed.filter(category__isnull=False)))
        else:
            findings = findings.filter(Exists(placed.filter(category_id=f.category)))
    if f.status == UNREPORTED:
        findings = findings.filter(status__isnull=True)
    elif f.status:
        findings = findings.filter(status=f.status)
    return findings


def _by_category(tasks: QuerySet[Task], f: TaskFilter) -> QuerySet[Task]:
    taxonomy_id = f.taxonomy or Taxonomy.objects.filter(is_default=True).values_list("pk", flat=True).first()
    placed = FindingCategory.objects.filter(finding_id=OuterRef("finding_id"), taxonomy_id=taxonomy_id)
    if f.category == 0:
        return tasks.exclude(Exists(placed.filter(category__isnull=False)))
    return tasks.filter(Exists(placed.filter(category_id=f.category)))


def _committees(tasks: QuerySet[Task]) -> list[Committee]:
    ids = tasks.values("finding__inspection__round__committee_id").distinct()
    return list(Committee.objects.filter(pk__in=ids))


def light_q(name: str, today: date, committees: list[Committee]) -> Q:
    """The tasks showing light `name` today: open, with a deadline, within the committee's bounds."""
    open_with_deadline = ~Q(closure=Closure.CLOSED) & Q(deadline__isnull=False)
    if name == "red":
        return open_with_deadline & Q(deadline__lt=today)
    bounds = Q(pk__in=[])
    for committee in committees:
        yellow_until = today + timedelta(days=committee.yellow_days)
        if name == "yellow":
            window = Q(deadline__gte=today, deadline__lte=yellow_until)
        else:
            window = Q(deadline__gt=yellow_until, deadline__lte=today + timedelta(days=committee.green_days))
        bounds |= Q(finding__inspection__round__committee=committee) & window
    return open_with_deadline & bounds
