"""The demo: one fictional county's round, its units' ledgers imported and worked on through the real
services, and a demo user for every role. Nothing here comes from the real sample reports.

The reports come from `zhenggai.fiction` (our own generator); their dates are moved so the round's
feedback lies about eighty days before today, deadlines fall around today (some overdue, some due
soon) and a few tasks have been asked for closure, returned or accepted — so every page has
something to show and every history entry was written by the service that made the change.

The demo creates logins with a public password and full rights, so it refuses a database that holds
anything it did not make (unless forced) and always refuses production settings. What it made is named
by one marker: the `demo_loaded` event, which lists the demo's committee, round and users.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction

from zhenggai.fiction import generate_round, to_text
from zhenggai.fiction.model import FictionalReport, cn_number
from zhenggai.ingest.ledgerdoc import LedgerDocument
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.history import record
from zhenggai.ledger.models import Closure, Event, Inspection, Round, Status, Task, TaskKind
from zhenggai.ledger.services.assign import assign_task
from zhenggai.ledger.services.closure import accept_closure, request_closure, return_closure
from zhenggai.ledger.services.import_ledger import import_document
from zhenggai.ledger.services.progress import add_evidence, add_note
from zhenggai.ledger.services.rounds import create_committee, create_round
from zhenggai.ledger.services.users import create_unit
from zhenggai.ledger.workflow import REQUESTABLE, transition
from zhenggai.org.models import Committee, Role, Unit, User

DEMO_PASSWORD = "demo12345"
DEMO_SOURCE_PREFIX = "fiction_"
MARKER = "demo_loaded"  # the event that names what the demo made
UNITS = 9
LEADERS = ("党组书记", "分管副局长", "纪检组长", "办公室主任", "分管副职")
DEPARTMENTS = ("办公室", "财务股", "人事股", "业务股", "机关党委")
KINDS = (TaskKind.IMMEDIATE, TaskKind.RULES, TaskKind.IMMEDIATE, TaskKind.LONG_TERM)
# Days from today to each task's deadline, cycled: a few overdue, several due within the yellow window.
DEADLINE_OFFSETS = (-12, -3, 2, 5, 8, 12, 16, 21, 28, 35, 45, 60)
# username → (role, display name); unit1/owner1 belong to the first unit, team1 to its team.
ROLE_USERS = {
    "office": (Role.OFFICE, "巡察办 周敏"),
    "supervisor": (Role.SUPERVISOR, "纪委监委 韩冰"),
    "team1": (Role.TEAM, "巡察组 陆远"),
    "unit1": (Role.UNIT_OFFICE, "整改办 沈青"),
    "owner1": (Role.RESPONSIBLE, "责任人 许安"),
}


@dataclass
class DemoSummary:
    committee: str
    round: str
    round_id: int
    units: int
    items: int
    tasks: int
    closed: int
    overdue: int
    due_soon: int
    rate_text: str
    unit1: str
    team1: str
    created: bool


def on_production() -> bool:
    """Production settings: DEBUG off and served over HTTPS or declared production (ZHENGGAI_PRODUCTION)."""
    return not settings.DEBUG and bool(settings.HTTPS or getattr(settings, "PRODUCTION", False))


def _marker() -> Event | None:
    return Event.objects.filter(action=MARKER).order_by("pk").first()


def demo_round() -> Round | None:
    """The round holding the demo's inspections, if the demo was loaded."""
    marker = _marker()
    if marker is not None:
        return Round.objects.filter(pk=(marker.after or {}).get("round")).first()
    # a demo loaded before the marker existed: known by its fictional source names
    inspection = Inspection.objects.filter(source_name__startswith=DEMO_SOURCE_PREFIX).order_by("pk").first()
    return inspection.round if inspection else None


def demo_users() -> list[User]:
    """The demo logins that still have the demo password (so none is printed once it was changed).

    They share one hash, so the slow password check runs once per distinct hash, not once per user.
    """
    order = list(ROLE_USERS)
    users = sorted(User.objects.filter(username__in=order, is_active=True), key=lambda u: order.index(u.username))
    still_demo = {digest: check_password(DEMO_PASSWORD, digest) for digest in {u.password for u in users}}
    return [u for u in users if still_demo[u.password]]


def has_other_data() -> bool:
    """Whether the database holds anything the demo did not make: a user, a committee or an inspection."""
    marker = _marker()
    if marker is not None:
        made = marker.after or {}
        return (
            User.objects.exclude(pk__in=made.get("users", [])).exists()
            or Committee.objects.exclude(pk=made.get("committee")).exists()
            or Inspection.objects.exclude(pk__in=made.get("inspections", [])).exists()
        )
    if demo_round() is not None:  # a demo from before the marker: known by names, as it was then
        if Inspection.objects.exclude(source_name__startswith=DEMO_SOURCE_PREFIX).exists():
            return True
        return User.objects.exclude(username__in=ROLE_USERS).exclude(username__startswith="owner").exists()
    return User.objects.exists() or Committee.objects.exists() or Inspection.objects.exists()


