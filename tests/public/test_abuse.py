"""Abuse of the public forms: floods, oversized, script-laden and malformed submissions."""

from __future__ import annotations

import pytest

from tests.public.conftest import form_data
from zhenggai.public.models import Opinion, RateCounter
from zhenggai.public.protect import throttle
from zhenggai.public.protect.receipt import display

pytestmark = pytest.mark.django_db
XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def test_a_hundred_submissions_a_minute_from_one_address(client, world):
    """The first ones (within the limit) are all stored; the rest are refused with a clear message."""
    url = "/gongkai/opinion/"
    statuses = []
    for i in range(100):
        page = client.get(url).content.decode()
        response = client.post(url, form_data(page, text=f"第{i}条真实意见，请核实。"), REMOTE_ADDR="203.0.113.7")
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert "提交过于频繁" in response.content.decode()
    accepted = statuses.count(200)
    assert 1 <= accepted <= 10 and statuses.count(429) == 100 - accepted
    assert statuses[:accepted] == [200] * accepted  # the honest ones came first
    stored = sorted(Opinion.objects.values_list("text", flat=True))
    assert stored == sorted(f"第{i}条真实意见，请核实。" for i in range(accepted))
    other = client.post(url, form_data(client.get(url).content.decode()), REMOTE_ADDR="198.51.100.1")
    assert other.status_code == 200  # another address is not affected


def test_counters_are_shared_rows(world):
    for _ in range(5):
        assert throttle.hit("opinion-ip", "192.0.2.1")
    assert not throttle.hit("opinion-ip", "192.0.2.1")
    assert RateCounter.objects.filter(key__endswith=":192.0.2.1").count() == 3
    assert throttle.purge_old() == 0


def test_lookups_are_limited_per_receipt_and_per_address(client, world, opinions):
    receipt = display(opinions["handled"].receipt)
    codes = [
        client.post("/gongkai/opinion/status/", {"receipt": receipt}, REMOTE_ADDR=f"192.0.2.{i}").status_code
        for i in range(12)
    ]
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]
    guesses = [
        client.post("/gongkai/opinion/status/", {"receipt": "0000-0000-0000-0"}, REMOTE_ADDR="192.0.2.200").status_code
        for _ in range(12)
    ]
    assert 429 in guesses and guesses[0] == 404


