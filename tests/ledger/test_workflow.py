"""The task workflow: the allowed transitions, closure (销号), optimistic locking, status roll-up."""

import pytest
from django.core.files.base import ContentFile

from zhenggai.ledger.errors import Forbidden, InvalidTransition, StaleEdit, ValidationFailed
from zhenggai.ledger.models import Closure, ClosureRequest, Decision, Event, Finding, Status, Task
from zhenggai.ledger.services.closure import accept_closure, reopen, request_closure, return_closure
from zhenggai.ledger.services.findings import pin_status
from zhenggai.ledger.services.progress import add_evidence
from zhenggai.ledger.workflow import STATUS_TRANSITIONS, transition


@pytest.fixture
def ledger(make_inspection, make_user):
    """An imported inspection, its unit office, and a responsible person handling one open task."""
    inspection = make_inspection()
    unit_office = make_user("unit_office", unit=inspection.unit)
    person = make_user("responsible", unit=inspection.unit)
    task = Task.objects.get(finding__title="河道采砂监管存在空档。")
    task.handler = person
    task.save()
    return inspection, unit_office, person, task


def test_every_status_has_a_row_in_the_table():
    assert set(STATUS_TRANSITIONS) == set(Status)


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s, targets in STATUS_TRANSITIONS.items() for t in targets],
)
def test_allowed_status_changes(ledger, source, target):
    _, unit_office, _, task = ledger
    Task.objects.filter(pk=task.pk).update(status=source)
    task.refresh_from_db()
    transition(task, actor=unit_office, to_status=target, expected_version=task.version)
    assert Task.objects.get(pk=task.pk).status == target


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s in Status for t in Status if t not in STATUS_TRANSITIONS[s]],
)
def test_refused_status_changes(ledger, source, target):
    _, unit_office, _, task = ledger
    Task.objects.filter(pk=task.pk).update(status=source)
    task.refresh_from_db()
    with pytest.raises(InvalidTransition):
        transition(task, actor=unit_office, to_status=target)
    assert Task.objects.get(pk=task.pk).status == source


def test_completed_is_reached_only_through_accepted_closure(ledger):
    _, _, person, task = ledger
    with pytest.raises(InvalidTransition, match="须经申请销号"):
        transition(task, actor=person, to_status=Status.COMPLETED)


def test_closure_request_returned_with_reason_then_accepted(ledger, office):
    inspection, _, person, task = ledger
    transition(task, actor=person, to_status=Status.BASICALLY, expected_version=task.version)
    evidence = add_evidence(task, actor=person, file=ContentFile(b"%PDF-1.4 minutes", name="会议纪要.pdf"))

    request_closure(task, actor=person, evidence=[evidence], note="已开展联合执法两次", expected_version=task.version)
    assert task.closure == Closure.CLOSURE_REQUESTED

    with pytest.raises(ValidationFailed):
        return_closure(task, actor=office, reason="  ")
    return_closure(task, actor=office, reason="佐证材料不足，请补充执法记录", expected_version=task.version)
    assert (task.closure, task.status) == (Closure.OPEN, Status.IN_PROGRESS)

    transition(task, actor=person, to_status=Status.BASICALLY, expected_version=task.version)
    request_closure(task, actor=person, note="补充了执法记录", expected_version=task.version)
    accept_closure(task, actor=office, expected_version=task.version)
    assert (task.closure, task.status) == (Closure.CLOSED, Status.COMPLETED)
    assert task.closed_at is not None

    decisions = list(ClosureRequest.objects.filter(task=task).values_list("decision", "reason"))
    assert decisions == [(Decision.RETURNED, "佐证材料不足，请补充执法记录"), (Decision.ACCEPTED, "")]
    actions = list(Event.objects.filter(object_type="task", object_id=str(task.pk)).values_list("action", flat=True))
    assert actions == [
        "status_changed",
        "closure_requested",
        "closure_returned",
        "status_changed",
        "closure_requested",
        "closure_accepted",
    ]
    returned = Event.objects.get(action="closure_returned")
    assert returned.before == {"status": "基本完成", "closure": "requested", "version": 3}
    assert returned.after["reason"] == "佐证材料不足，请补充执法记录"
    assert returned.actor == office and returned.inspection == inspection


def test_closure_needs_a_done_status(ledger):
    _, _, person, task = ledger
    with pytest.raises(InvalidTransition):
        request_closure(task, actor=person, note="已整改")


def test_closure_needs_evidence_or_a_note(ledger):
    _, _, person, task = ledger
    transition(task, actor=person, to_status=Status.BASICALLY)
    with pytest.raises(ValidationFailed):
        request_closure(task, actor=person)
    assert Task.objects.get(pk=task.pk).closure == Closure.OPEN


