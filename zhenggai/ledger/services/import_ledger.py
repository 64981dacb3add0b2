"""Import a `zhenggai.ledger/1` document as an inspection's ledger, and export it back.

Import is all or nothing: one transaction creates the inspection, its findings tree and one
task per measure, or nothing at all. A document without a single specific problem is refused
(EmptyImport), so a report the parser could not read never becomes an empty ledger that blocks
its own corrected import. The same report imported twice is recognised — by the SHA-256 of its
source file within the round, or by unit, feedback date and an identical tree — and refused with
the id of the inspection that already holds it; an inspection that holds no problem (an empty
import from before that rule) holds nothing to protect, so the new import fills it instead.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, fields, replace
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from zhenggai.ingest import ledgerdoc as ld
from zhenggai.ledger.access import Action, require
from zhenggai.ledger.concurrency import retrying
from zhenggai.ledger.errors import DuplicateImport, EmptyImport, ValidationFailed
from zhenggai.ledger.history import record
from zhenggai.ledger.models import MAX_DEPTH, Finding, FindingKind, Inspection, Round, Status, Task, TaskKind
from zhenggai.ledger.rollup import rollup_status
from zhenggai.org.models import UNIT_ROLES, InspectionTeam, Unit, User

# Column widths the database enforces on PostgreSQL only; checked here so SQLite agrees.
_LIMITS = {
    "inspection.unit": 200,
    "inspection.team": 100,
    "inspection.committee": 100,
    "inspection.kind": 50,
    "report.title": 300,
    "report.publisher": 200,
    "report.published": 50,
    "report.source": 500,
}
_LABEL_MAX = 20


def tree_fingerprint(findings: list[ld.Finding]) -> str:
    """SHA-256 of the findings tree as canonical JSON: equal trees, equal fingerprints."""
    canonical = json.dumps([f.to_dict() for f in findings], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@retrying
def import_document(
    doc: ld.LedgerDocument,
    *,
    round: Round,
    unit: Unit | None = None,
    actor: Any,
    source_bytes: bytes | None = None,
) -> Inspection:
    """Create the ledger of one inspection from `doc` in `round`; returns the new Inspection.

    `unit` overrides the unit named in the document; otherwise the unit is found (or created)
    by that name among the round's committee's units. Raises EmptyImport for a document without
    a specific problem, ValidationFailed for one the ledger cannot hold and DuplicateImport for one
    it already holds.
    """
    require(actor, Action.IMPORT, round)
    if not doc.leaves():
        raise EmptyImport()
    dates = _check_document(doc)
    if unit is not None and unit.committee_id != round.committee_id:
        raise ValidationFailed("所选单位不属于该轮巡察的党委")
    unit_name = (doc.inspection.unit or "").strip()
    if unit is None and not unit_name:
        raise ValidationFailed("文档未写明被巡察单位，请选择单位", errors={"unit": ["请选择被巡察单位"]})
    source_sha = hashlib.sha256(source_bytes).hexdigest() if source_bytes is not None else ""
    tree_sha = tree_fingerprint(doc.findings)

    try:
        with transaction.atomic():
            if unit is None:
                unit, _ = Unit.objects.get_or_create(committee_id=round.committee_id, name=unit_name)
            empty = _refuse_duplicate(round, unit, dates["feedback_date"], source_sha, tree_sha)
            fields = _inspection_fields(doc, round, unit, dates, source_sha, tree_sha)
            if empty is None:
                inspection = Inspection.objects.create(**fields, created_by=actor)
            else:
                inspection = _refill(empty, fields)
            n_findings, n_tasks = _create_tree(inspection, doc.findings)
            after = {"source": inspection.source_name, "findings": n_findings, "tasks": n_tasks}
            if empty is not None:
                after["refilled"] = True  # the same report, imported empty before, now with its problems
            record(actor=actor, action="imported", obj=inspection, inspection=inspection, after=after)
    except IntegrityError:
        # Another import of the same report committed first: say so instead of failing obscurely.
        _refuse_duplicate(round, unit, dates["feedback_date"], source_sha, tree_sha)
        raise
    return inspection


def _check_document(doc: ld.LedgerDocument) -> dict[str, date | None]:
    """Everything that would fail half-way through the import, found before it starts."""
    errors: dict[str, list[str]] = defaultdict(list)
    dates: dict[str, date | None] = {}
    for key, value in (
        ("start", doc.inspection.start),
        ("end", doc.inspection.end),
        ("feedback_date", doc.inspection.feedback_date),
        ("report_date", doc.report.date),
    ):
        try:
            dates[key] = date.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            errors[key].append(f"日期“{value}”无法识别，应为 YYYY-MM-DD")
    for key, limit in _LIMITS.items():
        part, name = key.split(".")
        value = getattr(getattr(doc, part), name)
        if value is not None and len(str(value)) > limit:
            errors[key].append(f"超过{limit}字")

    def walk(nodes: list[ld.Finding], depth: int, path: str) -> None:
        for index, node in enumerate(nodes, 1):
            where = f"{path}{index}"
            if depth > MAX_DEPTH:
                errors["findings"].append(f"第{where}项：问题层级超过{MAX_DEPTH}级")
                return
            if node.label is not None and len(node.label) > _LABEL_MAX:
                errors["findings"].append(f"第{where}项：编号过长")
            if node.is_leaf and node.status is not None and node.status not in Status.values:
                errors["findings"].append(f"第{where}项：未知的整改状态“{node.status}”")
            for n, duty in enumerate(node.responsibilities if node.is_leaf else [], 1):
                for problem in _duty_problems(duty):
                    errors["findings"].append(f"第{where}项第{n}条措施：{problem}")
            walk(node.children, depth + 1, f"{where}.")

    walk(doc.findings, 1, "")
    if errors:
        summary = "；".join(f"{k}: {'，'.join(v)}" for k, v in errors.items())
        raise ValidationFailed(f"文档不能导入：{summary}", errors=dict(errors))
    return dates


_DUTY_LIMITS = (("leader", "责任领导", 100), ("department", "责任部门", 100), ("person", "责任人", 50))
TERM_KINDS = {"长期坚持": TaskKind.LONG_TERM, "立行立改": TaskKind.IMMEDIATE, "建章立制": TaskKind.RULES}


def _duty_problems(duty: ld.Responsibility) -> list[str]:
    problems = [
        f"{label}超过{limit}字" for name, label, limit in _DUTY_LIMITS if len(getattr(duty, name) or "") > limit
    ]
    try:
        if duty.deadline:
            date.fromisoformat(duty.deadline)
    except (TypeError, ValueError):
        problems.append(f"完成时限“{duty.deadline}”无法识别，应为 YYYY-MM-DD")
    if duty.status is not None and duty.status not in Status.values:
        problems.append(f"未知的整改状态“{duty.status}”")
    return problems


def _refuse_duplicate(round: Round, unit: Unit, feedback: date | None, source_sha: str, tree_sha: str) -> int | None:
    """Raise DuplicateImport for an inspection that holds this report; return the one that holds it
    empty (no finding: nothing was ever worked on in it), for the import to fill; else None."""
    same_source = Q(round=round, source_sha256=source_sha) if source_sha else Q(pk__in=[])
    same_tree = Q(unit=unit, feedback_date=feedback, tree_sha256=tree_sha)
    if feedback is None:
        same_tree = Q(unit=unit, feedback_date__isnull=True, tree_sha256=tree_sha)
    existing = list(Inspection.objects.filter(same_source | same_tree).order_by("pk").values_list("pk", flat=True))
    if not existing:
        return None
    holding = set(Finding.objects.filter(inspection_id__in=existing).values_list("inspection_id", flat=True))
    for pk in existing:
        if pk in holding:
            raise DuplicateImport(pk)
    return existing[0]


def _refill(pk: int, fields: dict[str, Any]) -> Inspection:
    """The empty inspection takes the report's fields (its id, history and attachments stay)."""
    empty = Inspection.objects.select_for_update().get(pk=pk)
    if Finding.objects.filter(inspection=empty).exists():  # filled meanwhile (locked now): a duplicate after all
        raise DuplicateImport(empty.pk)
    for name, value in fields.items():
        setattr(empty, name, value)
    empty.save(update_fields=list(fields))
    return empty


