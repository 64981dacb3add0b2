"""What each side remembers of the one-way bundles between the intranet and the public-only site
(zhenggai.public.exchange): the bundles written and applied, and what was last sent of each record."""

from __future__ import annotations

from django.db import models


class Transfer(models.Model):
    """One bundle of a channel, written here (`out`) or applied here (`in`); its sequence number is what
    keeps imports in order and makes a repeated one harmless."""

    class Direction(models.TextChoices):
        OUT = "out", "导出"
        IN = "in", "导入"

    channel = models.CharField("通道", max_length=20)
    direction = models.CharField("方向", max_length=3, choices=Direction.choices)
    seq = models.PositiveBigIntegerField("序号")
    source = models.CharField("来源", max_length=64)
    full = models.BooleanField("完整数据包", default=False)
    sha256 = models.CharField("校验值", max_length=64)
    records = models.PositiveIntegerField("记录数", default=0)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "数据包"
        verbose_name_plural = "数据包"
        constraints = (
            models.UniqueConstraint(fields=["channel", "direction", "seq"], name="public_transfer_unique_seq"),
        )


class SentRecord(models.Model):
    """The digest of a record as last written to a bundle of `channel`, so the next bundle carries only
    what changed (and says what is gone)."""

    channel = models.CharField(max_length=20)
    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=40)
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["channel", "kind", "key"], name="public_sentrecord_unique_key"),)
