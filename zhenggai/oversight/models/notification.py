"""Deadline warnings (红黄绿灯提醒): who is told about which light, and the in-app inbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhenggai.ledger.models import Task
from zhenggai.org.models import Committee, Unit


class Recipient(models.TextChoices):
    """Who a light goes to: the person handling the task, the unit's rectification office, its head."""

    HANDLER = "handler", "责任人"
    UNIT_OFFICE = "unit_office", "单位整改办"
    UNIT_HEAD = "unit_head", "单位主要负责人"


def default_recipients() -> dict[str, list[str]]:
    """One county's rule, typical of many: green to the handler, yellow also the office, red also the head."""
    return {
        "green": [Recipient.HANDLER],
        "yellow": [Recipient.HANDLER, Recipient.UNIT_OFFICE],
        "red": [Recipient.HANDLER, Recipient.UNIT_OFFICE, Recipient.UNIT_HEAD],
    }


class ReminderPolicy(models.Model):
    """A committee's reminder rules; the light thresholds themselves are the committee's green/yellow days."""

    committee = models.OneToOneField(Committee, on_delete=models.CASCADE, related_name="reminder_policy")
    recipients = models.JSONField("各灯提醒对象", default=default_recipients)
    repeat_days = models.PositiveSmallIntegerField("同一灯再次提醒间隔（天）", default=7)
    send_email = models.BooleanField("同时发送电子邮件", default=True)

    class Meta:
        verbose_name = "提醒规则"
        verbose_name_plural = "提醒规则"

    def recipients_for(self, light: str) -> list[str]:
        return list(self.recipients.get(light, []))


class UnitHead(models.Model):
    """The unit's head (单位主要负责人, 第一责任人), told when a task of the unit turns red."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="oversight_head")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "单位主要负责人"
        verbose_name_plural = "单位主要负责人"


class Notification(models.Model):
    """Notification — 站内提醒. One per recipient, task, light and day: a second run the same day adds none."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oversight_notifications"
    )
    task = models.ForeignKey(Task, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    light = models.CharField("灯", max_length=8)
    day = models.DateField("日期")
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    link = models.CharField("链接", max_length=300, blank=True)
    emailed = models.BooleanField("已发邮件", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内提醒"
        verbose_name_plural = "站内提醒"
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(fields=["recipient", "task", "light", "day"], name="notification_once_a_day"),
        )
        indexes = (models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),)

    def __str__(self) -> str:
        return self.subject
