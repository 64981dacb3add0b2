"""Committees, units, inspection teams and the people who use the system.

A committee owns its rectification calendar (deadlines after feedback, traffic-light
thresholds) because localities differ; the defaults come from settings.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


def _calendar_default(key: str) -> int:
    return int(settings.ZHENGGAI_CALENDAR_DEFAULTS[key])


def default_plan_due_days() -> int:
    return _calendar_default("plan_due_days")


def default_concentrated_months() -> int:
    return _calendar_default("concentrated_months")


def default_report_due_months() -> int:
    return _calendar_default("report_due_months")


def default_green_days() -> int:
    return _calendar_default("green_days")


def default_yellow_days() -> int:
    return _calendar_default("yellow_days")


class Committee(models.Model):
    """Committee — 党委 (县委/市委/区委/省委) that orders inspections and sets the rectification calendar."""

    class Level(models.TextChoices):
        COUNTY = "county", "县"
        CITY = "city", "市"
        DISTRICT = "district", "区"
        PROVINCE = "province", "省"

    name = models.CharField("名称", max_length=100, unique=True)
    level = models.CharField("层级", max_length=16, choices=Level.choices, default=Level.COUNTY)
    plan_due_days = models.PositiveSmallIntegerField("整改方案期限（反馈后天数）", default=default_plan_due_days)
    concentrated_months = models.PositiveSmallIntegerField(
        "集中整改期（反馈后月数）", default=default_concentrated_months
    )
    report_due_months = models.PositiveSmallIntegerField(
        "整改报告期限（反馈后月数）", default=default_report_due_months
    )
    green_days = models.PositiveSmallIntegerField("绿灯提醒（剩余天数）", default=default_green_days)
    yellow_days = models.PositiveSmallIntegerField("黄灯预警（剩余天数）", default=default_yellow_days)

    class Meta:
        verbose_name = "党委"
        verbose_name_plural = "党委"
        ordering = ("name",)
        constraints = (
            models.CheckConstraint(
                condition=Q(yellow_days__lte=models.F("green_days")), name="committee_yellow_le_green"
            ),
        )

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """Unit — 被巡察单位, an organisation under a committee (bureau, township, company, school…)."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", "党政部门"
        TOWNSHIP = "township", "乡镇（街道）"
        INSTITUTION = "institution", "事业单位"
        ENTERPRISE = "enterprise", "国有企业"
        SCHOOL = "school", "学校"
        VILLAGE = "village", "村（社区）"
        OTHER = "other", "其他"

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="units", verbose_name="党委")
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        verbose_name = "被巡察单位"
        verbose_name_plural = "被巡察单位"
        ordering = ("committee_id", "name")
        constraints = (models.UniqueConstraint(fields=["committee", "name"], name="unit_unique_name_per_committee"),)

    def __str__(self) -> str:
        return self.name


class InspectionTeam(models.Model):
    """InspectionTeam — 巡察组 (巡视组 at provincial level), e.g. 县委第一巡察组."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="teams", verbose_name="党委")
    name = models.CharField("名称", max_length=100)

    class Meta:
        verbose_name = "巡察组"
        verbose_name_plural = "巡察组"
        ordering = ("committee_id", "name")
        constraints = (models.UniqueConstraint(fields=["committee", "name"], name="team_unique_name_per_committee"),)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """What a user may see and do; the rules themselves live in `zhenggai.ledger.access`."""

    OFFICE = "office", "巡察办"
    TEAM = "team", "巡察组成员"
    UNIT_OFFICE = "unit_office", "被巡察单位整改办"
    RESPONSIBLE = "responsible", "责任人"
    SUPERVISOR = "supervisor", "纪委监委/组织部"


UNIT_ROLES = (Role.UNIT_OFFICE, Role.RESPONSIBLE)


class User(AbstractUser):
    """A person using the system, with one role; unit or team say whose ledgers the role covers.

    A user without a role sees nothing. Superusers act as the inspection office.
    """

    role = models.CharField("角色", max_length=16, choices=Role.choices, blank=True, default="")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name="所在单位"
    )
    team = models.ForeignKey(
        InspectionTeam, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name="巡察组"
    )
    display_name = models.CharField("姓名", max_length=50, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = (
            models.CheckConstraint(
                condition=~Q(role__in=UNIT_ROLES) | Q(unit__isnull=False), name="user_unit_role_has_unit"
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.TEAM) | Q(team__isnull=False), name="user_team_role_has_team"
            ),
        )

    def __str__(self) -> str:
        return self.display_name or self.username
