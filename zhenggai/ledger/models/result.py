"""Results a unit reports beside its findings: rules, money, accountability, meetings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhenggai.ledger.models.choices import ResultKind
from zhenggai.ledger.models.inspection import Inspection


class Result(models.Model):
    """Result — 整改成效. People held to account appear as a count only, never by name."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField("类别", max_length=16, choices=ResultKind.choices)
    title = models.CharField("名称", max_length=300)
    document_link = models.CharField("文件链接", max_length=500, blank=True)
    document = models.FileField("文件", upload_to="results/%Y/", blank=True, max_length=300)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    count = models.PositiveIntegerField("数量", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "整改成效"
        verbose_name_plural = "整改成效"
        ordering = ("inspection_id", "kind", "id")
        constraints = (
            models.CheckConstraint(
                condition=Q(kind=ResultKind.MONEY) | Q(amount__isnull=True), name="result_amount_only_for_money"
            ),
        )

    def __str__(self) -> str:
        return self.title
