"""The smaller use cases: assignment, progress and evidence, results, users, committees and rounds."""

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from zhenggai.ledger.errors import Forbidden, StaleEdit, ValidationFailed
from zhenggai.ledger.models import Event, Evidence, Result, ResultKind, Task, TaskKind
from zhenggai.ledger.services.assign import assign_task
from zhenggai.ledger.services.progress import add_evidence, add_note
from zhenggai.ledger.services.results import add_result, delete_result
from zhenggai.ledger.services.rounds import create_committee, create_round, set_calendar
from zhenggai.ledger.services.users import create_unit, create_user, deactivate, set_role
from zhenggai.org.models import Role, User

STRONG = "青溪整改-2024-台账"


@pytest.fixture
def unit_ledger(make_inspection, make_user):
    inspection = make_inspection()
    unit_office = make_user("unit_office", unit=inspection.unit)
    person = make_user("responsible", unit=inspection.unit)
    task = Task.objects.filter(finding__inspection=inspection).order_by("pk").first()
    return inspection, unit_office, person, task


def test_assign_sets_responsibility_and_records_what_changed(unit_ledger):
    inspection, unit_office, person, task = unit_ledger
    assign_task(
        task,
        actor=unit_office,
        expected_version=1,
        responsible_leader="副局长 王某",
        department=" 河湖管理股 ",
        handler=person,
        deadline=date(2024, 8, 20),
        kind=TaskKind.RULES,
    )
    task.refresh_from_db()
    assert (task.department, task.handler, task.deadline, task.kind, task.version) == (
        "河湖管理股",
        person,
        date(2024, 8, 20),
        TaskKind.RULES,
        2,
    )
    event = Event.objects.get(action="assigned")
    assert event.before == {"responsible_leader": "", "department": "", "handler": None, "deadline": None, "kind": None}
    assert event.after["handler"] == person.pk and event.after["deadline"] == "2024-08-20"
    assert event.inspection == inspection


def test_assign_leaves_unset_fields_alone_and_checks_the_version(unit_ledger):
    _, unit_office, _, task = unit_ledger
    assign_task(task, actor=unit_office, expected_version=1, department="办公室")
    assign_task(task, actor=unit_office, expected_version=2, deadline=date(2024, 9, 1))
    assert (task.department, task.deadline) == ("办公室", date(2024, 9, 1))
    with pytest.raises(StaleEdit):
        assign_task(task, actor=unit_office, expected_version=2, department="财务股")
    assert Task.objects.get(pk=task.pk).department == "办公室"


def test_the_handler_must_belong_to_the_unit(unit_ledger, make_user, make_unit):
    _, unit_office, _, task = unit_ledger
    outsider = make_user("responsible", unit=make_unit(name="青溪县林业局党组"))
    with pytest.raises(ValidationFailed) as refused:
        assign_task(task, actor=unit_office, handler=outsider)
    assert "handler" in refused.value.errors


def test_notes_are_appended(unit_ledger):
    _, _, person, task = unit_ledger
    Task.objects.filter(pk=task.pk).update(handler=person)
    note = add_note(task, actor=person, text="  已召开专题会议部署整改。 ")
    assert note.text == "已召开专题会议部署整改。"
    with pytest.raises(ValidationFailed):
        add_note(task, actor=person, text="   ")


def test_evidence_is_stored_with_its_hash_under_the_inspection(unit_ledger, settings):
    inspection, unit_office, _, task = unit_ledger
    content = b"%PDF-1.4 fictional minutes"
    evidence = add_evidence(task, actor=unit_office, file=ContentFile(content, name="../../专题会议纪要.PDF"))
    assert evidence.original_name == "专题会议纪要.PDF"
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert (evidence.size, evidence.content_type) == (len(content), "application/pdf")
    assert evidence.file.name.startswith(f"evidence/{inspection.pk}/") and evidence.file.name.endswith(".pdf")
    assert (settings.MEDIA_ROOT / evidence.file.name).read_bytes() == content
    with pytest.raises(ValidationFailed, match="上传过"):
        add_evidence(task, actor=unit_office, file=ContentFile(content, name="again.pdf"))


def test_evidence_size_and_type_limits(unit_ledger, settings):
    _, unit_office, _, task = unit_ledger
    settings.ZHENGGAI_EVIDENCE_MAX_BYTES = 10
    with pytest.raises(ValidationFailed, match="上限"):
        add_evidence(task, actor=unit_office, file=ContentFile(b"x" * 11, name="big.pdf"))
    with pytest.raises(ValidationFailed, match="不支持"):
        add_evidence(task, actor=unit_office, file=ContentFile(b"<script>", name="page.html"))
    with pytest.raises(ValidationFailed, match="为空"):
        add_evidence(task, actor=unit_office, file=ContentFile(b"", name="empty.pdf"))
    assert Evidence.objects.count() == 0


def test_supervisors_only_read(unit_ledger, make_user):
    _, _, _, task = unit_ledger
    supervisor = make_user("supervisor")
    with pytest.raises(Forbidden):
        add_note(task, actor=supervisor, text="督促")