def check_allowed(*, force: bool, reset: bool) -> None:
    """Refuse what would put public demo logins into a real system, or wipe one."""
    if on_production():
        raise LedgerError(
            "当前为生产环境配置(DEBUG 关闭,且 ZHENGGAI_HTTPS=1 或 ZHENGGAI_PRODUCTION=1),"
            "不能载入演示数据:演示账号的密码是公开的"
        )
    if reset:
        if has_other_data():
            raise LedgerError("数据库中有演示以外的数据,--reset 只能清空纯演示数据库;未做任何改动")
        return
    if not force and demo_round() is None and has_other_data():
        raise LedgerError(
            "数据库中已有演示以外的用户或数据,载入演示会添加密码公开、拥有全部权限的演示账号"
            f"(office / {DEMO_PASSWORD});确需载入请加 --force"
        )


def reset() -> None:
    """Empty the whole database and the stored files. History is append-only, so nothing less will do;
    `check_allowed(reset=True)` makes sure the database holds nothing but the demo."""
    call_command("flush", interactive=False, verbosity=0)
    for folder in ("evidence", "results"):
        shutil.rmtree(settings.MEDIA_ROOT / folder, ignore_errors=True)


def load(seed: int, today: date) -> DemoSummary:
    """Load the demo unless it is there already; either way, describe it."""
    existing = demo_round()
    if existing is not None:
        return summarise(existing, today, created=False)
    taken = sorted(
        User.objects.filter(username__in=[*ROLE_USERS, *(f"owner{i}" for i in range(1, UNITS + 1))]).values_list(
            "username", flat=True
        )
    )
    if taken:
        raise LedgerError(f"用户名 {'、'.join(taken)} 已被占用,无法载入演示账号")
    with transaction.atomic():
        round_ = _build(seed, today)
    return summarise(round_, today, created=True)


def _unit_kind(name: str) -> str:
    rules = (
        (("镇党委", "乡党委", "街道"), Unit.Kind.TOWNSHIP),
        (("学校", "中学", "小学", "学院"), Unit.Kind.SCHOOL),
        (("医院", "中心"), Unit.Kind.INSTITUTION),
        (("公司", "集团"), Unit.Kind.ENTERPRISE),
    )
    for words, kind in rules:
        if any(word in name for word in words):
            return kind
    return Unit.Kind.DEPARTMENT


def _reports(seed: int) -> list[FictionalReport]:
    """Nine reports of one round, one per unit (the generator may name a unit twice)."""
    seen: dict[str, FictionalReport] = {}
    for report in generate_round(seed, units=UNITS + 6, level="县", show_status="all", statuses="early"):
        seen.setdefault(report.unit, report)
        if len(seen) == UNITS:
            break
    return list(seen.values())


def _document(report: FictionalReport, shift: timedelta, today: date) -> tuple[LedgerDocument, bytes]:
    """The report's ledger (its ground truth) with dates moved by `shift`, and the rendered text's bytes."""
    doc = report.to_ledger(container="txt", source=f"{report.name()}.txt")
    doc.report.source = f"{report.name()}.txt"
    meta = doc.inspection
    for holder, name in ((meta, "start"), (meta, "end"), (meta, "feedback_date"), (doc.report, "date")):
        value = getattr(holder, name)
        if value:
            moved = date.fromisoformat(value) + shift
            setattr(holder, name, min(moved, today - timedelta(days=1)).isoformat())
    doc.report.published = None
    return doc, to_text(report).encode("utf-8")


def _make_user(username: str, role: Role, display_name: str, *, password: str, unit=None, team=None) -> User:
    """A demo login. Created through the ORM because the demo password is deliberately short and public:
    the user service rightly refuses such a password for real accounts. `password` is its hash."""
    return User.objects.create(
        username=username, role=role, display_name=display_name, unit=unit, team=team, password=password
    )


