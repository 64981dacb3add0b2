"""Run the pure analyses (common problems, repeats, quality) over what a user may see, as plain rows.

The same rows feed the pages, the CSV/xlsx exports and `zhenggai analyze --json`, so the three
never disagree. `scope` is a queryset of inspections already limited by `ledger.access`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from zhenggai.ledger.models import Closure, ClosureRequest, Decision, Finding, FindingKind, Inspection, Status, Task
from zhenggai.oversight.analysis import common, copies, counts, quality, repeats
from zhenggai.oversight.rulesfile import current_rules


def _leaves(scope: QuerySet[Inspection]) -> QuerySet[Finding]:
    return Finding.objects.filter(inspection__in=scope.values("pk"), kind=FindingKind.ITEM)


def _finding_row(f: Finding) -> dict:
    i = f.inspection
    return {
        "id": f.pk,
        "inspection": i.pk,
        "round": i.round.name,
        "unit": i.unit.name,
        "label": f.label or "",
        "title": f.title,
        "status": f.status or "",
    }


# --- common problems -------------------------------------------------------------------------------


def common_problems(scope: QuerySet[Inspection], *, min_units: int = 2) -> list[dict]:
    """Groups of findings naming the same problem across units: size, units, representative, findings."""
    leaves = {f.pk: f for f in _leaves(scope).select_related("inspection__unit", "inspection__round").order_by("pk")}
    statements = [common.Statement(pk, f.inspection.unit_id, f.title) for pk, f in leaves.items()]
    out = []
    for group in common.group(statements, min_units=min_units):
        members = [leaves[k] for k in group.keys]
        rep = leaves[group.representative]
        out.append(
            {
                "size": group.size,
                "units": list(dict.fromkeys(f.inspection.unit.name for f in members)),
                "representative": rep.title,
                "representative_id": rep.pk,
                "phrases": group.phrases,
                "findings": [_finding_row(f) for f in members],
            }
        )
    return out


# --- repeated problems -----------------------------------------------------------------------------


def _order(inspection: Inspection) -> tuple:
    day = inspection.feedback_date or inspection.start or date(inspection.round.year, 1, 1)
    return (day, inspection.pk)


def repeated_problems(scope: QuerySet[Inspection], visible: QuerySet[Inspection]) -> list[dict]:
    """Findings of `scope` that an earlier inspection (among `visible`) of the same unit already found."""
    target = set(scope.values_list("pk", flat=True))
    units = scope.values("unit_id")
    history = visible.filter(unit_id__in=units)
    leaves = {f.pk: f for f in _leaves(history).select_related("inspection__unit", "inspection__round").order_by("pk")}
    items = [repeats.Item(pk, f.inspection.unit_id, _order(f.inspection), f.title) for pk, f in leaves.items()]
    matches = [m for m in repeats.find(items) if leaves[m.finding].inspection_id in target]
    evidence = _closure_evidence([m.earlier for m in matches])
    out = []
    for match in matches:
        earlier = _finding_row(leaves[match.earlier]) | evidence.get(match.earlier, {"closed": False, "evidence": []})
        out.append(
            {
                "finding": _finding_row(leaves[match.finding]),
                "earlier": earlier,
                "similarity": match.similarity,
                "phrase": match.phrase,
            }
        )
    return out


def _closure_evidence(finding_ids: list[int]) -> dict[int, dict]:
    """Whether each earlier finding was closed, and the evidence and notes its accepted closures showed."""
    out: dict[int, dict] = defaultdict(lambda: {"closed": False, "evidence": [], "notes": []})
    tasks = Task.objects.filter(finding_id__in=finding_ids)
    states = defaultdict(list)
    for finding_id, closure, status in tasks.values_list("finding_id", "closure", "status"):
        states[finding_id].append(closure == Closure.CLOSED or status == Status.COMPLETED)
    for finding_id, flags in states.items():
        out[finding_id]["closed"] = bool(flags) and all(flags)
    accepted = (
        ClosureRequest.objects.filter(task__finding_id__in=finding_ids, decision=Decision.ACCEPTED)
        .select_related("task")
        .prefetch_related("evidence")
    )
    for request in accepted:
        row = out[request.task.finding_id]
        if request.note:
            row["notes"].append(request.note)
        row["evidence"].extend({"id": e.pk, "name": e.original_name} for e in request.evidence.all())
    return dict(out)


# --- rectification quality -------------------------------------------------------------------------


@dataclass
class QualityReport:
    measures: list[dict]
    closed_on_words: list[dict]
    mismatches: list[dict]

    @property
    def flagged(self) -> int:
        return sum(1 for m in self.measures if m["words_only"] or m["copies"])


def quality_report(scope: QuerySet[Inspection]) -> QualityReport:
    rules = current_rules()
    tasks = list(
        Task.objects.filter(finding__inspection__in=scope.values("pk"))
        .select_related("finding__inspection__unit", "finding__inspection__round")
        .order_by("finding_id", "position")
    )
    found = copies.find_copies(
        [copies.Measure(t.pk, t.finding.inspection.unit_id, t.finding_id, t.text) for t in tasks],
        rules.stock_phrases,
        similarity=rules.copy_similarity,
        min_length=rules.copy_min_length,
    )
    measures = []
    by_finding: dict[int, list[dict]] = defaultdict(list)
    for task in tasks:
        verdict = quality.check(task.text, rules)
        inspection = task.finding.inspection
        row = {
            "task": task.pk,
            "inspection": inspection.pk,
            "round": inspection.round.name,
            "unit": inspection.unit.name,
            "finding": task.finding.title,
            "finding_id": task.finding_id,
            "index": task.position,
            "text": task.text,
            "words_only": verdict.words_only,
            "rules": verdict.rules,
            "explanation": [rules.labels.get(r, r) for r in verdict.rules],
            "copies": [
                {"kind": c.kind, "label": copies.KIND_LABELS[c.kind], "other": c.other, "similarity": c.similarity}
                for c in found.get(task.pk, [])
            ],
            "closed": task.closure == Closure.CLOSED,
        }
        measures.append(row)
        by_finding[task.finding_id].append(row)
    finding_of = {t.finding_id: t.finding for t in tasks}
    closed_on_words = []
    for finding_id, rows in by_finding.items():
        finding = finding_of[finding_id]
        done = finding.status == Status.COMPLETED or all(r["closed"] for r in rows)
        if done and all(r["words_only"] or r["copies"] for r in rows):
            closed_on_words.append(_finding_row(finding) | {"measures": len(rows)})
    return QualityReport(measures, closed_on_words, count_mismatches(scope))


def count_mismatches(scope: QuerySet[Inspection]) -> list[dict]:
    """Claimed counts (报告自述) that the inspection's ledger does not bear out."""
    out = []
    for inspection in scope.select_related("unit", "round").order_by("pk"):
        claimed = inspection.claimed or {}
        if not any(v is not None for v in claimed.values()):
            continue
        for m in counts.mismatches(claimed, ledger_counts(inspection)):
            out.append(
                {
                    "inspection": inspection.pk,
                    "round": inspection.round.name,
                    "unit": inspection.unit.name,
                    "field": m.field,
                    "claimed": m.claimed,
                    "ledger": m.ledger,
                    "message": m.message,
                }
            )
    return out


def ledger_counts(inspection: Inspection) -> dict[str, int]:
    nodes = list(inspection.findings.values_list("kind", "level", "status"))
    leaves = [status for kind, _, status in nodes if kind == FindingKind.ITEM]
    return {
        "aspects": sum(1 for kind, level, _ in nodes if level == 1 and kind == FindingKind.ASPECT),
        "problems": sum(1 for kind, _, _ in nodes if kind == FindingKind.PROBLEM),
        "items": len(leaves),
        "completed": leaves.count(Status.COMPLETED),
        "basically_completed": leaves.count(Status.BASICALLY),
        "in_progress": leaves.count(Status.IN_PROGRESS),
        "long_term": leaves.count(Status.LONG_TERM),
    }
