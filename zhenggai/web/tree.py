"""The findings tree of one inspection as the pages show it: nested nodes, tree order and label paths."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

from django.urls import reverse

from zhenggai.ledger.lights import Light, light
from zhenggai.ledger.models import Closure, Finding, Inspection, Task
from zhenggai.org.models import Committee
from zhenggai.web.templatetags.zhenggai_web import closure_class, cndate, status_class


@dataclass
class TaskRow:
    """A task as a row of the tree or the table, with what the templates would otherwise compute per row."""

    task: Task
    light: Light
    path: str = ""

    @cached_property
    def url(self) -> str:
        return task_url(self.task.pk)

    @cached_property
    def status_css(self) -> str:
        return status_class(self.task.status)

    @cached_property
    def closure_text(self) -> str:
        return "" if self.task.closure == Closure.OPEN else Closure(self.task.closure).label

    @cached_property
    def closure_css(self) -> str:
        return closure_class(self.task.closure)

    @cached_property
    def deadline_text(self) -> str:
        return cndate(self.task.deadline, "")


@lru_cache(maxsize=1)
def _task_url_pattern() -> str:
    return reverse("web:task", kwargs={"pk": 0}).replace("/0/", "/{}/")


def task_url(pk: int) -> str:
    """The task page's URL without a full `reverse()` per row (a ledger page shows hundreds)."""
    return _task_url_pattern().format(pk)


@dataclass
class Node:
    finding: Finding
    children: list[Node] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)


@dataclass
class Tree:
    roots: list[Node]
    order: dict[int, int]  # finding id → place in reading order
    paths: dict[int, str]  # finding id → "一/(一)/1"
    leaves: int


def task_light(task: Task, committee: Committee, today: date) -> Light:
    return light(
        task.deadline,
        today,
        green_days=committee.green_days,
        yellow_days=committee.yellow_days,
        closed=task.closure == Closure.CLOSED,
    )


def build_tree(inspection: Inspection, tasks: list[Task], committee: Committee, today: date) -> Tree:
    """All findings of the inspection, with the given (already scoped) tasks under their leaves."""
    findings = list(
        Finding.objects.filter(inspection=inspection)
        .only("pk", "parent_id", "level", "position", "label", "title", "kind", "status", "status_pinned")
        .order_by("level", "position")
    )
    nodes = {f.pk: Node(f) for f in findings}
    roots: list[Node] = []
    for f in findings:
        (nodes[f.parent_id].children if f.parent_id in nodes else roots).append(nodes[f.pk])
    by_finding: dict[int, list[TaskRow]] = defaultdict(list)
    for task in tasks:
        by_finding[task.finding_id].append(TaskRow(task, task_light(task, committee, today)))
    order: dict[int, int] = {}
    paths: dict[int, str] = {}

    def walk(level: list[Node], prefix: str) -> None:
        for node in level:
            order[node.finding.pk] = len(order)
            label = node.finding.label or str(node.finding.position + 1)
            paths[node.finding.pk] = f"{prefix}{label}"
            node.tasks = by_finding.get(node.finding.pk, [])
            for row in node.tasks:
                row.path = paths[node.finding.pk]
            walk(node.children, f"{paths[node.finding.pk]} / ")

    walk(roots, "")
    return Tree(roots=roots, order=order, paths=paths, leaves=sum(1 for f in findings if f.is_leaf))


def ancestors(finding: Finding) -> list[Finding]:
    """The finding and those above it, top first (at most MAX_DEPTH small queries)."""
    chain = [finding]
    while chain[-1].parent_id:
        chain.append(Finding.objects.only("pk", "parent_id", "label", "title", "kind").get(pk=chain[-1].parent_id))
    return list(reversed(chain))
