"""The rows of the three lists, read from the ledger for `zhenggai.outputs.xlsx_write`."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.utils import timezone

from zhenggai.ledger.access import Action, require
from zhenggai.ledger.models import Closure, Finding, FindingKind, Inspection, ProgressNote, Task, TaskKind
from zhenggai.outputs.xlsx_write import LedgerWorkbook, ProblemRow, TaskRow, to_xlsx


def person(user) -> str:
    return "" if user is None else (user.display_name or user.username)


def _context(finding: Finding, by_id: dict[int, Finding]) -> tuple[str, str]:
    """(aspect, problem) above a specific problem: the top node and the middle one, if any."""
    chain = []
    node = finding
    while node.parent_id is not None:
        node = by_id[node.parent_id]
        chain.append(node)
    chain.reverse()
    aspect = chain[0].title if chain else ""
    problem = chain[1].title if len(chain) > 1 else ""
    return aspect, problem


def ledger_rows(inspection: Inspection) -> tuple[tuple[ProblemRow, ...], tuple[TaskRow, ...]]:
    """Problems and tasks in the reading order of the tree (depth first, by position)."""
    findings = list(inspection.findings.order_by("level", "position"))
    by_id = {f.pk: f for f in findings}
    children: dict[int | None, list[Finding]] = defaultdict(list)
    for finding in findings:
        children[finding.parent_id].append(finding)
    leaves: list[Finding] = []

    def walk(parent):
        for child in children[parent]:
            if child.kind == FindingKind.ITEM:
                leaves.append(child)
            walk(child.pk)

    walk(None)
    tasks: dict[int, list[Task]] = defaultdict(list)
    for task in Task.objects.filter(finding__inspection=inspection).select_related("handler").order_by("position"):
        tasks[task.finding_id].append(task)
    notes: dict[int, str] = {}
    for task_id, text in (
        ProgressNote.objects.filter(task__finding__inspection=inspection)
        .order_by("task_id", "created_at", "id")
        .values_list("task_id", "text")
    ):
        notes[task_id] = text
    kinds = dict(TaskKind.choices)
    closures = dict(Closure.choices)
    problems, rows = [], []
    for leaf in leaves:
        aspect, problem = _context(leaf, by_id)
        problems.append(ProblemRow(leaf.pk, aspect, problem, leaf.title, leaf.status, len(tasks[leaf.pk])))
        for task in tasks[leaf.pk]:
            rows.append(
                TaskRow(
                    task_id=task.pk,
                    aspect=aspect,
                    problem=problem,
                    item=leaf.title,
                    measure=task.text,
                    task_kind=kinds.get(task.kind, "") if task.kind else "",
                    status=task.status,
                    progress=notes.get(task.pk, ""),
                    closure=closures.get(task.closure, ""),
                    closed_on=timezone.localtime(task.closed_at).date() if task.closed_at else None,
                    leader=task.responsible_leader,
                    department=task.department,
                    handler=person(task.handler),
                    deadline=task.deadline,
                    version=task.version,
                )
            )
    return tuple(problems), tuple(rows)


def ledger_workbook(inspection: Inspection, *, actor: Any, as_of: date) -> bytes:
    require(actor, Action.EXPORT, inspection)
    problems, tasks = ledger_rows(inspection)
    unit = inspection.unit_name or inspection.unit.name
    return to_xlsx(LedgerWorkbook(unit, as_of, problems, tasks, inspection.pk))
