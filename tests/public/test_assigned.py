"""A responsible person learns of an opinion assigned to them (站内提醒, e-mail) and finds it from the navigation."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from zhenggai.oversight.models import Notification, ReminderPolicy
from zhenggai.public.models import Opinion
from zhenggai.public.protect.receipt import display, new_receipt
from zhenggai.public.services.handle import assign, close, reply

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav aria-label="主导航">.*?</nav>', re.S)


@pytest.fixture
def fresh(world):
    """An opinion on A's report that nobody handles yet."""
    report = world["report"]
    return Opinion.objects.create(receipt=new_receipt(), report=report, unit=report.unit, text="河道垃圾无人清理。")


def assign_by_page(login, world, opinion, handler):
    response = login(world["users"]["unit_office_own"]).post(
        reverse("publication:assign", args=[opinion.pk]), {"handler": handler.pk}
    )
    assert response.status_code == 302, response.content.decode()


def test_assigning_puts_one_notice_in_the_handlers_inbox_and_nobody_elses(login, world, fresh):
    handler = world["users"]["responsible_own"]
    assign_by_page(login, world, fresh, handler)
    notes = list(Notification.objects.all())
    assert len(notes) == 1
    note = notes[0]
    assert note.recipient == handler and note.task is None and note.read_at is None
    assert note.subject == f"群众意见已分配给您办理：回执编号{display(fresh.receipt)}"
    assert "涉及青溪县水利局党组" in note.body and "请查看并答复" in note.body
    assert note.link == reverse("publication:opinion", args=[fresh.pk])
    inbox = login(handler).get(reverse("oversight:inbox")).content.decode()
    assert note.subject in inbox
    assert 'aria-label="未读1条"' in login(handler).get(reverse("oversight:unread")).content.decode()


def test_the_notice_leads_to_a_page_the_handler_can_reply_from(login, world, fresh):
    handler = world["users"]["responsible_own"]
    assign_by_page(login, world, fresh, handler)
    note = Notification.objects.get(recipient=handler)
    client = login(handler)
    opened = client.post(reverse("oversight:read", args=[note.pk]), follow=True)
    assert opened.redirect_chain[-1][0] == note.link
    assert opened.status_code == 200
    page = opened.content.decode()
    assert "河道垃圾无人清理。" in page and 'action="' + reverse("publication:reply", args=[fresh.pk]) in page
    assert "整改报告公开" not in page  # the crumbs hold no link the handler may not follow
    note.refresh_from_db()
    assert note.read_at is not None
    answered = client.post(reverse("publication:reply", args=[fresh.pk]), {"reply": "已安排清理并建立巡查制度。"})
    assert answered.status_code == 302
    fresh.refresh_from_db()
    assert fresh.state == Opinion.State.REPLIED and fresh.reply == "已安排清理并建立巡查制度。"


def test_another_responsible_person_of_the_unit_cannot_open_it(login, world, fresh):
    assign_by_page(login, world, fresh, world["users"]["responsible_own"])
    link = Notification.objects.get().link
    other = login(world["users"]["responsible_other"])
    assert other.get(link).status_code == 404
    response = other.post(reverse("publication:reply", args=[fresh.pk]), {"reply": "越权答复"})
    assert response.status_code == 404
    fresh.refresh_from_db()
    assert fresh.reply == ""


def test_reassigning_tells_the_new_handler_once(world, fresh):
    users = world["users"]
    first, second = users["responsible_own"], users["responsible_other"]
    assign(fresh, actor=users["unit_office_own"], handler=first)
    assign(fresh, actor=users["office"], handler=second)
    assign(fresh, actor=users["office"], handler=second)  # the same handler again: nothing new to tell
    assert Notification.objects.filter(recipient=first).count() == 1
    assert Notification.objects.filter(recipient=second).count() == 1
    assert Notification.objects.count() == 2
    reply(fresh, actor=second, text="已处理。")
    close(fresh, actor=users["office"])
    assert Notification.objects.count() == 2  # replying and closing tell nobody


def test_nobody_is_told_what_they_assigned_to_themselves(world, fresh):
    unit_office = world["users"]["unit_office_own"]
    assign(fresh, actor=unit_office, handler=unit_office)
    assert fresh.handler == unit_office
    assert not Notification.objects.exists()


def test_the_notice_is_stored_with_the_assignment_or_not_at_all(world, fresh, monkeypatch):
    from zhenggai.oversight.services import notices

    def broken(*args, **kwargs):
        raise RuntimeError("inbox unavailable")

    monkeypatch.setattr(notices, "notify", broken)
    with pytest.raises(RuntimeError):
        assign(fresh, actor=world["users"]["unit_office_own"], handler=world["users"]["responsible_own"])
    fresh.refresh_from_db()
    assert fresh.handler is None and fresh.state == Opinion.State.RECEIVED
    assert not Notification.objects.exists()


