"""Reports from the ledger: statuses as of a date, drafts with their history, exemptions from the public
version, the late list of the progress report, and who may do what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from zhenggai.ingest import parse_bytes
from zhenggai.ledger.access import ROLE_ACTIONS
from zhenggai.ledger.errors import Forbidden, InvalidTransition, StaleEdit, ValidationFailed
from zhenggai.ledger.models import Event, Finding, Status, Task
from zhenggai.ledger.services.assign import assign_task
from zhenggai.ledger.services.progress import add_note
from zhenggai.ledger.workflow import transition
from zhenggai.org.models import Role
from zhenggai.reports.drafts import approve_draft, create_draft, edit_draft
from zhenggai.reports.exemptions import decide_exemption, propose_exemption, withdraw_exemption
from zhenggai.reports.models import Exemption, ReportDraft
from zhenggai.reports.permissions import LEDGER_ACTION, ROLES
from zhenggai.reports.render import render_report

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def text_of(inspection, actor, **options) -> str:
    return render_report(inspection, actor=actor, fmt="txt", **options).data.decode("utf-8-sig")


@pytest.fixture
def inspection(make_inspection):
    return make_inspection()


@pytest.fixture
def unit_office(make_user, inspection):
    return make_user("unit_office", unit=inspection.unit, username="unit_office")


def leaf(inspection, title_start: str) -> Finding:
    return Finding.objects.get(inspection=inspection, title__startswith=title_start)


def test_report_tables_agree_with_the_ledger_roles():
    for action, roles in ROLES.items():
        assert roles == {role for role, actions in ROLE_ACTIONS.items() if LEDGER_ACTION[action] in actions}, action


def test_every_format_renders_and_reads_back(inspection, office):
    for fmt in ("docx", "html", "txt"):
        rendered = render_report(inspection, actor=office, fmt=fmt, as_of=TODAY)
        back = parse_bytes(rendered.data, rendered.filename)
        assert len(back.leaves()) == 5, fmt
        assert rendered.filename.startswith("青溪县水利局党组-整改情况公布稿-公开版-") and rendered.filename.endswith(
            fmt
        )
    assert Event.objects.filter(action="report_exported").count() == 3


def test_statuses_and_counts_are_those_of_the_report_date(inspection, office):
    task = Task.objects.get(finding=leaf(inspection, "河道采砂"))
    transition(task, actor=office, to_status=Status.BASICALLY)
    now = text_of(inspection, office, as_of=TODAY)
    before = text_of(inspection, office, as_of=TODAY - timedelta(days=1))
    assert "基本完成整改1个" in now and "整改状态：基本完成。" in now
    assert "基本完成" not in before and "正在推进整改1个" in before


def test_the_public_version_leaves_out_exempt_items_with_the_same_counts(inspection, office, unit_office):
    hidden = leaf(inspection, "部分河段")
    measure = Task.objects.get(finding=leaf(inspection, "集体决策"), position=1)
    propose_exemption(inspection, actor=unit_office, ground="case", reason="正在查处", finding=hidden)
    approved = propose_exemption(inspection, actor=unit_office, ground="state_secret", reason="定密事项", task=measure)
    decide_exemption(approved, actor=office, approve=True)
    full = text_of(inspection, office, version="full", as_of=TODAY)
    public = text_of(inspection, office, version="public", as_of=TODAY)
    assert "部分河段巡河记录流于形式" in full and "开展制度执行情况自查" in full
    assert "部分河段巡河记录流于形式" not in public and "开展制度执行情况自查" not in public
    assert "另有1个问题按规定不予公开；已公开问题中另有1项整改措施按规定不予公开。" in public
    counts = [line for line in full.splitlines() if "巡察反馈的" in line]
    assert counts and counts[0] in public  # the approved report's counts, in both versions


def test_a_rejected_exemption_is_published_again(inspection, office, unit_office):
    proposal = propose_exemption(
        inspection, actor=unit_office, ground="negative_hype", reason="易被炒作", finding=leaf(inspection, "部分河段")
    )
    with pytest.raises(ValidationFailed):
        decide_exemption(proposal, actor=office, approve=False)  # a refusal needs a reason
    decide_exemption(proposal, actor=office, approve=False, note="不属于不予公开范围")
    assert "部分河段巡河记录流于形式" in text_of(inspection, office, version="public", as_of=TODAY)
    with pytest.raises(InvalidTransition):
        decide_exemption(proposal, actor=office, approve=True)
    assert list(Event.objects.filter(object_type="exemption").values_list("action", flat=True)) == [
        "exemption_proposed",
        "exemption_rejected",
    ]


def test_exemption_rules(inspection, office, unit_office, make_user, make_inspection, make_doc):
    target = leaf(inspection, "部分河段")
    with pytest.raises(Forbidden):
        propose_exemption(
            inspection,
            actor=make_user("responsible", unit=inspection.unit),
            ground="case",
            reason="在查",
            finding=target,
        )
    proposal = propose_exemption(inspection, actor=unit_office, ground="case", reason="在查", finding=target)
    with pytest.raises(ValidationFailed, match="已申请"):
        propose_exemption(inspection, actor=office, ground="case", reason="在查", finding=target)
    with pytest.raises(Forbidden):
        decide_exemption(proposal, actor=unit_office, approve=True)  # only the office decides
    other_doc = make_doc()
    other_doc.inspection.unit = "青溪县林业局党组"
    other = make_inspection(other_doc, round=inspection.round)
    with pytest.raises(ValidationFailed, match="不属于本次巡察"):
        propose_exemption(other, actor=office, ground="case", reason="在查", finding=target)
    withdraw_exemption(proposal, actor=unit_office)
    assert not Exemption.objects.exists()


def test_drafts_keep_their_history(inspection, office, unit_office):
    draft = create_draft(inspection, actor=unit_office, kind="public", as_of=date(2024, 8, 30))
    edit_draft(
        draft, actor=unit_office, sections={"organisation": "成立领导小组。\n召开专题会议。"}, expected_revision=1
    )
    assert draft.revision == 2
    with pytest.raises(StaleEdit):
        edit_draft(draft, actor=unit_office, sections={"organisation": "另一稿"}, expected_revision=1)
    approve_draft(draft, actor=office)
    assert draft.state == ReportDraft.State.APPROVED
    edit_draft(draft, actor=unit_office, sections={"organisation": "成立领导小组。", "next_steps": "继续推进。"})
    assert (draft.revision, draft.state, draft.approved_by) == (3, ReportDraft.State.DRAFT, None)
    events = list(Event.objects.filter(object_type="reportdraft").order_by("id"))
    assert [e.action for e in events] == ["report_drafted", "report_edited", "report_approved", "report_edited"]
    assert (
        events[1].before == {"organisation": None}
        and events[1].after["organisation"] == "成立领导小组。\n召开专题会议。"
    )
    assert events[3].before == {"organisation": "成立领导小组。\n召开专题会议。", "next_steps": None}
    assert events[3].after["approval_withdrawn"] is True
    text = text_of(inspection, office, draft=draft)
    assert "成立领导小组。" in text and "继续推进。" in text and "召开专题会议" not in text
    assert "截至2024年8月30日" in text and text.rstrip().endswith("2024年8月30日")


def test_draft_rules(inspection, office, unit_office, make_user):
    with pytest.raises(Forbidden):
        create_draft(inspection, actor=make_user("supervisor"), kind="public", as_of=TODAY)
    draft = create_draft(inspection, actor=unit_office, kind="progress", as_of=TODAY)
    with pytest.raises(Forbidden):
        approve_draft(draft, actor=unit_office)
    with pytest.raises(ValidationFailed):
        edit_draft(draft, actor=unit_office, sections={"title": "长" * 201})
    with pytest.raises(ValidationFailed, match="不属于本次巡察"):
        edit_draft(draft, actor=unit_office, sections={"late_reasons": {"999999": "原因"}})


def test_progress_report_lists_the_late_tasks_with_their_reasons(inspection, office, unit_office):
    late = Task.objects.get(finding=leaf(inspection, "河道采砂"))
    assign_task(late, actor=office, deadline=TODAY - timedelta(days=10), department="执法大队")
    add_note(late, actor=office, text="已联合执法一次")
    closed_in_time = Task.objects.get(finding=leaf(inspection, "防汛物资"))
    assign_task(closed_in_time, actor=office, deadline=TODAY + timedelta(days=5))
    text = text_of(inspection, office, kind="progress", as_of=TODAY)
    assert "共有1项整改任务超过整改时限尚未完成销号" in text
    assert "“联合开展执法两次”，责任科室为执法大队" in text and "已逾期10天。原因：已联合执法一次" in text
    draft = create_draft(inspection, actor=unit_office, kind="progress", as_of=TODAY)
    edit_draft(draft, actor=unit_office, sections={"late_reasons": {str(late.pk): "汛期执法力量抽调防汛"}})
    assert "原因：汛期执法力量抽调防汛" in text_of(inspection, office, draft=draft)
    # as of a day before the deadline was set, nothing was late
    assert "无逾期未完成的整改任务" in text_of(inspection, office, kind="progress", as_of=TODAY - timedelta(days=30))


def test_who_may_download(inspection, office, make_user, make_team):
    responsible = make_user("responsible", unit=inspection.unit)
    Task.objects.filter(finding__inspection=inspection).update(handler=responsible)
    for user in (office, make_user("supervisor"), make_user("team", team=inspection.team)):
        assert render_report(inspection, actor=user, fmt="txt").data
    for user in (responsible, make_user("team", team=make_team("县委第五巡察组"))):
        with pytest.raises(Forbidden):
            render_report(inspection, actor=user, fmt="txt")


def test_users_are_not_in_the_role_table_by_accident():
    assert set(ROLES) and all(role in Role for roles in ROLES.values() for role in roles)
