"""`zhenggai remind`: who is told about which light, e-mail and inbox, idempotent from cron, dry run."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from zhenggai.cli import main
from zhenggai.oversight.models import Notification, ReminderPolicy, UnitHead
from zhenggai.oversight.services.reminders import remind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_connection")]
AS_OF = "2024-07-01"


def run(capsys, *args: str) -> str:
    assert main(["remind", "--as-of", AS_OF, *args]) == 0
    return capsys.readouterr().out


def test_lights_go_to_the_handler_the_unit_office_and_for_red_the_head(world, capsys, make_user):
    head = make_user("responsible", unit=world["a"].unit, username="head", email="head@example.org")
    UnitHead.objects.create(unit=world["a"].unit, user=head)
    out = run(capsys)
    assert "红灯2项，黄灯1项，绿灯1项" in out
    handler, office = world["users"]["responsible_own"], world["users"]["unit_office_own"]
    by_light = {
        light: set(Notification.objects.filter(light=light).values_list("recipient__username", flat=True))
        for light in ("red", "yellow", "green")
    }
    assert by_light["green"] == {handler.username}
    assert by_light["yellow"] == {handler.username, office.username}
    assert by_light["red"] == {handler.username, office.username, head.username}
    # one message per recipient, listing their reminders
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "head@example.org", "r@example.org"]
    assert "红灯" in mail.outbox[0].body or "黄灯" in mail.outbox[0].body
    assert Notification.objects.filter(emailed=True).count() == Notification.objects.count()


def test_reminder_emails_link_each_task_and_the_inbox_when_the_site_address_is_known(world, capsys, settings):
    settings.ZHENGGAI_SITE_URL = "https://zhenggai.example.gov.cn"
    run(capsys)
    body = mail.outbox[0].body
    assert "查看：https://zhenggai.example.gov.cn/" in body
    assert "全部提醒：https://zhenggai.example.gov.cn/" in body
    assert "请登录" not in body


def test_reminder_emails_tell_people_to_log_in_without_a_site_address(world, capsys, settings):
    settings.ZHENGGAI_SITE_URL = ""
    run(capsys)
    body = mail.outbox[0].body
    assert "请登录巡察整改台账" in body and "https://" not in body


def test_running_twice_the_same_day_sends_nothing_new(world, capsys):
    run(capsys)
    first, sent = Notification.objects.count(), len(mail.outbox)
    out = run(capsys)
    assert Notification.objects.count() == first
    assert len(mail.outbox) == sent
    assert "新建站内提醒0条" in out


def test_a_light_is_repeated_after_the_policys_interval(world):
    remind(date(2024, 7, 1))
    red_tasks = set(Notification.objects.filter(light="red").values_list("task_id", flat=True))
    red = Notification.objects.filter(light="red").count()
    remind(date(2024, 7, 3))
    assert Notification.objects.filter(light="red").count() == red  # within 7 days: not again
    remind(date(2024, 7, 8))
    assert Notification.objects.filter(light="red", task_id__in=red_tasks).count() == 2 * red
    assert Notification.objects.filter(light="red", day=date(2024, 7, 8)).exclude(task_id__in=red_tasks).exists()


def test_the_office_sets_recipients_and_can_turn_mail_off(world):
    ReminderPolicy.objects.create(
        committee=world["committee"], recipients={"green": [], "yellow": [], "red": ["unit_office"]}, send_email=False
    )
    remind(date(2024, 7, 1))
    assert set(Notification.objects.values_list("recipient__username", "light")) == {("unit_office_own", "red")}
    assert mail.outbox == []


def test_dry_run_stores_and_sends_nothing(world, capsys):
    out = run(capsys, "--dry-run")
    assert "将提醒" in out and "试运行" in out
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_a_bad_date_is_one_chinese_line(capsys, db):
    assert main(["remind", "--as-of", "2024-13-01"]) == 1
    assert "日期格式" in capsys.readouterr().err
