"""Template filters for the way Chinese government documents write dates, rates and deadlines."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from zhenggai.ledger.figures import format_rate
from zhenggai.ledger.models import Closure, Status

register = template.Library()

STATUS_CLASS = {
    Status.COMPLETED: "s-done",
    Status.BASICALLY: "s-basic",
    Status.IN_PROGRESS: "s-progress",
    Status.LONG_TERM: "s-long",
    Status.NOT_DONE: "s-notdone",
}
CLOSURE_CLASS = {Closure.OPEN: "c-open", Closure.CLOSURE_REQUESTED: "c-requested", Closure.CLOSED: "c-closed"}


@register.filter
def cndate(value: date | datetime | None, empty: str = "—") -> str:
    """2024年3月5日 (a datetime is shown in local time, date only)."""
    if value is None or value == "":
        return empty
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def cndatetime(value: datetime | None) -> str:
    """2024年3月5日 14:05, in local time."""
    if value is None:
        return "—"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


@register.filter
def rate(value: Decimal | None) -> str:
    """98.71%, or — when there is nothing to count."""
    return format_rate(value)


@register.filter
def days_left(days: int | None) -> str:
    """A countdown in words: 还有5天 / 今天到期 / 已超期3天."""
    if days is None:
        return ""
    if days > 0:
        return f"还有{days}天"
    if days == 0:
        return "今天到期"
    return f"已超期{-days}天"


@register.filter
def passed_days(days: int | None) -> str:
    """A milestone's countdown: 还有5天 / 就在今天 / 已过3天."""
    if days is None:
        return ""
    if days > 0:
        return f"还有{days}天"
    if days == 0:
        return "就在今天"
    return f"已过{-days}天"


@register.filter
def status_class(value: str | None) -> str:
    try:
        return STATUS_CLASS[Status(value)]
    except ValueError:
        return "s-none"


@register.filter
def closure_class(value: str | None) -> str:
    try:
        return CLOSURE_CLASS[Closure(value)]
    except ValueError:
        return ""


@register.filter
def closure_label(value: str | None) -> str:
    try:
        return Closure(value).label
    except ValueError:
        return ""


@register.filter
def yuan(value: Decimal | None) -> str:
    """Money as the reports write it: 12.5万元 above ten thousand, else 3,200元."""
    if value is None:
        return "—"
    value = Decimal(value)
    if value >= 10000:
        return f"{(value / 10000).quantize(Decimal('0.01')).normalize():f}万元"
    return f"{value.quantize(Decimal('0.01')).normalize():,f}元"


@register.filter
def filesize(value: int | None) -> str:
    if value is None:
        return ""
    if value < 1024:
        return f"{value} B"
    if value < 1024 * 1024:
        return f"{value / 1024:.0f} KB"
    return f"{value / 1024 / 1024:.1f} MB"


@register.filter
def domid(path: str) -> str:
    """A tree path such as "0.2.1" as a safe id fragment: "0-2-1"."""
    return str(path).replace(".", "-")
