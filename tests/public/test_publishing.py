"""The publishing workflow through its services: submit, approve or return, correct, withdraw."""

from __future__ import annotations

import pytest

from tests.public.conftest import SECRETS
from zhenggai.ledger.errors import Forbidden, InvalidTransition, ValidationFailed
from zhenggai.ledger.models import Event
from zhenggai.public.models import Notice, PublicReport, Revision
from zhenggai.public.search import search
from zhenggai.public.services.decide import approve, send_back
from zhenggai.public.services.submit import submit_public_version
from zhenggai.public.services.withdraw import withdraw

pytestmark = pytest.mark.django_db


def test_approved_report_is_live_with_its_date_and_snapshot(world):
    report, revision = world["report"], world["revision"]
    revision.refresh_from_db()
    report.refresh_from_db()
    assert report.state == PublicReport.State.PUBLISHED
    assert report.published_on is not None
    assert revision.live and revision.state == Revision.State.APPROVED and revision.search_seq
    assert revision.title.startswith("中共青溪县水利局党组")
    assert "河湖长制落实不扎实" in revision.body_text
    assert SECRETS["exempt"] not in revision.body_text and SECRETS["exempt"] not in revision.body_html
    assert revision.counts["items"] == 5  # the counts cover the whole ledger
    assert "zhenggai@example.org" in revision.body_text
    actions = list(Event.objects.filter(inspection=world["a"]).values_list("action", flat=True))
    assert "public_submitted" in actions and "public_approved" in actions


def test_the_pending_submission_is_not_public(world):
    pending = world["pending"]
    assert pending.state == Revision.State.SUBMITTED and not pending.live
    assert pending.report.state == PublicReport.State.PENDING
    assert SECRETS["draft"] in pending.body_text
    assert search(SECRETS["draft"]).hits == []


def test_only_the_unit_office_and_the_office_submit(world):
    users = world["users"]
    for name in ("supervisor", "team_own", "responsible_own", "unit_office_other"):
        with pytest.raises(Forbidden):
            submit_public_version(world["a"], actor=users[name], correction_note="x")


def test_only_the_office_decides(world):
    for name in ("unit_office_other", "unit_office_own", "supervisor", "team_other"):
        with pytest.raises(Forbidden):
            approve(world["pending"], actor=world["users"][name])


def test_return_needs_a_reason_and_allows_a_new_submission(world):
    office = world["users"]["office"]
    with pytest.raises(ValidationFailed):
        send_back(world["pending"], actor=office, reason=" ")
    returned = send_back(world["pending"], actor=office, reason="请补充整改成效")
    assert returned.state == Revision.State.RETURNED and returned.return_reason == "请补充整改成效"
    with pytest.raises(InvalidTransition):
        approve(returned, actor=office)
    again = submit_public_version(world["b"], actor=world["users"]["unit_office_other"])
    assert again.number == 2


def test_a_second_submission_waits_for_the_first(world):
    with pytest.raises(InvalidTransition):
        submit_public_version(world["b"], actor=world["users"]["unit_office_other"])


def test_correction_is_a_new_revision_with_a_visible_note(world, client):
    office, unit = world["users"]["office"], world["users"]["unit_office_own"]
    with pytest.raises(ValidationFailed):
        submit_public_version(world["a"], actor=unit)  # published: a correction must say what it corrects
    fixed = submit_public_version(world["a"], actor=unit, correction_note="更正了联系电话")
    approve(fixed, actor=office)
    first = Revision.objects.get(pk=world["revision"].pk)
    assert not first.live and fixed.live
    notice = Notice.objects.get(report=world["report"])
    assert notice.kind == Notice.Kind.CORRECTED and notice.sentence.startswith("本文于")
    assert "更正：更正了联系电话" in notice.sentence
    page = client.get(f"/gongkai/reports/{world['report'].pk}/").content.decode()
    assert notice.sentence in page
    assert [hit.revision.pk for hit in search("河湖长制").hits] == [fixed.pk]


def test_withdrawal_leaves_a_note_and_takes_the_text_off(world, client):
    office = world["users"]["office"]
    report = withdraw(world["report"], actor=office, reason="内容需要核实")
    assert report.state == PublicReport.State.WITHDRAWN
    page = client.get(f"/gongkai/reports/{report.pk}/").content.decode()
    assert "本文已于" in page and "撤回。内容需要核实" in page
    assert "河湖长制落实不扎实" not in page
    assert search("河湖长制").hits == []
    with pytest.raises(InvalidTransition):
        withdraw(report, actor=office, reason="again")
    again = submit_public_version(world["a"], actor=world["users"]["unit_office_own"], correction_note="已核实")
    approve(again, actor=office)
    report.refresh_from_db()
    assert report.state == PublicReport.State.PUBLISHED
    kinds = list(Notice.objects.filter(report=report).values_list("kind", flat=True))
    assert kinds == [Notice.Kind.WITHDRAWN, Notice.Kind.REPUBLISHED]
    assert len(search("河湖长制").hits) == 1