def _build(seed: int, today: date) -> Round:
    reports = _reports(seed)
    first = reports[0]
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow by design
    office = _make_user("office", Role.OFFICE, ROLE_USERS["office"][1], password=password)
    committee = Committee.objects.filter(name=f"{first.place}委").first() or create_committee(
        actor=office, name=f"{first.place}委", plan_due_days=30, concentrated_months=3, report_due_months=2
    )
    number = seed % 6 + 1
    round_ = create_round(
        actor=office,
        committee=committee,
        name=f"{committee.name}第{cn_number(number)}轮巡察",
        year=today.year,
        number=number,
    )
    shift = (today - timedelta(days=80)) - first.feedback_date
    inspections = []
    for report in reports:
        doc, source = _document(report, shift, today)
        unit = Unit.objects.filter(committee=committee, name=report.unit).first() or create_unit(
            actor=office, committee=committee, name=report.unit, kind=_unit_kind(report.unit)
        )
        inspections.append(import_document(doc, round=round_, unit=unit, actor=office, source_bytes=source))

    _make_user("supervisor", Role.SUPERVISOR, ROLE_USERS["supervisor"][1], password=password)
    _make_user("team1", Role.TEAM, ROLE_USERS["team1"][1], password=password, team=inspections[0].team)
    unit1 = _make_user("unit1", Role.UNIT_OFFICE, ROLE_USERS["unit1"][1], password=password, unit=inspections[0].unit)
    for index, inspection in enumerate(inspections, 1):
        owner_name = ROLE_USERS["owner1"][1] if index == 1 else f"责任人 {index}号"
        owner = _make_user(f"owner{index}", Role.RESPONSIBLE, owner_name, password=password, unit=inspection.unit)
        _work_on(inspection, index, owner=owner, assigner=unit1 if index == 1 else office, office=office, today=today)
    made = User.objects.filter(username__in=[*ROLE_USERS, *(f"owner{i}" for i in range(1, len(inspections) + 1))])
    users = sorted(made.values_list("pk", flat=True))  # `load` refused before any of these names was taken
    record(
        actor=office,
        action=MARKER,
        obj=round_,
        after={
            "committee": committee.pk,
            "round": round_.pk,
            "inspections": [i.pk for i in inspections],
            "users": users,
        },
    )
    return round_


def _work_on(inspection: Inspection, index: int, *, owner: User, assigner: User, office: User, today: date) -> None:
    """Assign most tasks with deadlines around today; record progress; take a few through closure."""
    tasks = list(Task.objects.filter(finding__inspection=inspection).order_by("finding_id", "position"))
    for j, task in enumerate(tasks):
        assigned = j % 10 < 7
        assign_task(
            task,
            actor=assigner,
            responsible_leader=LEADERS[j % len(LEADERS)],
            department=DEPARTMENTS[(j + index) % len(DEPARTMENTS)],
            handler=owner if assigned else None,
            deadline=today + timedelta(days=DEADLINE_OFFSETS[(j + index) % len(DEADLINE_OFFSETS)]),
            kind=KINDS[j % len(KINDS)],
        )
    mine = [t for t in tasks if t.handler_id == owner.pk]
    ready = [t for t in mine if t.status in REQUESTABLE][: 4 if index == 1 else 3]
    for n, task in enumerate(ready):
        add_note(task, actor=owner, text="已按整改措施完成相关工作,形成制度文件和工作记录。")
        evidence = add_evidence(
            task,
            actor=owner,
            file=ContentFile(_evidence_text(inspection, task).encode("utf-8"), name="整改情况说明.txt"),
        )
        request_closure(task, actor=owner, note="整改已完成,申请销号。", evidence=[evidence])
        if n == 0 and index == 1:
            return_closure(task, actor=office, reason="佐证材料只有情况说明,请补充会议纪要或制度文件。")
            transition(task, actor=owner, to_status=Status.BASICALLY)
            add_note(task, actor=owner, text="已补充专题会议纪要,制度文件待印发。")
            request_closure(task, actor=owner, note="已补充材料,再次申请销号。")
        elif n < len(ready) - 1:
            accept_closure(task, actor=office)
    started = [t for t in mine if t.status == Status.IN_PROGRESS and t.closure == Closure.OPEN][:2]
    for task in started:
        add_note(task, actor=owner, text="已制定工作方案,正在逐项推进。")


def _evidence_text(inspection: Inspection, task: Task) -> str:
    return f"{inspection.unit.name}\n整改任务:{task.text}\n整改情况说明(演示材料,任务编号 {task.pk})\n"


def summarise(round_: Round, today: date, *, created: bool) -> DemoSummary:
    from zhenggai.ledger.stats import figures_for_round

    figures = figures_for_round(round_, today)
    inspections = Inspection.objects.filter(round=round_).select_related("unit", "team").order_by("pk")
    first = inspections.first()
    open_tasks = Task.objects.filter(finding__inspection__round=round_).exclude(closure=Closure.CLOSED)
    return DemoSummary(
        committee=round_.committee.name,
        round=round_.name,
        round_id=round_.pk,
        units=inspections.count(),
        items=figures.leaves,
        tasks=figures.tasks,
        closed=figures.closed,
        overdue=figures.overdue,
        due_soon=open_tasks.filter(deadline__gte=today, deadline__lte=today + timedelta(days=7)).count(),
        rate_text=figures.rate_text,
        unit1=first.unit.name if first else "",
        team1=(first.team.name if first and first.team else ""),
        created=created,
    )
