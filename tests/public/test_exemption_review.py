"""Exemptions the reviewer can judge: a unit proposes one on a recognised ground with a reason, the
inspection office sees each on the submitted version, refuses one (the problem is back in the version)
and approves the rest; the approval keeps the list, ground, reason and who decided."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.public.conftest import SECRETS
from zhenggai.ledger.errors import Forbidden, ValidationFailed
from zhenggai.ledger.models import Event
from zhenggai.public.models import Revision
from zhenggai.public.services.decide import approve, send_back
from zhenggai.public.services.exemptions import refuse_exemption
from zhenggai.public.services.submit import submit_public_version
from zhenggai.reports.exemptions import propose_exemption
from zhenggai.reports.models import Exemption

REASONS = {"kept": "该问题涉及的案件正在核查,尚未形成结论", "refused": "担心报道后引发炒作"}


@pytest.fixture
def review(world):
    """B's version, sent back and submitted again with two problems proposed as exempt."""
    b, unit, office = world["b"], world["users"]["unit_office_other"], world["users"]["office"]
    send_back(world["pending"], actor=office, reason="请补充")
    leaves = list(b.findings.filter(children__isnull=True).order_by("level", "position", "pk"))
    kept, refused = leaves[0], next(f for f in leaves if f.title.startswith(SECRETS["draft"]))
    exemptions = {
        "kept": propose_exemption(b, actor=unit, ground="case", reason=REASONS["kept"], finding=kept),
        "refused": propose_exemption(b, actor=unit, ground="negative_hype", reason=REASONS["refused"], finding=refused),
    }
    revision = submit_public_version(b, actor=unit)
    return {**world, "revision_b": revision, "exemptions": exemptions, "kept": kept, "refused": refused}


@pytest.mark.parametrize(
    "ground,reason,message",
    [("", "理由", "依据"), ("exempted", "理由", "依据"), ("case", "", "理由"), ("case", "   ", "理由")],
)
def test_a_proposal_needs_a_recognised_ground_and_a_reason(world, ground, reason, message):
    b = world["b"]
    finding = b.findings.filter(children__isnull=True).first()
    with pytest.raises(ValidationFailed, match=message):
        propose_exemption(b, actor=world["users"]["unit_office_other"], ground=ground, reason=reason, finding=finding)
    assert not Exemption.objects.exists()


def test_the_form_refuses_a_proposal_without_a_reason(client, world):
    client.force_login(world["users"]["unit_office_other"])
    b = world["b"]
    finding = b.findings.filter(children__isnull=True).first()
    url = reverse("reports:exemption_propose", args=[b.pk])
    response = client.post(url, {"target": f"finding:{finding.pk}", "ground": "case", "reason": ""})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    response = client.post(url, {"target": f"finding:{finding.pk}", "reason": "正在核查"})
    assert response.status_code == 400
    assert not Exemption.objects.exists()


def test_the_reviewer_sees_each_exemption_with_its_ground_and_reason(client, review):
    client.force_login(review["users"]["office"])
    html = client.get(reverse("publication:revision", args=[review["revision_b"].pk])).content.decode()
    for key, ground in (("kept", "涉及正在核查或尚未公开的案件"), ("refused", "可能引发负面炒作")):
        assert review[key].title in html and REASONS[key] in html and ground in html
        refuse = reverse("publication:refuse_exemption", args=[review["revision_b"].pk, review["exemptions"][key].pk])
        assert f'action="{refuse}"' in html


def test_refusing_one_puts_the_problem_back_and_approval_keeps_the_list(review):
    office, revision = review["users"]["office"], review["revision_b"]
    assert SECRETS["draft"] not in revision.body_text and review["kept"].title not in revision.body_text
    with pytest.raises(ValidationFailed, match="意见"):
        refuse_exemption(revision, review["exemptions"]["refused"].pk, actor=office, note=" ")
    with pytest.raises(Forbidden):
        refuse_exemption(
            revision, review["exemptions"]["refused"].pk, actor=review["users"]["unit_office_other"], note="x"
        )
    refuse_exemption(revision, review["exemptions"]["refused"].pk, actor=office, note="不属于不予公开范围")
    assert SECRETS["draft"] in revision.body_text and review["kept"].title not in revision.body_text
    assert [entry["id"] for entry in revision.exemptions] == [review["exemptions"]["kept"].pk]

    approve(revision, actor=office)
    revision = Revision.objects.get(pk=revision.pk)
    assert Exemption.objects.get(pk=review["exemptions"]["kept"].pk).state == Exemption.State.APPROVED
    assert Exemption.objects.get(pk=review["exemptions"]["refused"].pk).state == Exemption.State.REJECTED
    (kept,) = revision.exemptions
    assert (kept["ground"], kept["reason"], kept["state"], kept["decided_by"]) == (
        "case",
        REASONS["kept"],
        "approved",
        str(office),
    )
    event = Event.objects.get(object_type="revision", object_id=str(revision.pk), action="public_approved")
    assert [(e["title"], e["ground"], e["reason"]) for e in event.after["exemptions"]] == [
        (review["kept"].title, "case", REASONS["kept"])
    ]
    refused = Event.objects.get(object_type="revision", object_id=str(revision.pk), action="public_exemption_refused")
    assert refused.after["exemption"] == review["exemptions"]["refused"].pk


