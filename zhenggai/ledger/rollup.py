"""How a problem's status follows from its tasks (and a parent's from its children).

One small pure rule, applied after every task change unless the status was set on purpose:

1. nothing to go on (no tasks, or none with a status) → no status;
2. every one completed → 完成整改;
3. completed or long-term, some long-term → 长期坚持;
4. completed, long-term or basically completed, some basically → 基本完成;
5. every one not done (an unknown counts as not done) → 未完成;
6. anything else — something under way or a mix of done and not done → 正在推进.
"""

from __future__ import annotations

from collections.abc import Iterable

from zhenggai.ledger.models.choices import Status

_DONE = {Status.COMPLETED}
_LASTING = {Status.COMPLETED, Status.LONG_TERM}
_DONE_ISH = {Status.COMPLETED, Status.LONG_TERM, Status.BASICALLY}


def rollup_status(statuses: Iterable[str | None]) -> Status | None:
    """The status of a node whose parts have `statuses` (see the module docstring for the rule)."""
    given = list(statuses)
    if not given or all(s is None for s in given):
        return None
    parts = {Status(s) if s is not None else Status.NOT_DONE for s in given}
    if parts <= _DONE:
        return Status.COMPLETED
    if parts <= _LASTING:
        return Status.LONG_TERM
    if parts <= _DONE_ISH:
        return Status.BASICALLY
    if parts == {Status.NOT_DONE}:
        return Status.NOT_DONE
    return Status.IN_PROGRESS