def test_evidence_of_another_task_is_refused(ledger, office):
    _, unit_office, person, task = ledger
    other = Task.objects.exclude(pk=task.pk).first()
    foreign = add_evidence(other, actor=unit_office, file=ContentFile(b"%PDF-1.4 x", name="a.pdf"))
    transition(task, actor=person, to_status=Status.BASICALLY)
    with pytest.raises(ValidationFailed):
        request_closure(task, actor=person, evidence=[foreign])


def test_no_status_change_while_closure_is_pending_or_done(ledger, office):
    _, _, person, task = ledger
    transition(task, actor=person, to_status=Status.LONG_TERM)
    request_closure(task, actor=person, note="已建立长效机制")
    with pytest.raises(InvalidTransition):
        transition(task, actor=person, to_status=Status.IN_PROGRESS)
    accept_closure(task, actor=office)
    with pytest.raises(InvalidTransition):
        transition(task, actor=person, to_status=Status.IN_PROGRESS)
    with pytest.raises(InvalidTransition):
        accept_closure(task, actor=office)


def test_only_the_office_decides_and_the_office_does_not_ask(ledger, office):
    _, unit_office, person, task = ledger
    transition(task, actor=person, to_status=Status.BASICALLY)
    with pytest.raises(Forbidden):
        request_closure(task, actor=office, note="代为申请")
    request_closure(task, actor=person, note="已完成")
    for someone in (person, unit_office):
        with pytest.raises(Forbidden):
            accept_closure(task, actor=someone)
    assert Task.objects.get(pk=task.pk).closure == Closure.CLOSURE_REQUESTED


def test_office_reopens_a_closed_task_with_a_reason(ledger, office):
    _, _, person, task = ledger
    transition(task, actor=person, to_status=Status.BASICALLY)
    request_closure(task, actor=person, note="已完成")
    accept_closure(task, actor=office)
    with pytest.raises(ValidationFailed):
        reopen(task, actor=office, reason="")
    reopen(task, actor=office, reason="回头看发现问题反弹")
    assert (task.closure, task.status, task.closed_at) == (Closure.OPEN, Status.IN_PROGRESS, None)


def test_second_edit_with_the_same_version_is_refused_and_the_first_kept(ledger):
    _, unit_office, person, task = ledger
    seen = task.version
    first_page, second_page = Task.objects.get(pk=task.pk), Task.objects.get(pk=task.pk)
    transition(first_page, actor=person, to_status=Status.BASICALLY, expected_version=seen)
    with pytest.raises(StaleEdit) as refused:
        transition(second_page, actor=unit_office, to_status=Status.LONG_TERM, expected_version=seen)
    assert refused.value.message == f"该任务已被他人修改（当前版本{seen + 1}），请刷新后再提交，您的内容已保留"
    current = Task.objects.get(pk=task.pk)
    assert (current.status, current.version) == (Status.BASICALLY, seen + 1)
    assert Event.objects.filter(action="status_changed").count() == 1


def test_problem_status_follows_its_tasks(ledger, office):
    _, _, person, task = ledger
    leaf = task.finding
    assert leaf.status == Status.IN_PROGRESS
    transition(task, actor=person, to_status=Status.LONG_TERM)
    leaf.refresh_from_db()
    assert leaf.status == Status.LONG_TERM
    # The middle problem rolls up from its two specific problems: 完成整改 and now 长期坚持.
    assert Finding.objects.get(pk=leaf.parent_id).status == Status.LONG_TERM
    assert Event.objects.filter(action="status_derived").count() >= 2


def test_a_pinned_status_is_kept(ledger, office):
    _, unit_office, person, task = ledger
    leaf = task.finding
    pin_status(leaf, actor=unit_office, status=Status.BASICALLY)
    transition(task, actor=person, to_status=Status.LONG_TERM)
    leaf.refresh_from_db()
    assert (leaf.status, leaf.status_pinned) == (Status.BASICALLY, True)
    # Its parent rolls up from the pinned value: 完成整改 + 基本完成.
    assert Finding.objects.get(pk=leaf.parent_id).status == Status.BASICALLY
    pin_status(leaf, actor=unit_office, status=None)
    leaf.refresh_from_db()
    assert (leaf.status, leaf.status_pinned) == (Status.LONG_TERM, False)


def test_exactly_one_kind_of_change_at_a_time(ledger):
    _, _, person, task = ledger
    with pytest.raises(ValueError):
        transition(task, actor=person)
    with pytest.raises(ValueError):
        transition(task, actor=person, to_status=Status.BASICALLY, closure_action="request")
