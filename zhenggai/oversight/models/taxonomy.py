"""The standard taxonomies (六大建设, 三个聚焦…) the office maps findings to, and each finding's place in them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from zhenggai.ledger.models import Finding
from zhenggai.oversight.analysis.taxonomies import keyword_list


class Taxonomy(models.Model):
    """Taxonomy — 问题分类体系. One is the default the dashboard's aspects use."""

    name = models.CharField("名称", max_length=100, unique=True)
    description = models.TextField("说明", blank=True)
    is_default = models.BooleanField("默认", default=False)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "问题分类体系"
        verbose_name_plural = "问题分类体系"
        ordering = ("position", "id")
        constraints = (
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="taxonomy_one_default"),
        )

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """Category — 分类, with the keywords that put a finding in it (separated by spaces or 、)."""

    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=100)
    keywords = models.TextField("关键词", blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "分类"
        verbose_name_plural = "分类"
        ordering = ("taxonomy_id", "position", "id")
        constraints = (models.UniqueConstraint(fields=["taxonomy", "code"], name="category_unique_code"),)

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return keyword_list(self.keywords)


class FindingCategory(models.Model):
    """Where the classifier put one specific problem in one taxonomy, and why (`matched`, `method`)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="oversight_categories")
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    score = models.FloatField(default=0)
    method = models.CharField(max_length=10, default="none")
    matched = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "问题归类"
        verbose_name_plural = "问题归类"
        constraints = (models.UniqueConstraint(fields=["finding", "taxonomy"], name="finding_category_unique"),)
        indexes = (models.Index(fields=["taxonomy", "category"], name="finding_category_idx"),)
