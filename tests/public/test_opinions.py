"""Opinions: the form and its receipt, the status page, the offices' steps, the counts, and the rule
that an opinion is stored before anything else is tried."""

from __future__ import annotations

import pytest

from tests.public.conftest import form_data
from zhenggai.ledger.errors import Forbidden, InvalidTransition, ValidationFailed
from zhenggai.ledger.models import Event
from zhenggai.public.models import Opinion
from zhenggai.public.protect import challenge
from zhenggai.public.protect.receipt import clean, display, new_receipt
from zhenggai.public.services.counts import opinion_counts
from zhenggai.public.services.handle import assign, close, reply
from zhenggai.public.services.receive import Submission, receive_opinion
from zhenggai.public.signals import opinion_received

pytestmark = pytest.mark.django_db


def send(client, url: str, **fields):
    page = client.get(url).content.decode()
    return client.post(url, form_data(page, **fields))


def receipt_in(html: str) -> str:
    import re

    found = re.search(r'id="receipt-number">([0-9A-Z-]+)<', html)
    assert found, "no receipt in the page"
    return found[1]


def test_opinion_on_a_report_gets_a_receipt_and_reaches_the_unit(client, world):
    url = f"/gongkai/reports/{world['report'].pk}/opinion/"
    response = send(client, url, text="食堂账目仍未公开，请核实。", kind="not_rectified", contact="13800000000")
    assert response.status_code == 200
    receipt = receipt_in(response.content.decode())
    opinion = Opinion.objects.get(receipt=clean(receipt))
    assert opinion.unit == world["a"].unit and opinion.report == world["report"]
    assert opinion.kind == Opinion.Kind.NOT_RECTIFIED and opinion.contact == "13800000000"
    assert Event.objects.filter(action="opinion_received", object_id=str(opinion.pk)).exists()


def test_status_page_shows_state_and_reply(client, world, opinions):
    replied = opinions["replied"]
    page = client.post("/gongkai/opinion/status/", {"receipt": display(replied.receipt).lower()}).content.decode()
    assert "已答复" in page and "已核实并补齐记录。" in page and "青溪县水利局党组" in page
    assert world["users"]["responsible_own"].display_name not in page  # never the handler
    assert client.post("/gongkai/opinion/status/", {"receipt": "ABCD-EFGH-JKMN-P"}).status_code == 404
    missing = new_receipt()
    response = client.post("/gongkai/opinion/status/", {"receipt": missing})
    assert response.status_code == 404 and "未找到该回执编号" in response.content.decode()


def test_general_opinion_goes_to_the_office(client, world):
    response = send(client, "/gongkai/opinion/", text="建议公开更多整改成效。")
    opinion = Opinion.objects.get(receipt=clean(receipt_in(response.content.decode())))
    assert opinion.unit is None and opinion.report is None
    office, unit = world["users"]["office"], world["users"]["unit_office_own"]
    assert opinion_counts(office).total == 1 and opinion_counts(unit).total == 0


def test_a_refused_form_keeps_the_text_with_a_new_question(client, world):
    response = send(client, "/gongkai/opinion/", text="内容保留在表单里", answer="99")
    page = response.content.decode()
    assert response.status_code == 400 and "验证题答案不正确" in page and "内容保留在表单里" in page
    assert Opinion.objects.count() == 0


def test_challenge_is_one_use_and_expires(client, world, settings):
    page = client.get("/gongkai/opinion/").content.decode()
    data = form_data(page, text="第一次提交的意见")
    assert client.post("/gongkai/opinion/", data).status_code == 200
    again = client.post("/gongkai/opinion/", {**data, "text": "重放的意见"})
    assert again.status_code == 400 and "已经使用过" in again.content.decode()
    with pytest.raises(challenge.ChallengeFailed, match="无效"):
        challenge.verify("forged-token", "3")
    fresh = challenge.new_challenge()
    challenge.MAX_AGE, old = -1, challenge.MAX_AGE
    try:
        with pytest.raises(challenge.ChallengeFailed, match="过期"):
            challenge.verify(fresh.token, "1")
    finally:
        challenge.MAX_AGE = old
    assert Opinion.objects.count() == 1