def test_oversized_submissions_are_refused(client, world):
    page = client.get("/gongkai/opinion/").content.decode()
    too_long = client.post("/gongkai/opinion/", form_data(page, text="长" * 2001))
    assert too_long.status_code == 400 and "不超过2000字" in too_long.content.decode()
    page = client.get("/gongkai/opinion/").content.decode()
    huge = client.post("/gongkai/opinion/", form_data(page, text="长" * 20000))
    assert huge.status_code == 413 and "内容过长" in huge.content.decode()
    page = client.get("/gongkai/opinion/").content.decode()
    contact = client.post("/gongkai/opinion/", form_data(page, contact="电" * 101))
    assert contact.status_code == 400
    assert Opinion.objects.count() == 0


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"text": ""}, "请填写意见内容"),
        ({"text": "   \n\t "}, "请填写意见内容"),
        ({"kind": "admin"}, "请选择意见类别"),
        ({"answer": "三"}, "阿拉伯数字"),
        ({"token": "garbage"}, "验证题无效"),
        ({"website": "http://spam.example"}, "提交未成功"),
        ({"contact": "a\nb"}, "联系方式为一行"),
    ],
)
def test_malformed_submissions_are_refused(client, world, fields, message):
    page = client.get("/gongkai/opinion/").content.decode()
    data = form_data(page, **{k: v for k, v in fields.items() if k != "token"})
    if "token" in fields:
        data["token"] = fields["token"]
    response = client.post("/gongkai/opinion/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert Opinion.objects.count() == 0


def test_control_characters_are_dropped(client, world):
    page = client.get("/gongkai/opinion/").content.decode()
    response = client.post("/gongkai/opinion/", form_data(page, text="意见\x00内容\x07与\u200b说明\r\n第二行"))
    assert response.status_code == 200
    assert Opinion.objects.get().text == "意见内容与\u200b说明\n第二行"


def test_scripts_render_as_text_everywhere(client, login, world):
    """No stored XSS: the opinion and the reply are shown as text to the offices and to the sender."""
    from zhenggai.public.services.handle import reply

    page = client.get(f"/gongkai/reports/{world['report'].pk}/opinion/").content.decode()
    sent = client.post(f"/gongkai/reports/{world['report'].pk}/opinion/", form_data(page, text=XSS, contact=XSS[:90]))
    assert sent.status_code == 200
    opinion = Opinion.objects.get()
    assert opinion.text == XSS  # stored as written, neutralised when shown
    reply(opinion, actor=world["users"]["unit_office_own"], text="答复" + XSS)
    staff = login(world["users"]["unit_office_own"]).get(f"/publication/opinions/{opinion.pk}/").content.decode()
    listing = login(world["users"]["office"]).get("/publication/opinions/").content.decode()
    login(None)
    status = client.post("/gongkai/opinion/status/", {"receipt": opinion.receipt}).content.decode()
    for html in (staff, listing, status):
        assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in status


def _flood(client, url: str, addresses: int = 7, each: int = 5) -> list[tuple[str, int, str]]:
    """`addresses` senders sending `each` opinions in turn: (text, status, page) per attempt."""
    sent = []
    for round_ in range(each):
        for n in range(addresses):
            text = f"地址{n}的第{round_}条意见，请核实。"
            page = client.get(url).content.decode()
            response = client.post(url, form_data(page, text=text), REMOTE_ADDR=f"203.0.113.{10 + n}")
            sent.append((text, response.status_code, response.content.decode()))
    return sent


def _nothing_lost(sent: list[tuple[str, int, str]]) -> int:
    """Every accepted opinion is stored, every refused one is handed back in its form; the count accepted."""
    accepted = [text for text, status, _ in sent if status == 200]
    assert sorted(Opinion.objects.values_list("text", flat=True)) == sorted(accepted)
    for text, status, page in sent:
        if status != 200:
            assert status == 429 and "提交过于频繁" in page and "请稍后再试" in page
            assert f"{text}</textarea>" in page  # the sender's text is still in the form
    first_refused = next(i for i, (_, status, _) in enumerate(sent) if status != 200)
    assert all(status == 200 for _, status, _ in sent[:first_refused])  # the honest ones came first
    return len(accepted)


def test_seven_addresses_cannot_flood_one_report(client, world, settings):
    """The audit: 7 addresses sent 35 opinions a minute, each within its own limit. The report's limit
    (20 an hour by default; a day's window here, so that no window ends during the test) stops them."""
    assert throttle.DEFAULTS["opinion-report"] == ((20, 3600),)
    settings.ZHENGGAI_PUBLIC_LIMITS = {"opinion-report": ((20, 86400),)}
    sent = _flood(client, f"/gongkai/reports/{world['report'].pk}/opinion/")
    assert _nothing_lost(sent) == 20
    general = client.get("/gongkai/opinion/").content.decode()
    other = client.post("/gongkai/opinion/", form_data(general), REMOTE_ADDR="198.51.100.77")
    assert other.status_code == 200  # the general form is a report of its own


def test_seven_addresses_cannot_flood_the_site(client, world, settings):
    """Spread over the report and the general form, the site's limit (30 a minute and 200 an hour by
    default; a day's window here) stops them."""
    assert throttle.DEFAULTS["opinion-all"] == ((30, 60), (200, 3600))
    settings.ZHENGGAI_PUBLIC_LIMITS = {"opinion-report": ((1000, 86400),), "opinion-all": ((30, 86400),)}
    sent = _flood(client, "/gongkai/opinion/", each=3) + _flood(
        client, f"/gongkai/reports/{world['report'].pk}/opinion/", each=2
    )
    assert len(sent) == 35 and _nothing_lost(sent) == 30


def test_refused_attempts_do_not_use_up_the_reports_room(client, world, settings):
    """Wrong answers from many addresses count against each address, not against the report or the site."""
    settings.ZHENGGAI_PUBLIC_LIMITS = {"opinion-report": ((3, 86400),), "opinion-all": ((3, 86400),)}
    url = f"/gongkai/reports/{world['report'].pk}/opinion/"
    for n in range(10):
        page = client.get(url).content.decode()
        wrong = client.post(url, form_data(page, answer="999"), REMOTE_ADDR=f"192.0.2.{50 + n}")
        assert wrong.status_code == 400
    page = client.get(url).content.decode()
    assert client.post(url, form_data(page), REMOTE_ADDR="192.0.2.99").status_code == 200
