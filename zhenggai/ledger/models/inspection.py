"""Rounds, inspections and the findings tree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhenggai.ledger.models.choices import FindingKind, Status
from zhenggai.org.models import Committee, InspectionTeam, Unit

MAX_DEPTH = 4


class Round(models.Model):
    """Round — 巡察轮次, one wave of inspections a committee sends out (e.g. 第八届县委第三轮巡察)."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="rounds", verbose_name="党委")
    name = models.CharField("名称", max_length=100)
    number = models.PositiveSmallIntegerField("轮次", null=True, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "巡察轮次"
        verbose_name_plural = "巡察轮次"
        ordering = ("-year", "-number", "name")
        constraints = (models.UniqueConstraint(fields=["committee", "name"], name="round_unique_name_per_committee"),)

    def __str__(self) -> str:
        return self.name


class Inspection(models.Model):
    """Inspection — 一次巡察 of one unit, with what its report says about itself.

    The *_name fields keep the document's wording; the foreign keys are what the system resolved
    them to. `source_sha256` and `tree_sha256` let a re-import be recognised and refused.
    """

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="inspections", verbose_name="轮次")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="inspections", verbose_name="被巡察单位")
    team = models.ForeignKey(
        InspectionTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name="巡察组",
    )
    unit_name = models.CharField("单位（原文）", max_length=200, blank=True)
    team_name = models.CharField("巡察组（原文）", max_length=100, blank=True)
    committee_name = models.CharField("党委（原文）", max_length=100, blank=True)
    kind = models.CharField("巡察类型", max_length=50, blank=True)
    start = models.DateField("进驻日期", null=True, blank=True)
    end = models.DateField("结束日期", null=True, blank=True)
    feedback_date = models.DateField("反馈日期", null=True, blank=True)

    report_title = models.CharField("报告标题", max_length=300, blank=True)
    report_publisher = models.CharField("发布单位", max_length=200, blank=True)
    report_date = models.DateField("成文日期", null=True, blank=True)
    report_published = models.CharField("网页发布时间", max_length=50, blank=True)
    source_name = models.CharField("来源文件", max_length=500, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    tree_sha256 = models.CharField(max_length=64, db_index=True)

    claimed = models.JSONField("报告自述数字", default=dict, blank=True)
    contact = models.JSONField("监督联系方式", default=dict, blank=True)
    warnings = models.JSONField("解析提示", default=list, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "巡察"
        verbose_name_plural = "巡察"
        ordering = ("round_id", "id")
        constraints = (
            models.UniqueConstraint(
                fields=["round", "source_sha256"], condition=~Q(source_sha256=""), name="inspection_unique_source"
            ),
            models.UniqueConstraint(
                fields=["unit", "feedback_date", "tree_sha256"],
                condition=Q(feedback_date__isnull=False),
                name="inspection_unique_tree",
            ),
        )

    def __str__(self) -> str:
        return f"{self.round} · {self.unit}"


class Finding(models.Model):
    """Finding — a node of the findings tree: aspect (方面), problem (问题) or specific problem (具体问题).

    Leaves carry the tasks. `status` follows from the tasks (and, above the leaves, from the
    children) unless `status_pinned` says someone set it on purpose.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    level = models.PositiveSmallIntegerField("层级")
    position = models.PositiveIntegerField("序号")
    label = models.CharField("编号", max_length=20, null=True, blank=True)
    title = models.TextField("内容")
    kind = models.CharField("类别", max_length=8, choices=FindingKind.choices)
    status = models.CharField("整改状态", max_length=8, choices=Status.choices, null=True, blank=True)
    status_pinned = models.BooleanField("状态人工认定", default=False)

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题"
        ordering = ("inspection_id", "level", "position")
        indexes = (
            models.Index(fields=["inspection", "kind", "status"], name="finding_figures_idx"),
            models.Index(fields=["parent", "position"], name="finding_children_idx"),
        )
        constraints = (
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=MAX_DEPTH), name="finding_level_range"),
            models.CheckConstraint(
                condition=Q(level=1, parent__isnull=True) | Q(level__gt=1, parent__isnull=False),
                name="finding_parent_matches_level",
            ),
        )

    def __str__(self) -> str:
        return f"{self.label or '-'} {self.title[:30]}"

    @property
    def is_leaf(self) -> bool:
        return self.kind == FindingKind.ITEM