def test_the_notice_is_emailed_after_the_commit(world, fresh, django_capture_on_commit_callbacks):
    handler = world["users"]["responsible_own"]
    handler.email = "handler@example.org"
    handler.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=False) as pending:
        assign(fresh, actor=world["users"]["unit_office_own"], handler=handler)
        assert mail.outbox == []  # nothing leaves before the assignment is committed
    for callback in pending:
        callback()
    assert [m.to for m in mail.outbox] == [["handler@example.org"]]
    assert mail.outbox[0].subject.startswith("群众意见已分配给您办理：回执编号")
    assert "请登录巡察整改台账" in mail.outbox[0].body  # the system's own address is not configured
    assert Notification.objects.get().emailed


def test_the_email_links_the_opinion_when_the_site_address_is_known(
    world, fresh, settings, django_capture_on_commit_callbacks
):
    settings.ZHENGGAI_SITE_URL = "https://zhenggai.example.gov.cn"
    handler = world["users"]["responsible_own"]
    handler.email = "handler@example.org"
    handler.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        assign(fresh, actor=world["users"]["unit_office_own"], handler=handler)
    link = "https://zhenggai.example.gov.cn" + reverse("publication:opinion", args=[fresh.pk])
    assert f"查看：{link}" in mail.outbox[0].body


def test_no_email_when_the_committee_sends_none_or_there_is_no_address(
    world, fresh, django_capture_on_commit_callbacks
):
    users = world["users"]
    with django_capture_on_commit_callbacks(execute=True):
        assign(fresh, actor=users["unit_office_own"], handler=users["responsible_own"])  # no address
    users["responsible_other"].email = "other@example.org"
    users["responsible_other"].save(update_fields=["email"])
    ReminderPolicy.objects.create(committee=world["committee"], send_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        assign(fresh, actor=users["unit_office_own"], handler=users["responsible_other"])
    assert mail.outbox == []
    assert Notification.objects.count() == 2 and not Notification.objects.filter(emailed=True).exists()


def nav_of(client) -> str:
    page = client.get(reverse("oversight:inbox"))
    assert page.status_code == 200
    return NAV.search(page.content.decode()).group(0)


def test_the_navigation_links_a_responsible_person_to_the_opinions_assigned_to_them(login, world, opinions):
    link = f'href="{reverse("publication:opinions")}"'
    with_opinions = nav_of(login(world["users"]["responsible_own"]))
    assert link in with_opinions and "群众意见" in with_opinions
    assert 'aria-label="未办结2件">2<' in with_opinions
    assert "公开与意见" not in with_opinions
    without = nav_of(login(world["users"]["responsible_other"]))
    assert link not in without and "群众意见" not in without


def test_the_link_counts_open_opinions_and_stays_while_any_is_assigned(login, world, opinions):
    office, person = world["users"]["office"], world["users"]["responsible_own"]
    close(opinions["replied"], actor=office)
    assert 'aria-label="未办结1件">1<' in nav_of(login(person))
    reply(opinions["handled"], actor=person, text="已公开。")
    close(opinions["handled"], actor=office)
    nav = nav_of(login(person))
    assert "群众意见" in nav and "未办结" not in nav  # all closed: the link stays, without a count


def test_the_link_appears_once_an_opinion_is_assigned_and_is_marked_on_its_pages(login, world, fresh):
    person = world["users"]["responsible_own"]
    assert "群众意见" not in nav_of(login(person))
    assign(fresh, actor=world["users"]["unit_office_own"], handler=person)
    client = login(person)
    for url in (reverse("publication:opinions"), reverse("publication:opinion", args=[fresh.pk])):
        page = client.get(url)
        assert page.status_code == 200
        nav = NAV.search(page.content.decode()).group(0)
        assert re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)', nav) == ["群众意见"]
    assert fresh.receipt in client.get(reverse("publication:opinions")).content.decode()


CONTACT = "13900001234"


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("office", True),
        ("unit_office_own", True),
        ("responsible_own", False),
        ("team_own", False),
        ("supervisor", False),
    ],
)
def test_the_senders_contact_is_shown_to_the_offices_only(login, world, who, sees):
    handler = world["users"]["responsible_own"]
    report = world["report"]
    opinion = Opinion.objects.create(
        receipt=new_receipt(), report=report, unit=report.unit, text="堤防破损。", contact=CONTACT, handler=handler
    )
    response = login(world["users"][who]).get(reverse("publication:opinion", args=[opinion.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "堤防破损。" in page
    assert (CONTACT in page) is sees
    assert ("联系方式" in page) is sees
