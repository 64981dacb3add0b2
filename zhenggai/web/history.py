"""Events (操作记录) told in Chinese: who, when, what, and each changed field as before → after."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime

from zhenggai.ledger.models import Closure, Event, Evidence, Task, TaskKind
from zhenggai.org.models import User
from zhenggai.web.templatetags.zhenggai_web import cndate, cndatetime

ACTIONS = {
    "imported": "导入台账",
    "assigned": "分工调整",
    "status_changed": "修改整改状态",
    "status_derived": "状态随任务更新",
    "status_pinned": "人工认定状态",
    "status_unpinned": "取消人工认定",
    "closure_requested": "申请销号",
    "closure_accepted": "同意销号",
    "closure_returned": "退回销号申请",
    "closure_reopened": "重新打开",
    "note_added": "记录进展",
    "evidence_added": "上传佐证材料",
    "result_added": "登记整改成效",
    "result_deleted": "删除整改成效",
    "denied": "越权访问被拒绝",
    "demo_loaded": "载入演示数据",
}
FIELDS = {
    "status": "整改状态",
    "closure": "销号状态",
    "closed_at": "销号时间",
    "responsible_leader": "责任领导",
    "department": "责任科室",
    "handler": "责任人",
    "deadline": "整改时限",
    "kind": "任务类型",
}
HIDDEN = {"version", "request", "task", "sha256"}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class EventRow:
    event: Event
    action: str
    actor: str
    changes: list[Change] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)


def task_events(task: Task) -> QuerySet[Event]:
    """Everything that happened to one task: its own events and its notes and evidence."""
    return (
        Event.objects.filter(
            Q(object_type="task", object_id=str(task.pk))
            | Q(
                object_type__in=("progressnote", "evidence"),
                inspection_id=task.finding.inspection_id,
                after__task=task.pk,
            )
        )
        .exclude(action="denied")
        .select_related("actor")
        .order_by("at", "pk")
    )


def _value(name: str, value: Any, users: dict[int, str]) -> str:
    if value is None or value == "":
        return "（空）"
    if name == "closure":
        try:
            return Closure(value).label
        except ValueError:
            return str(value)
    if name == "kind":
        try:
            return TaskKind(value).label
        except ValueError:
            return str(value)
    if name == "handler":
        return users.get(value, f"用户#{value}")
    if name == "deadline":
        parsed = value if isinstance(value, date) else parse_date(str(value))
        return cndate(parsed) if parsed else str(value)
    if name == "closed_at":
        parsed = value if isinstance(value, datetime) else parse_datetime(str(value))
        return cndatetime(parsed) if parsed else str(value)
    return str(value)


def describe(events: list[Event]) -> list[EventRow]:
    """Readable rows for the given events (two extra queries at most: people and evidence names)."""
    user_ids: set[int] = set()
    evidence_ids: set[int] = set()
    for event in events:
        for part in (event.before or {}, event.after or {}):
            if isinstance(part.get("handler"), int):
                user_ids.add(part["handler"])
            evidence_ids.update(e for e in part.get("evidence", []) if isinstance(e, int))
    users = {u.pk: (u.display_name or u.username) for u in User.objects.filter(pk__in=user_ids)}
    files = dict(Evidence.objects.filter(pk__in=evidence_ids).values_list("pk", "original_name"))

    rows = []
    for event in events:
        before, after = event.before or {}, event.after or {}
        row = EventRow(
            event=event,
            action=ACTIONS.get(event.action, event.action),
            actor=(event.actor.display_name or event.actor.username) if event.actor else "系统",
        )
        for name in [k for k in FIELDS if k in before or k in after]:
            row.changes.append(
                Change(FIELDS[name], _value(name, before.get(name), users), _value(name, after.get(name), users))
            )
        if after.get("text"):
            row.details.append(("内容", after["text"]))
        if after.get("note"):
            row.details.append(("说明", after["note"]))
        if after.get("reason"):
            row.details.append(("理由", after["reason"]))
        if after.get("name"):
            row.details.append(("文件", after["name"]))
        if after.get("evidence"):
            row.details.append(("佐证材料", "、".join(files.get(e, f"#{e}") for e in after["evidence"])))
        rows.append(row)
    return rows
