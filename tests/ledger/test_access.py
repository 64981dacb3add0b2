"""Who sees and does what: the role matrix, on the scoped querysets and on `can()`.

Two units of one committee, each with an imported ledger; every role looks at unit A's.
"""

import logging

import pytest
from django.contrib.auth.models import AnonymousUser

from zhenggai.ledger.access import Action, can, findings_for, inspections_for, tasks_for
from zhenggai.ledger.errors import Forbidden
from zhenggai.ledger.models import Event, Finding, Task
from zhenggai.ledger.services.assign import assign_task

ROLES = [
    "office",
    "supervisor",
    "team_a",
    "unit_office_a",
    "responsible_a",
    "responsible_idle",
    "unit_office_b",
    "no_role",
    "inactive",
    "anonymous",
]


@pytest.fixture
def world(make_inspection, make_doc, make_user, office):
    a = make_inspection()
    doc_b = make_doc()
    doc_b.inspection.unit, doc_b.inspection.team = "青溪县林业局党组", "县委第三巡察组"
    b = make_inspection(doc_b, round=a.round)
    task_a = Task.objects.filter(finding__inspection=a).order_by("pk").first()
    users = {
        "office": office,
        "supervisor": make_user("supervisor"),
        "team_a": make_user("team", team=a.team),
        "unit_office_a": make_user("unit_office", unit=a.unit),
        "responsible_a": make_user("responsible", unit=a.unit),
        "responsible_idle": make_user("responsible", unit=a.unit),
        "unit_office_b": make_user("unit_office", unit=b.unit),
        "no_role": make_user(""),
        "inactive": make_user("office", is_active=False),
        "anonymous": AnonymousUser(),
    }
    task_a.handler = users["responsible_a"]
    task_a.save()
    return {"a": a, "b": b, "task_a": task_a, "users": users}


# What each role sees: (inspections, findings, tasks) as sets of which ledgers / how many tasks.
SEES = {
    "office": ({"a", "b"}, 16, 14),
    "supervisor": ({"a", "b"}, 16, 14),
    "team_a": ({"a"}, 8, 7),
    "unit_office_a": ({"a"}, 8, 7),
    "responsible_a": ({"a"}, 8, 1),  # the whole tree of A, but only their own task
    "responsible_idle": (set(), 0, 0),
    "unit_office_b": ({"b"}, 8, 7),
    "no_role": (set(), 0, 0),
    "inactive": (set(), 0, 0),
    "anonymous": (set(), 0, 0),
}


@pytest.mark.parametrize("who", ROLES)
def test_scoped_querysets(world, who):
    user = world["users"][who]
    names = {k for k in ("a", "b") if inspections_for(user).filter(pk=world[k].pk).exists()}
    assert (names, findings_for(user).count(), tasks_for(user).count()) == SEES[who]


# What each role may do to unit A's ledger: task-level actions on A's handled task,
# ledger-level ones on inspection A (edit: may edit its tasks), system-wide ones on nothing in particular.
TASK_ACTIONS = [
    Action.VIEW,
    Action.EDIT_TASK,
    Action.ASSIGN,
    Action.ADD_PROGRESS,
    Action.REQUEST_CLOSURE,
    Action.DECIDE_CLOSURE,
]
LEDGER_ACTIONS = [Action.VIEW, Action.EXPORT, Action.MANAGE_RESULTS, Action.EDIT_TASK]
SYSTEM_ACTIONS = [Action.IMPORT, Action.MANAGE_USERS, Action.PUBLISH]
MAY = {
    #                      task: view edit assign progress request decide | ledger: view export results edit | system
    "office":           ("1 1 1 1 0 1", "1 1 1 1", "1 1 1"),
    "supervisor":       ("1 0 0 0 0 0", "1 1 0 0", "0 0 0"),
    "team_a":           ("1 0 0 0 0 0", "1 1 0 0", "0 0 0"),
    "unit_office_a":    ("1 1 1 1 1 0", "1 1 1 1", "0 0 0"),
    "responsible_a":    ("1 1 0 1 1 0", "1 0 0 0", "0 0 0"),
    "responsible_idle": ("0 0 0 0 0 0", "0 0 0 0", "0 0 0"),
    "unit_office_b":    ("0 0 0 0 0 0", "0 0 0 0", "0 0 0"),
    "no_role":          ("0 0 0 0 0 0", "0 0 0 0", "0 0 0"),
    "inactive":         ("0 0 0 0 0 0", "0 0 0 0", "0 0 0"),
    "anonymous":        ("0 0 0 0 0 0", "0 0 0 0", "0 0 0"),
}  # fmt: skip


def _row(bits: str) -> list[bool]:
    return [bit == "1" for bit in bits.split()]


@pytest.mark.parametrize("who", ROLES)
def test_can_matrix(world, who):
    user, task, inspection = world["users"][who], world["task_a"], world["a"]
    task_row, ledger_row, system_row = MAY[who]
    assert {a: can(user, a, task) for a in TASK_ACTIONS} == dict(zip(TASK_ACTIONS, _row(task_row), strict=True))
    assert {a: can(user, a, inspection) for a in LEDGER_ACTIONS} == dict(
        zip(LEDGER_ACTIONS, _row(ledger_row), strict=True)
    )
    assert {a: can(user, a, None) for a in SYSTEM_ACTIONS} == dict(zip(SYSTEM_ACTIONS, _row(system_row), strict=True))


def test_a_responsible_person_acts_only_on_their_own_tasks(world):
    person = world["users"]["responsible_a"]
    other = Task.objects.filter(finding__inspection=world["a"]).exclude(pk=world["task_a"].pk).first()
    assert not can(person, Action.VIEW, other)
    assert not can(person, Action.EDIT_TASK, other)
    assert can(person, Action.VIEW, Finding.objects.filter(inspection=world["a"]).first())


def test_only_the_office_and_the_unit_pin_statuses(world):
    leaf = world["task_a"].finding
    allowed = {who for who in ROLES if can(world["users"][who], Action.PIN_STATUS, leaf)}
    assert allowed == {"office", "unit_office_a"}


def test_refusals_are_logged_and_recorded(world, caplog):
    intruder, task = world["users"]["unit_office_b"], world["task_a"]
    with caplog.at_level(logging.WARNING, logger="zhenggai.security"), pytest.raises(Forbidden) as refused:
        assign_task(task, actor=intruder, department="办公室")
    assert refused.value.message == "您没有权限进行此操作"
    assert any(
        r.name == "zhenggai.security" and intruder.username in r.getMessage() and "assign" in r.getMessage()
        for r in caplog.records
    )
    denial = Event.objects.get(action="denied")
    assert (denial.actor, denial.object_type, denial.object_id) == (intruder, "task", str(task.pk))
    assert denial.after == {"action": "assign"} and denial.inspection == world["a"]
    assert Task.objects.get(pk=task.pk).department == ""