def _inspection_fields(doc, round, unit, dates, source_sha, tree_sha) -> dict[str, Any]:
    meta, report = doc.inspection, doc.report
    team = None
    if meta.team and meta.team.strip():
        team, _ = InspectionTeam.objects.get_or_create(committee_id=round.committee_id, name=meta.team.strip())
    return dict(
        round=round,
        unit=unit,
        team=team,
        unit_name=meta.unit or "",
        team_name=meta.team or "",
        committee_name=meta.committee or "",
        kind=meta.kind or "",
        start=dates["start"],
        end=dates["end"],
        feedback_date=dates["feedback_date"],
        report_title=report.title or "",
        report_publisher=report.publisher or "",
        report_date=dates["report_date"],
        report_published=report.published or "",
        source_name=report.source or "",
        source_sha256=source_sha,
        tree_sha256=tree_sha,
        claimed=asdict(doc.claimed),
        contact=asdict(doc.contact),
        warnings=list(doc.warnings),
    )


def _derived_status(node: ld.Finding) -> str | None:
    """A leaf keeps the status the report gives; a parent rolls up from its children."""
    if node.is_leaf:
        return node.status
    return rollup_status([_derived_status(child) for child in node.children])


def _create_tree(inspection: Inspection, findings: list[ld.Finding]) -> tuple[int, int]:
    """Insert the tree level by level (a few bulk inserts, whatever its size); returns the counts."""
    level: list[tuple[Finding | None, int, ld.Finding]] = [(None, i, f) for i, f in enumerate(findings)]
    depth, n_findings = 1, 0
    tasks: list[Task] = []
    people = _people(inspection)
    while level:
        rows = [
            Finding(
                inspection=inspection,
                parent=parent,
                level=depth,
                position=position,
                label=node.label,
                title=node.title,
                kind=FindingKind.ITEM if node.is_leaf else (FindingKind.ASPECT if depth == 1 else FindingKind.PROBLEM),
                status=_derived_status(node),
            )
            for parent, position, node in level
        ]
        Finding.objects.bulk_create(rows, batch_size=500)
        n_findings += len(rows)
        next_level = []
        for row, (_, _, node) in zip(rows, level, strict=True):
            next_level.extend((row, i, child) for i, child in enumerate(node.children))
            tasks.extend(
                _task(row, i, text, node, people) for i, text in enumerate(node.measures if node.is_leaf else [])
            )
        level, depth = next_level, depth + 1
    Task.objects.bulk_create(tasks, batch_size=500)
    return n_findings, len(tasks)


