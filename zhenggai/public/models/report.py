"""Public reports, their revisions and the notices that make every public change visible.

Nothing here refers to a user: the publisher is an organisation's name, and who submitted or
approved a revision is kept in the ledger's history (Event), which the public side never reads.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from zhenggai.ledger.models import Inspection, Round
from zhenggai.org.models import Committee, Unit
from zhenggai.outputs.numbering import cn_date


class PublicReport(models.Model):
    """PublicReport — 公开的整改情况报告 of one inspection, as the public site knows it.

    `title` and `publisher` repeat the last approved revision so a withdrawn report can still say
    what was withdrawn; committee, round, unit and year are the list filters. The names of committee,
    round and unit are kept here too, and the keys carry no database constraint, so that the public-only
    mode (ZHENGGAI_MODE=public) can show and filter reports without the ledger's tables (which stay
    empty there).
    """

    class State(models.TextChoices):
        PENDING = "pending", "未发布"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤回"

    inspection = models.OneToOneField(
        Inspection, on_delete=models.PROTECT, related_name="public_report", db_constraint=False
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="+", verbose_name="党委", db_constraint=False
    )
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="+", verbose_name="轮次", db_constraint=False
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="单位", db_constraint=False)
    committee_name = models.CharField("党委名称", max_length=200, blank=True)
    round_name = models.CharField("轮次名称", max_length=200, blank=True)
    unit_name = models.CharField("单位名称", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    state = models.CharField("发布状态", max_length=12, choices=State.choices, default=State.PENDING)
    title = models.CharField("标题", max_length=300, blank=True)
    publisher = models.CharField("发布单位", max_length=200, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    changed_at = models.DateTimeField("最近变更", null=True, blank=True)

    class Meta:
        verbose_name = "公开报告"
        verbose_name_plural = "公开报告"
        ordering = ("-published_on", "-id")
        indexes = (models.Index(fields=["state", "-published_on", "-id"], name="public_report_list_idx"),)

    def __str__(self) -> str:
        return self.title or str(self.inspection)

    def copy_names(self) -> None:
        """Take the names of committee, round and unit from the ledger (intranet side only)."""
        self.committee_name = self.committee.name
        self.round_name = self.round.name
        self.unit_name = self.unit.name


class Revision(models.Model):
    """Revision — 公开版本: the public text frozen when the unit submitted it, never edited afterwards.

    At most one revision of a report is `live` (on the public site); `search_seq` orders the live
    ones newest first and is the row id of the search index. A correction is a new revision.
    """

    class State(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已通过"

    report = models.ForeignKey(PublicReport, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField("版本号")
    state = models.CharField("审核状态", max_length=12, choices=State.choices, default=State.SUBMITTED)
    title = models.CharField("标题", max_length=300)
    publisher = models.CharField("发布单位", max_length=200)
    dated = models.DateField("成文日期")
    as_of = models.DateField("数据截至")
    counts = models.JSONField("整改数字", default=dict)
    contact = models.JSONField("监督联系方式", default=dict)
    body_html = models.TextField("正文(HTML)")
    body_text = models.TextField("正文(文本)")
    blocks = models.JSONField("段落", default=list)  # the composed paragraphs, to draw .docx/PDF again
    exempt = models.JSONField("不公开的条目", default=list, blank=True)
    # the exemptions behind what is withheld (ground, reason, who proposed and decided), kept as approved
    exemptions = models.JSONField("不予公开事项", default=list, blank=True)
    correction_note = models.TextField("更正说明", blank=True)
    submitted_at = models.DateTimeField("提交时间")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    live = models.BooleanField("正在公开", default=False)
    search_seq = models.BigIntegerField("检索序号", null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "公开版本"
        verbose_name_plural = "公开版本"
        ordering = ("report_id", "number")
        constraints = (
            models.UniqueConstraint(fields=["report", "number"], name="public_revision_unique_number"),
            models.UniqueConstraint(fields=["report"], condition=Q(live=True), name="public_revision_one_live"),
            models.CheckConstraint(
                condition=Q(live=False) | Q(state="approved", search_seq__isnull=False),
                name="public_revision_live_is_approved",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""), name="public_revision_return_has_reason"
            ),
        )
        indexes = (
            models.Index(fields=["state", "submitted_at"], name="public_revision_queue_idx"),
            models.Index(fields=["-search_seq"], condition=Q(live=True), name="public_revision_live_idx"),
        )

    def __str__(self) -> str:
        return f"{self.title}(第{self.number}版)"


class Notice(models.Model):
    """Notice — 更正/撤回说明 shown on the report page, so that no public change is ever silent."""

    class Kind(models.TextChoices):
        CORRECTED = "corrected", "更正"
        WITHDRAWN = "withdrawn", "撤回"
        REPUBLISHED = "republished", "重新发布"

    report = models.ForeignKey(PublicReport, on_delete=models.PROTECT, related_name="notices")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    on = models.DateField("日期")
    text = models.TextField("说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "更正撤回说明"
        verbose_name_plural = "更正撤回说明"
        ordering = ("report_id", "created_at", "id")

    def __str__(self) -> str:
        return self.sentence

    @property
    def sentence(self) -> str:
        """本文于2024年3月5日更正：… / 本文已于2024年3月5日撤回。… / 本文于…重新发布。…"""
        on = cn_date(self.on)
        if self.kind == self.Kind.CORRECTED:
            return f"本文于{on}更正：{self.text}" if self.text else f"本文于{on}更正。"
        if self.kind == self.Kind.WITHDRAWN:
            return f"本文已于{on}撤回。{self.text}"
        return f"本文于{on}重新发布。{self.text}"
