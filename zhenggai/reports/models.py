"""Report drafts and exemptions from publication, kept with the inspection they belong to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhenggai.ledger.models import Finding, Inspection, Task


class ReportDraft(models.Model):
    """ReportDraft — 报告稿: the wording a unit edits before publishing, and the date it speaks of.

    The findings, statuses and counts are not stored here: they are read from the ledger as of
    `as_of` whenever the report is rendered, so a draft never disagrees with its ledger. Every
    change raises `revision` and writes an Event with what changed.
    """

    class Kind(models.TextChoices):
        PUBLIC = "public", "整改情况公布稿"
        PROGRESS = "progress", "整改进展情况报告"

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        APPROVED = "approved", "已审定"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="report_drafts")
    kind = models.CharField("报告类型", max_length=16, choices=Kind.choices)
    as_of = models.DateField("截至日期")
    dated = models.DateField("成文日期", null=True, blank=True)
    sections = models.JSONField("各部分文字", default=dict, blank=True)
    revision = models.PositiveIntegerField("修订版本", default=1)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "报告稿"
        verbose_name_plural = "报告稿"
        ordering = ("inspection_id", "-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}(截至{self.as_of:%Y-%m-%d},第{self.revision}稿)"


class Exemption(models.Model):
    """Exemption — 不予公开事项: a finding (with all below it) or one measure left out of the public version.

    The unit's office proposes on one of the recognised grounds with a reason, the inspection office
    decides. Until it decides, the item is kept out of the public version as well: publishing is the
    step that cannot be undone.
    """

    class Ground(models.TextChoices):
        """The five grounds on which something may be left out of a public release (DOMAIN.md)."""

        STATE_SECRET = "state_secret", "涉及国家秘密"
        CASE = "case", "涉及正在核查或尚未公开的案件"
        NEGATIVE_HYPE = "negative_hype", "可能引发负面炒作"
        MASS_PETITION = "mass_petition", "可能引发群体性上访"
        OTHER = "other", "其他重大敏感事项"

    class State(models.TextChoices):
        PROPOSED = "proposed", "待审核"
        APPROVED = "approved", "已同意"
        REJECTED = "rejected", "未同意"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="exemptions")
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    ground = models.CharField("不予公开依据", max_length=16, choices=Ground.choices)
    reason = models.TextField("理由")
    state = models.CharField("审核状态", max_length=16, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "不予公开事项"
        verbose_name_plural = "不予公开事项"
        ordering = ("inspection_id", "proposed_at", "id")
        constraints = (
            models.CheckConstraint(
                condition=Q(finding__isnull=False, task__isnull=True) | Q(finding__isnull=True, task__isnull=False),
                name="exemption_finding_xor_task",
            ),
            models.UniqueConstraint(
                fields=["finding"], condition=~Q(state="rejected"), name="exemption_one_active_per_finding"
            ),
            models.UniqueConstraint(
                fields=["task"], condition=~Q(state="rejected"), name="exemption_one_active_per_task"
            ),
        )

    @property
    def withheld(self) -> bool:
        return self.state != self.State.REJECTED

    def __str__(self) -> str:
        return f"{self.get_ground_display()}({self.get_state_display()})"
