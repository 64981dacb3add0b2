"""Who may do what with reports, on top of `zhenggai.ledger.access` (which decides who sees an inspection).

| action                     | roles                    | why                                              |
| -------------------------- | ------------------------ | ------------------------------------------------ |
| view, download (EXPORT)    | office, supervisor, team, unit office | the same people who may export the ledger |
| edit a draft, propose an exemption, import a workbook | office, unit office | the unit writes its own report and ledger |
| approve a draft, decide an exemption (PUBLISH) | office   | the inspection office signs off what is published |

Every check asks `access.can(user, VIEW, inspection)` too, so a unit office never reaches another
unit's reports; a refusal is logged and written to the history exactly as `access.require` does.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from zhenggai.ledger.access import Action, can, role_of
from zhenggai.ledger.errors import Forbidden
from zhenggai.ledger.history import record
from zhenggai.ledger.models import Inspection
from zhenggai.org.models import Role, User

security_log = logging.getLogger("zhenggai.security")


class ReportAction(StrEnum):
    VIEW = "view_reports"
    EDIT = "edit_report"
    APPROVE = "approve_report"
    PROPOSE_EXEMPTION = "propose_exemption"
    DECIDE_EXEMPTION = "decide_exemption"
    IMPORT_WORKBOOK = "import_workbook"


_WRITERS = frozenset({Role.OFFICE, Role.UNIT_OFFICE})
ROLES: dict[ReportAction, frozenset[Role]] = {
    ReportAction.VIEW: frozenset({Role.OFFICE, Role.SUPERVISOR, Role.TEAM, Role.UNIT_OFFICE}),
    ReportAction.EDIT: _WRITERS,
    ReportAction.PROPOSE_EXEMPTION: _WRITERS,
    ReportAction.IMPORT_WORKBOOK: _WRITERS,
    ReportAction.APPROVE: frozenset({Role.OFFICE}),
    ReportAction.DECIDE_EXEMPTION: frozenset({Role.OFFICE}),
}
# The ledger action each one stands for, so both tables agree (checked in the tests).
LEDGER_ACTION = {
    ReportAction.VIEW: Action.EXPORT,
    ReportAction.EDIT: Action.MANAGE_RESULTS,
    ReportAction.PROPOSE_EXEMPTION: Action.MANAGE_RESULTS,
    ReportAction.IMPORT_WORKBOOK: Action.ASSIGN,
    ReportAction.APPROVE: Action.PUBLISH,
    ReportAction.DECIDE_EXEMPTION: Action.PUBLISH,
}


def may(user: Any, action: ReportAction, inspection: Inspection) -> bool:
    """Whether `user` may take `action` on the reports of `inspection`. No side effects."""
    return role_of(user) in ROLES[action] and can(user, Action.VIEW, inspection)


def require(user: Any, action: ReportAction, inspection: Inspection) -> None:
    """Raise Forbidden unless `may()`; the refusal is logged and kept in the history."""
    if may(user, action, inspection):
        return
    username = getattr(user, "username", None) or "anonymous"
    security_log.warning("denied user=%s action=%s object=inspection#%s", username, action, inspection.pk)
    record(
        actor=user if isinstance(user, User) else None,
        action="denied",
        obj=inspection,
        inspection=inspection,
        after={"action": str(action)},
    )
    raise Forbidden()