def test_results_count_people_never_name_them(unit_ledger, office):
    inspection, unit_office, _, _ = unit_ledger
    money = add_result(
        inspection, actor=unit_office, kind=ResultKind.MONEY_RECOVERED, title="追缴违规发放补贴", amount="12500.50"
    )
    assert money.amount == Decimal("12500.50")
    people = add_result(inspection, actor=unit_office, kind=ResultKind.ACCOUNTABILITY, title="问责处理", count=3)
    assert people.count == 3
    with pytest.raises(ValidationFailed):
        add_result(inspection, actor=unit_office, kind=ResultKind.ACCOUNTABILITY, title="问责处理")
    with pytest.raises(ValidationFailed):
        add_result(inspection, actor=unit_office, kind=ResultKind.RULE_REVISED, title="修订制度", amount="5")
    delete_result(money, actor=office)
    assert Event.objects.get(action="result_deleted").before["amount"] == "12500.50"


@pytest.mark.parametrize("entered", ["12.345", "0.50", "3", "1200.000001"])
def test_an_amount_is_kept_exactly_as_entered(unit_ledger, entered):
    inspection, unit_office, _, _ = unit_ledger
    added = add_result(inspection, actor=unit_office, kind=ResultKind.MONEY_RETURNED, title="退缴", amount=entered)
    again = Result.objects.get(pk=added.pk)
    assert str(again.amount) == entered and format(again.amount, "f") == entered


@pytest.mark.parametrize("entered", ["1e3", "-1", "12.1234567", "12,5", "十万", "NaN"])
def test_an_amount_that_is_not_plain_wan_yuan_is_refused(unit_ledger, entered):
    inspection, unit_office, _, _ = unit_ledger
    with pytest.raises(ValidationFailed) as refused:
        add_result(inspection, actor=unit_office, kind=ResultKind.LOSS_RETRIEVED, title="挽回损失", amount=entered)
    assert "万元" in refused.value.message
    assert not Result.objects.filter(inspection=inspection).exists()


@pytest.mark.parametrize(
    "kind", [ResultKind.DISCIPLINE, ResultKind.ORGANISATIONAL, ResultKind.ADMONITION, ResultKind.CRITICISM]
)
def test_each_kind_of_accountability_is_a_count(unit_ledger, kind):
    inspection, unit_office, _, _ = unit_ledger
    with pytest.raises(ValidationFailed):
        add_result(inspection, actor=unit_office, kind=kind, title="问责")
    assert add_result(inspection, actor=unit_office, kind=kind, title="问责", count=2).count == 2


def test_the_office_creates_users_with_checked_passwords(office, make_unit):
    unit = make_unit()
    user = create_user(
        actor=office, username="wang", password=STRONG, role=Role.RESPONSIBLE, unit=unit, display_name="王某"
    )
    assert user.check_password(STRONG) and user.unit == unit
    assert "password" not in Event.objects.get(action="user_created").after
    with pytest.raises(ValidationFailed) as refused:
        create_user(actor=office, username="li", password="123", role=Role.RESPONSIBLE, unit=unit)
    assert "password" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        create_user(actor=office, username="zhao", password=STRONG, role=Role.UNIT_OFFICE)
    assert "unit" in refused.value.errors
    with pytest.raises(ValidationFailed):
        create_user(actor=office, username="wang", password=STRONG, role=Role.SUPERVISOR)


def test_roles_change_and_users_are_deactivated_not_deleted(office, make_user, make_team):
    user = make_user("supervisor")
    set_role(user, actor=office, role=Role.TEAM, team=make_team())
    assert User.objects.get(pk=user.pk).team is not None
    deactivate(user, actor=office)
    assert not User.objects.get(pk=user.pk).is_active
    with pytest.raises(ValidationFailed):
        deactivate(office, actor=office)


def test_only_the_office_manages_users(make_user, make_unit):
    unit = make_unit()
    unit_office = make_user("unit_office", unit=unit)
    with pytest.raises(Forbidden):
        create_user(actor=unit_office, username="x", password=STRONG, role=Role.RESPONSIBLE, unit=unit)
    with pytest.raises(Forbidden):
        create_unit(actor=unit_office, committee=unit.committee, name="新单位")


def test_committees_carry_their_calendar(office):
    committee = create_committee(actor=office, name="白鹭县委", report_due_months=3)
    assert (committee.plan_due_days, committee.report_due_months, committee.green_days) == (30, 3, 20)
    set_calendar(committee, actor=office, green_days=15, yellow_days=5)
    assert (committee.green_days, committee.yellow_days) == (15, 5)
    with pytest.raises(ValidationFailed):
        set_calendar(committee, actor=office, yellow_days=16)
    round_ = create_round(actor=office, committee=committee, name="第一轮巡察", year=2024, number=1)
    assert round_.committee == committee
    with pytest.raises(ValidationFailed):
        create_round(actor=office, committee=committee, name="第一轮巡察", year=2024)
