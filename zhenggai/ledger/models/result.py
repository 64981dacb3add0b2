"""Results a unit reports beside its findings: rules, money, accountability, meetings."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from zhenggai.ledger.models.choices import MONEY_KINDS, ResultKind
from zhenggai.ledger.models.inspection import Inspection


class ExactDecimalField(models.CharField):
    """A decimal kept exactly as entered: stored as its text, read back as a Decimal with the same
    exponent, so 12.345 stays 12.345 and 0.50 stays 0.50 (a DecimalField would pad or round it)."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else Decimal(value)

    def to_python(self, value):
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            raise ValidationError("金额应为数字", code="invalid") from None

    def get_prep_value(self, value):
        value = self.to_python(value)
        return None if value is None else format(value, "f")


class Result(models.Model):
    """Result — 整改成效. People held to account appear as a count by kind only, never by name;
    an amount is in 万元 with the decimals the unit entered."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField("类别", max_length=16, choices=ResultKind.choices)
    title = models.CharField("名称", max_length=300)
    document_link = models.CharField("文件链接", max_length=500, blank=True)
    document = models.FileField("文件", upload_to="results/%Y/", blank=True, max_length=300)
    amount = ExactDecimalField("金额（万元）", max_length=24, null=True, blank=True)
    count = models.PositiveIntegerField("数量", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "整改成效"
        verbose_name_plural = "整改成效"
        ordering = ("inspection_id", "kind", "id")
        constraints = (
            models.CheckConstraint(
                condition=Q(kind__in=sorted(MONEY_KINDS)) | Q(amount__isnull=True), name="result_amount_only_for_money"
            ),
        )

    def __str__(self) -> str:
        return self.title
