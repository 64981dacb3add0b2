"""Who may use the oversight pages. Scopes come from `ledger.access`; this adds only which roles see them.

| role        | dashboard, analyses, task lists     | taxonomy and reminder rules |
| ----------- | ----------------------------------- | --------------------------- |
| office      | everything                          | edit                        |
| supervisor  | everything, read-only               | read                        |
| team        | their team's inspections            | —                           |
| unit office | their unit's inspections            | —                           |
| responsible | — (their own tasks are in 我的任务) | —                           |

Every signed-in user has an inbox of their own reminders.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhenggai.ledger.access import inspections_for, role_of
from zhenggai.ledger.models import Inspection
from zhenggai.org.models import Role

VIEW_ROLES = frozenset({Role.OFFICE, Role.SUPERVISOR, Role.TEAM, Role.UNIT_OFFICE})
READ_SETTINGS_ROLES = frozenset({Role.OFFICE, Role.SUPERVISOR})


def can_view(user: Any) -> bool:
    return role_of(user) in VIEW_ROLES


def can_read_settings(user: Any) -> bool:
    return role_of(user) in READ_SETTINGS_ROLES


def can_manage(user: Any) -> bool:
    return role_of(user) == Role.OFFICE


def scope(user: Any) -> QuerySet[Inspection]:
    """The inspections the user's dashboard and analyses cover."""
    return inspections_for(user) if can_view(user) else Inspection.objects.none()
