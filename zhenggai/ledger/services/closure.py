"""Closure (销号): the unit asks, the inspection office accepts or returns — all through `transition()`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zhenggai.ledger.models import Evidence, Task
from zhenggai.ledger.workflow import ClosureAction, transition


def request_closure(
    task: Task, *, actor: Any, note: str = "", evidence: Sequence[Evidence] = (), expected_version: int | None = None
) -> Task:
    """Ask the office to close a done task, pointing to its evidence and/or explaining in a note."""
    return transition(
        task,
        actor=actor,
        closure_action=ClosureAction.REQUEST,
        reason=note,
        evidence=evidence,
        expected_version=expected_version,
    )


def accept_closure(task: Task, *, actor: Any, expected_version: int | None = None) -> Task:
    """The office accepts: the task is closed and counts as 完成整改."""
    return transition(task, actor=actor, closure_action=ClosureAction.ACCEPT, expected_version=expected_version)


def return_closure(task: Task, *, actor: Any, reason: str, expected_version: int | None = None) -> Task:
    """The office sends the request back with a reason: the task is open again, 正在推进."""
    return transition(
        task, actor=actor, closure_action=ClosureAction.RETURN, reason=reason, expected_version=expected_version
    )


def reopen(task: Task, *, actor: Any, reason: str, expected_version: int | None = None) -> Task:
    """The office reopens a closed task whose problem came back (改了又犯)."""
    return transition(
        task, actor=actor, closure_action=ClosureAction.REOPEN, reason=reason, expected_version=expected_version
    )
