"""Response and request shapes shared by several routers, and the few conversions they need.

Routers hand plain dicts to ninja; the schemas here document them in the OpenAPI file and
validate what goes out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import F, QuerySet
from ninja import Schema
from pydantic import Field, field_validator

from zhenggai.ledger.figures import Figures
from zhenggai.ledger.lights import light
from zhenggai.ledger.models import Closure, Task
from zhenggai.org.models import User
from zhenggai.params import MAX_ID

# Numbers a client sends, bounded by the columns they land in: a value past them is a 422 in the
# usual error shape, never a database error (PostgreSQL raises on overflow, SQLite too past 2**63).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=0, le=2**31 - 1)]  # PositiveIntegerField
Count = Annotated[int, Field(ge=0, le=2**31 - 1)]  # PositiveIntegerField
SmallCount = Annotated[int, Field(ge=0, le=2**15 - 1)]  # PositiveSmallIntegerField
Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]


def _without_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("文本中不能含有空字符(\\u0000)")
    if isinstance(value, list | tuple):
        for item in value:
            _without_nul(item)
    return value


class Input(Schema):
    """Every request schema: text without NUL, which PostgreSQL refuses in a text column."""

    @field_validator("*", mode="after")
    @classmethod
    def _text_without_nul(cls, value: Any) -> Any:
        return _without_nul(value)


class ErrorOut(Schema):
    detail: str
    code: str


class UserRef(Schema):
    id: int
    username: str
    display_name: str


class FiguresOut(Schema):
    """Counts of specific problems by status, of tasks, and of open tasks by deadline light."""

    findings: int
    leaves: int
    completed: int
    basically: int
    in_progress: int
    long_term: int
    not_done: int
    unreported: int
    tasks: int
    closed: int
    overdue: int
    yellow: int
    green: int
    rate: str | None
    rate_text: str


class TaskOut(Schema):
    id: int
    inspection_id: int
    finding_id: int
    position: int
    text: str
    status: str
    closure: str
    kind: str | None
    responsible_leader: str
    department: str
    handler: UserRef | None
    deadline: date | None
    days_left: int | None
    light: str
    version: int
    closed_at: datetime | None
    updated_at: datetime


class Paging(Input):
    limit: Int32 = 50
    offset: Int32 = 0


MAX_LIMIT = 500


def page(queryset: QuerySet, paging: Paging) -> tuple[int, QuerySet]:
    """The total and one slice; limits are clamped rather than refused."""
    limit = min(max(paging.limit, 1), MAX_LIMIT)
    offset = max(paging.offset, 0)
    return queryset.count(), queryset[offset : offset + limit]


def figures_out(figures: Figures) -> dict[str, Any]:
    data = {name: getattr(figures, name) for name in FiguresOut.model_fields if name not in ("rate", "rate_text")}
    rate = figures.rate
    return {**data, "rate": None if rate is None else str(rate), "rate_text": figures.rate_text}


def user_ref(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "display_name": user.display_name or user.username}


def with_task_context(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Annotate what a task row shows besides its own columns: its inspection and its committee's lights."""
    return tasks.select_related("handler").annotate(
        inspection_pk=F("finding__inspection_id"),
        green_days=F("finding__inspection__round__committee__green_days"),
        yellow_days=F("finding__inspection__round__committee__yellow_days"),
    )


def task_out(task: Task, today: date) -> dict[str, Any]:
    """A task row; `task` comes from `with_task_context`."""
    closed = task.closure == Closure.CLOSED
    return {
        "id": task.pk,
        "inspection_id": task.inspection_pk,
        "finding_id": task.finding_id,
        "position": task.position,
        "text": task.text,
        "status": task.status,
        "closure": task.closure,
        "kind": task.kind,
        "responsible_leader": task.responsible_leader,
        "department": task.department,
        "handler": user_ref(task.handler),
        "deadline": task.deadline,
        "days_left": None if task.deadline is None or closed else (task.deadline - today).days,
        "light": str(
            light(task.deadline, today, green_days=task.green_days, yellow_days=task.yellow_days, closed=closed)
        ),
        "version": task.version,
        "closed_at": task.closed_at,
        "updated_at": task.updated_at,
    }
