"""Opinions from the public (意见建议 / 反映整改不到位) and what the offices do with them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhenggai.org.models import Unit
from zhenggai.public.models.report import PublicReport


class Opinion(models.Model):
    """Opinion — 群众意见. Written by one INSERT of its own before anything else happens with it.

    The sender is known only by the receipt number (回执编号) they were given; `contact` is what they
    chose to leave and is shown to the offices only. The reply is public to whoever holds the receipt,
    signed by an organisation (`reply_org`), never by a person.
    """

    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", "意见建议"
        NOT_RECTIFIED = "not_rectified", "反映整改不到位"

    class State(models.TextChoices):
        RECEIVED = "received", "已收到"
        HANDLING = "handling", "办理中"
        REPLIED = "replied", "已答复"
        CLOSED = "closed", "已办结"

    receipt = models.CharField("回执编号", max_length=13, unique=True)
    report = models.ForeignKey(
        PublicReport, on_delete=models.PROTECT, null=True, blank=True, related_name="opinions", verbose_name="报告"
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="涉及单位",
        db_constraint=False,  # the public-only mode keeps the report's unit id without the unit's table
    )
    kind = models.CharField("类别", max_length=16, choices=Kind.choices, default=Kind.SUGGESTION)
    text = models.TextField("内容")
    contact = models.CharField("联系方式", max_length=100, blank=True)
    state = models.CharField("办理状态", max_length=12, choices=State.choices, default=State.RECEIVED)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承办人",
    )
    reply = models.TextField("答复", blank=True)
    reply_org = models.CharField("答复单位", max_length=200, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        verbose_name = "群众意见"
        verbose_name_plural = "群众意见"
        ordering = ("-created_at", "-id")
        indexes = (
            models.Index(fields=["unit", "state"], name="public_opinion_unit_idx"),
            models.Index(fields=["state", "created_at"], name="public_opinion_state_idx"),
        )
        constraints = (
            models.CheckConstraint(
                condition=~Q(state="replied") | ~Q(reply=""), name="public_opinion_replied_has_reply"
            ),
        )

    def __str__(self) -> str:
        return self.receipt

    @property
    def is_open(self) -> bool:
        return self.state != self.State.CLOSED
