"""Everything a report needs from the database, gathered into a `LedgerDocument` and a `ReportContext`.

The tree comes from `export_document` (the ledger's own export service, which also checks that the
user may export), with each specific problem's status replaced by the one it had on the report's
date. Exemptions, the late tasks and the unit's wording are translated into tree paths and plain
values, so the pure builders never see a model.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from zhenggai.ingest.ledgerdoc import LedgerDocument
from zhenggai.ledger.models import MONEY_KINDS, PEOPLE_KINDS, RULE_KINDS, Closure, Inspection, ResultKind, Task
from zhenggai.ledger.services.import_ledger import export_document
from zhenggai.outputs import LateItem, ReportContext, ReportKind, Sections, Version
from zhenggai.outputs.context import ResultLine
from zhenggai.reports.asof import LedgerState, ledger_as_of
from zhenggai.reports.models import Exemption, ReportDraft

SECTION_KEYS = ("title", "addressee", "opening", "organisation", "next_steps", "invitation", "publisher", "address")
# The 公文 marks of the in-party version (密级 or 内部资料 mark, 发文字号, 抄送, 印发机关), kept with the
# draft's wording; `issued_on` (印发日期) is an ISO date.
MARK_KEYS = ("mark", "doc_number", "copy_to", "issuer")
DATE_KEYS = ("issued_on",)
LIST_KEYS = ("phones", "emails")
RESULT_GROUPS = {
    **dict.fromkeys(RULE_KINDS, "rule"),
    **dict.fromkeys(MONEY_KINDS, "money"),
    **dict.fromkeys(PEOPLE_KINDS, "people"),
    ResultKind.MEETING: "meeting",
}


def tree_paths(inspection: Inspection) -> tuple[dict[int, tuple[int, ...]], dict[int, tuple[tuple[int, ...], int]]]:
    """Finding id → tree path and task id → (leaf path, measure index), in the order of `export_document`."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in inspection.findings.order_by("level", "position").values_list("pk", "parent_id"):
        children[parent].append(pk)
    paths: dict[int, tuple[int, ...]] = {}

    def walk(parent: int | None, prefix: tuple[int, ...]) -> None:
        for index, pk in enumerate(children[parent]):
            paths[pk] = (*prefix, index)
            walk(pk, paths[pk])

    walk(None, ())
    tasks: dict[int, tuple[tuple[int, ...], int]] = {}
    positions: dict[int, int] = defaultdict(int)
    for pk, finding in (
        Task.objects.filter(finding__inspection=inspection)
        .order_by("finding_id", "position")
        .values_list("pk", "finding_id")
    ):
        tasks[pk] = (paths[finding], positions[finding])
        positions[finding] += 1
    return paths, tasks


def sections_of(draft: ReportDraft | None) -> Sections:
    data = (draft.sections if draft else None) or {}
    values: dict[str, Any] = {key: str(data.get(key) or "") for key in (*SECTION_KEYS, *MARK_KEYS)}
    values.update({key: tuple(str(v) for v in data.get(key) or ()) for key in LIST_KEYS})
    for key in DATE_KEYS:
        try:
            values[key] = date.fromisoformat(str(data.get(key) or ""))
        except ValueError:
            values[key] = None
    return Sections(**values)


def result_lines(inspection: Inspection) -> tuple[ResultLine, ...]:
    """The inspection's results (整改成效) in the order of the kinds, as the builders take them."""
    order = {kind: n for n, kind in enumerate(ResultKind.values)}
    results = sorted(inspection.results.all(), key=lambda r: (order.get(r.kind, len(order)), r.pk))
    return tuple(
        ResultLine(
            group=RESULT_GROUPS.get(r.kind, "other"),
            label=r.get_kind_display(),
            title=r.title,
            amount=r.amount,
            count=r.count,
        )
        for r in results
    )


def report_inputs(
    inspection: Inspection,
    *,
    actor: Any,
    kind: ReportKind | str = ReportKind.PUBLIC,
    version: Version | str = Version.PUBLIC,
    as_of: date,
    draft: ReportDraft | None = None,
) -> tuple[LedgerDocument, ReportContext]:
    doc = export_document(inspection, actor=actor)  # checks the EXPORT permission
    state = ledger_as_of(inspection, as_of)
    paths, task_paths = tree_paths(inspection)
    by_path = {path: pk for pk, path in paths.items()}

    def overlay(nodes, prefix=()):
        for index, node in enumerate(nodes):
            here = (*prefix, index)
            if node.is_leaf:
                node.status = state.findings.get(by_path[here], node.status)
            overlay(node.children, here)

    overlay(doc.findings)
    exempt_findings, exempt_measures = set(), set()
    for finding_id, task_id in (
        Exemption.objects.filter(inspection=inspection)
        .exclude(state=Exemption.State.REJECTED)
        .values_list("finding_id", "task_id")
    ):
        if finding_id in paths:
            exempt_findings.add(paths[finding_id])
        elif task_id in task_paths:
            exempt_measures.add(task_paths[task_id])
    kind = ReportKind(kind)
    late = _late(inspection, state, task_paths, as_of, draft) if kind == ReportKind.PROGRESS else ()
    ctx = ReportContext(
        kind=kind,
        version=Version(version),
        as_of=as_of,
        dated=draft.dated if draft else None,
        sections=sections_of(draft),
        exempt_findings=frozenset(exempt_findings),
        exempt_measures=frozenset(exempt_measures),
        late=late,
        results=result_lines(inspection),
    )
    return doc, ctx


def _late(inspection, state: LedgerState, task_paths, as_of: date, draft: ReportDraft | None) -> tuple[LateItem, ...]:
    """Tasks past their deadline on `as_of` and not closed then, with the unit's reason (or the last note)."""
    reasons = (draft.sections.get("late_reasons") if draft else None) or {}
    items = []
    tasks = (
        Task.objects.filter(finding__inspection=inspection).select_related("finding").order_by("finding_id", "position")
    )
    for task in tasks:
        then = state.tasks.get(task.pk)
        if then is None or then.deadline is None or then.closure == Closure.CLOSED or then.deadline >= as_of:
            continue
        path, index = task_paths[task.pk]
        reason = str(reasons.get(str(task.pk)) or "").strip() or state.notes.get(task.pk, "")
        items.append(
            LateItem(
                path=path,
                finding=task.finding.title,
                measure=task.text,
                measure_index=index,
                deadline=then.deadline,
                days_late=(as_of - then.deadline).days,
                status=then.status,
                department=task.department,
                leader=task.responsible_leader,
                reason=reason,
                ref=task.pk,
            )
        )
    items.sort(key=lambda item: (item.path, item.measure_index))
    return tuple(items)