def _task(finding: Finding, position: int, text: str, node: ld.Finding, people: dict[str, Any]) -> Task:
    """One measure as a task, with the responsibility a ledger table gave it (责任清单); the 责任人 becomes
    the handler when exactly one user of the unit has that name, and stays as written otherwise."""
    duty = node.responsibility(position)
    handler = people.get(duty.person or "")
    return Task(
        finding=finding,
        position=position,
        text=text,
        status=duty.status or node.status or Status.NOT_DONE,
        responsible_leader=duty.leader or "",
        department=duty.department or "",
        handler=handler,
        handler_name="" if handler is not None else (duty.person or ""),
        deadline=date.fromisoformat(duty.deadline) if duty.deadline else None,
        kind=TERM_KINDS.get(duty.term or ""),
    )


def _people(inspection: Inspection) -> dict[str, Any]:
    """The inspected unit's active users by name and by user name, for a table's 责任人."""
    people: dict[str, Any] = {}
    for user in User.objects.filter(unit_id=inspection.unit_id, is_active=True, role__in=UNIT_ROLES):
        for key in {user.username, user.display_name} - {""}:
            people[key] = None if key in people and people[key] != user else user  # a shared name: nobody
    return people


def export_document(inspection: Inspection, *, actor: Any) -> ld.LedgerDocument:
    """The inspection as `zhenggai.ledger/1`, with the tree and statuses as they stand now."""
    require(actor, Action.EXPORT, inspection)
    children: dict[int | None, list[Finding]] = defaultdict(list)
    for finding in inspection.findings.order_by("level", "position"):
        children[finding.parent_id].append(finding)
    measures: dict[int, list[str]] = defaultdict(list)
    duties: dict[int, list[ld.Responsibility]] = defaultdict(list)
    terms = {kind: term for term, kind in TERM_KINDS.items()}
    for task in (
        Task.objects.filter(finding__inspection=inspection).select_related("handler").order_by("finding_id", "position")
    ):
        measures[task.finding_id].append(task.text)
        duties[task.finding_id].append(
            ld.Responsibility(
                leader=task.responsible_leader or None,
                department=task.department or None,
                person=(str(task.handler) if task.handler else task.handler_name) or None,
                deadline=task.deadline.isoformat() if task.deadline else None,
                term=terms.get(task.kind) if task.kind else None,
                status=task.status,
            )
        )

    def build(row: Finding) -> ld.Finding:
        kids = [build(child) for child in children[row.pk]]
        if kids:
            return ld.Finding(label=row.label, title=row.title, children=kids)
        # a task's status is what the import implies (the problem's) until someone records otherwise: only
        # a status of its own belongs in its responsibility
        implied = row.status or Status.NOT_DONE
        own = [replace(d, status=None) if d.status == implied else d for d in duties[row.pk]]
        leaf_duties = ld.aligned(own, len(measures[row.pk]))
        return ld.Finding(
            label=row.label, title=row.title, measures=measures[row.pk], status=row.status, responsibilities=leaf_duties
        )

    def iso(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return ld.LedgerDocument(
        inspection=ld.Inspection(
            team=inspection.team_name or None,
            committee=inspection.committee_name or None,
            unit=inspection.unit_name or inspection.unit.name,
            kind=inspection.kind or None,
            start=iso(inspection.start),
            end=iso(inspection.end),
            feedback_date=iso(inspection.feedback_date),
        ),
        report=ld.Report(
            title=inspection.report_title or None,
            publisher=inspection.report_publisher or None,
            date=iso(inspection.report_date),
            published=inspection.report_published or None,
            source=inspection.source_name or None,
        ),
        claimed=ld.Claimed(**_known(ld.Claimed, inspection.claimed)),
        contact=ld.Contact(**_known(ld.Contact, inspection.contact)),
        findings=[build(top) for top in children[None]],
        warnings=list(inspection.warnings),
    )


def _known(kind: type, data: Any) -> dict[str, Any]:
    """The stored JSON's keys that the dataclass declares (older rows may lack some, newer have more)."""
    names = {f.name for f in fields(kind)}
    return {k: v for k, v in (data or {}).items() if k in names}
