"""Ledger models, one module per concern; import them from here."""

from zhenggai.ledger.models.choices import (
    MONEY_KINDS,
    PEOPLE_KINDS,
    RULE_KINDS,
    Closure,
    Decision,
    FindingKind,
    ResultKind,
    Status,
    TaskKind,
)
from zhenggai.ledger.models.event import AppendOnly, Event
from zhenggai.ledger.models.inspection import MAX_DEPTH, Finding, Inspection, Round
from zhenggai.ledger.models.result import Result
from zhenggai.ledger.models.task import ClosureRequest, Evidence, ProgressNote, Task

__all__ = [
    "MAX_DEPTH",
    "MONEY_KINDS",
    "PEOPLE_KINDS",
    "RULE_KINDS",
    "AppendOnly",
    "Closure",
    "ClosureRequest",
    "Decision",
    "Event",
    "Evidence",
    "Finding",
    "FindingKind",
    "Inspection",
    "ProgressNote",
    "Result",
    "ResultKind",
    "Round",
    "Status",
    "Task",
    "TaskKind",
]