def test_storage_comes_first_failures_after_lose_nothing(world, monkeypatch):
    """A notification receiver that fails, and a history that cannot be written, leave the opinion stored."""

    def broken(**kwargs):
        raise RuntimeError("SMS gateway down")

    opinion_received.connect(broken, dispatch_uid="test-broken")
    monkeypatch.setattr("zhenggai.public.services.receive.record", broken)
    try:
        c = challenge.new_challenge()
        ok = _solve(c)
        opinion = receive_opinion(Submission(text="网关故障时的意见", token=c.token, answer=ok), ip="10.0.0.9")
    finally:
        opinion_received.disconnect(dispatch_uid="test-broken")
    assert Opinion.objects.filter(pk=opinion.pk, text="网关故障时的意见").exists()


def _solve(c: challenge.Challenge) -> str:
    from tests.public.conftest import solve

    return solve(c.token)


def test_handling_steps_and_their_order(world, opinions):
    users = world["users"]
    handled, general = opinions["handled"], opinions["general"]
    with pytest.raises(InvalidTransition):
        close(handled, actor=users["unit_office_own"])  # reply first
    with pytest.raises(ValidationFailed):
        assign(handled, actor=users["unit_office_own"], handler=users["unit_office_other"])  # another unit
    assign(handled, actor=users["unit_office_own"], handler=users["responsible_other"])
    assert handled.handler == users["responsible_other"] and handled.state == Opinion.State.HANDLING
    with pytest.raises(Forbidden):
        reply(handled, actor=users["responsible_own"], text="不是承办人")
    reply(handled, actor=users["responsible_other"], text="已整改到位。")
    assert handled.state == Opinion.State.REPLIED and handled.reply_org == "青溪县水利局党组"
    close(handled, actor=users["unit_office_own"])
    assert handled.state == Opinion.State.CLOSED and handled.closed_at
    with pytest.raises(InvalidTransition):
        reply(handled, actor=users["office"], text="已办结后再答复")
    with pytest.raises(Forbidden):
        reply(general, actor=users["unit_office_own"], text="不是本单位的")
    reply(general, actor=users["office"], text="感谢您的建议。")
    assert general.reply_org == "巡察办"
    actions = set(Event.objects.filter(object_type="opinion").values_list("action", flat=True))
    assert {"opinion_assign", "opinion_reply", "opinion_close"} <= actions


def test_counts_for_the_dashboard(world, opinions):
    users = world["users"]
    office = opinion_counts(users["office"])
    assert (office.total, office.open, office.handling, office.replied, office.not_rectified) == (3, 3, 1, 1, 1)
    assert office.as_dict()["open"] == 3
    assert opinion_counts(users["unit_office_own"]).total == 2
    assert opinion_counts(users["unit_office_other"]).total == 0
    assert opinion_counts(users["team_own"]).total == 2 and opinion_counts(users["team_other"]).total == 0
    assert opinion_counts(users["responsible_own"]).total == 2
    assert opinion_counts(users["office"], round=world["a"].round).total == 2
    assert opinion_counts(None).total == 0


def test_staff_pages_list_and_show(login, world, opinions):
    client = login(world["users"]["unit_office_own"])
    page = client.get("/publication/opinions/").content.decode()
    assert opinions["handled"].receipt in page and opinions["general"].receipt not in page
    detail = client.get(f"/publication/opinions/{opinions['handled'].pk}/").content.decode()
    assert "食堂账目仍未公开。" in detail and "指定承办人" in detail
    closed = login(world["users"]["office"]).get("/publication/opinions/", {"state": "closed"}).content.decode()
    assert "共0条" in closed