def test_a_decided_version_takes_no_more_refusals(review):
    office, revision = review["users"]["office"], review["revision_b"]
    approve(revision, actor=office)
    with pytest.raises(Exception, match="已审核"):
        refuse_exemption(revision, review["exemptions"]["refused"].pk, actor=office, note="晚了")
    with pytest.raises(ValidationFailed, match="不在本版"):
        other = Revision.objects.get(pk=review["revision"].pk)  # A's version lists no exemption
        Revision.objects.filter(pk=other.pk).update(state=Revision.State.SUBMITTED, live=False, search_seq=None)
        refuse_exemption(Revision.objects.get(pk=other.pk), review["exemptions"]["kept"].pk, actor=office, note="x")


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_old_exemptions_a_ground_and_a_reason(world):
    """Rows from before the grounds: the old choices map to the five grounds; a row without a note
    gets a reason that says it predates the rule, for the reviewer to judge."""
    from tests.support.migrations import migrate_to, migrate_to_latest

    b, unit = world["b"], world["users"]["unit_office_other"]
    leaves = list(b.findings.filter(children__isnull=True).order_by("pk"))
    for finding, ground in zip(leaves, ("state_secret", "negative_hype", "other"), strict=False):
        propose_exemption(b, actor=unit, ground=ground, reason="临时", finding=finding)
    try:
        executor = migrate_to(("reports", "0001_initial"))
        old = executor.loader.project_state(("reports", "0001_initial")).apps.get_model("reports", "Exemption")
        old.objects.filter(reason="exempted").update(note="")
        old.objects.filter(reason="sensitive").update(note="易被炒作")
        migrate_to(("reports", "0002_exemption_ground_and_reason"))
    finally:
        migrate_to_latest()
    rows = {e.finding_id: (e.ground, e.reason) for e in Exemption.objects.all()}
    assert rows == {
        leaves[0].pk: ("state_secret", "临时"),
        leaves[1].pk: ("negative_hype", "易被炒作"),
        leaves[2].pk: ("other", "(旧记录:提出时未要求填写理由)"),
    }


def test_the_draft_page_lists_exemptions_and_its_approval_keeps_them(client, world):
    """The office's draft approval page: each exempt problem with ground and reason, a refusal that
    returns to the page, and an approval that agrees to the rest and keeps them in the history."""
    from zhenggai.reports.drafts import approve_draft, create_draft

    b, unit, office = world["b"], world["users"]["unit_office_other"], world["users"]["office"]
    leaves = list(b.findings.filter(children__isnull=True).order_by("level", "position", "pk"))
    kept = propose_exemption(b, actor=unit, ground="mass_petition", reason="涉及征迁群众诉求", finding=leaves[0])
    refused = propose_exemption(b, actor=unit, ground="other", reason="其他原因", finding=leaves[1])
    draft = create_draft(b, actor=unit, kind="public", as_of=b.feedback_date)
    client.force_login(office)
    url = reverse("reports:draft", args=[draft.pk])
    html = client.get(url).content.decode()
    assert "可能引发群体性上访" in html and "涉及征迁群众诉求" in html and leaves[0].title in html
    response = client.post(
        reverse("reports:exemption_decide", args=[refused.pk]),
        {"decision": "reject", "note": "应当公开", "draft": draft.pk},
    )
    assert response.status_code == 302 and response["Location"] == url + "#exemptions"
    approve_draft(draft, actor=office)
    assert Exemption.objects.get(pk=kept.pk).state == Exemption.State.APPROVED
    event = Event.objects.get(object_type="reportdraft", object_id=str(draft.pk), action="report_approved")
    assert [(e["id"], e["ground"], e["reason"], e["decided_by"]) for e in event.after["exemptions"]] == [
        (kept.pk, "mass_petition", "涉及征迁群众诉求", str(office))
    ]
    html = client.get(url).content.decode()
    assert "同意不予公开1项" in html and "涉及征迁群众诉求" in html  # still visible after approval


def test_problems_left_out_on_submission_without_a_request_are_named(client, world):
    """The submission form's own choice has no ground: the reviewer sees which problem it is, not a count."""
    client.force_login(world["users"]["office"])
    html = client.get(reverse("publication:revision", args=[world["revision"].pk])).content.decode()
    assert "未经申请的不予公开问题" in html and SECRETS["exempt"] in html
