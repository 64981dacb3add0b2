"""Committees and their inspection rounds, set up by the inspection office."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhenggai.ledger.access import Action, require
from zhenggai.ledger.concurrency import retrying
from zhenggai.ledger.errors import ValidationFailed
from zhenggai.ledger.history import record, snapshot
from zhenggai.ledger.models import Round
from zhenggai.org.models import Committee

CALENDAR_FIELDS = ("plan_due_days", "concentrated_months", "report_due_months", "green_days", "yellow_days")


@retrying
def create_committee(*, actor: Any, name: str, level: str = Committee.Level.COUNTY, **calendar: int) -> Committee:
    """A committee with the default calendar unless `calendar` gives some of CALENDAR_FIELDS."""
    require(actor, Action.MANAGE_USERS)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed("请填写党委名称（不超过100字）")
    if level not in Committee.Level.values:
        raise ValidationFailed("未知的党委层级")
    unknown = set(calendar) - set(CALENDAR_FIELDS)
    if unknown:
        raise ValueError(f"unknown calendar fields: {sorted(unknown)}")
    with transaction.atomic():
        if Committee.objects.filter(name=name).exists():
            raise ValidationFailed("该党委已存在")
        committee = Committee(name=name, level=level, **calendar)
        if committee.yellow_days > committee.green_days:
            raise ValidationFailed("黄灯天数不能大于绿灯天数")
        committee.save()
        record(
            actor=actor,
            action="committee_created",
            obj=committee,
            after=snapshot(committee, ("name", "level", *CALENDAR_FIELDS)),
        )
    return committee


@retrying
def set_calendar(committee: Committee, *, actor: Any, **calendar: int) -> Committee:
    """Change a committee's deadline rules and light thresholds."""
    require(actor, Action.MANAGE_USERS)
    unknown = set(calendar) - set(CALENDAR_FIELDS)
    if unknown:
        raise ValueError(f"unknown calendar fields: {sorted(unknown)}")
    if any(not isinstance(v, int) or v < 0 for v in calendar.values()):
        raise ValidationFailed("天数、月数应为非负整数")
    with transaction.atomic():
        current = Committee.objects.select_for_update().get(pk=committee.pk)
        before = snapshot(current, CALENDAR_FIELDS)
        for key, value in calendar.items():
            setattr(current, key, value)
        if current.yellow_days > current.green_days:
            raise ValidationFailed("黄灯天数不能大于绿灯天数")
        current.save()
        record(
            actor=actor, action="calendar_changed", obj=current, before=before, after=snapshot(current, CALENDAR_FIELDS)
        )
    committee.refresh_from_db()
    return committee


@retrying
def create_round(*, actor: Any, committee: Committee, name: str, year: int, number: int | None = None) -> Round:
    require(actor, Action.IMPORT, committee)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed("请填写轮次名称（不超过100字）")
    with transaction.atomic():
        if Round.objects.filter(committee=committee, name=name).exists():
            raise ValidationFailed("该轮次已存在")
        round_ = Round.objects.create(committee=committee, name=name, year=year, number=number)
        record(actor=actor, action="round_created", obj=round_, after={"name": name, "year": year, "number": number})
    return round_
