"""Import an Excel workbook: the three lists back into an inspection's ledger, or a feedback list as a
new inspection.

A ledger workbook changes only what was edited: each row is tied to its task by the hidden 任务编号
and compared with what the export of the same ledger would show, so an untouched workbook changes
nothing. Every problem — a bad date, an unknown status, an edited read-only column, a refused
permission, a status change the workflow does not allow — is collected with its sheet and row, and
if there is any, nothing is written. The changes go through the ledger services (assign_task,
transition, add_note), so permissions are checked and the history records each of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from zhenggai.ingest import ledgerdoc as ld
from zhenggai.ledger.access import Action, can, require
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.models import Inspection, Round, Task
from zhenggai.ledger.services.assign import assign_task
from zhenggai.ledger.services.import_ledger import import_document
from zhenggai.ledger.services.progress import add_note
from zhenggai.ledger.workflow import transition
from zhenggai.org.models import UNIT_ROLES, Unit, User
from zhenggai.outputs.errors import WorkbookRejected
from zhenggai.outputs.feedback_list import feedback_findings
from zhenggai.outputs.xlsx_columns import TASK_ID
from zhenggai.outputs.xlsx_read import Row, Sheet, read_workbook
from zhenggai.reports.ledger_xlsx import ledger_rows
from zhenggai.reports.permissions import ReportAction
from zhenggai.reports.permissions import require as require_report

EDITABLE = ("status", "progress", "leader", "department", "handler", "deadline")
_ASSIGN = {"leader": "responsible_leader", "department": "department", "handler": "handler", "deadline": "deadline"}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Change:
    task_id: int
    field: str
    old: Any
    new: Any
    where: str

    def describe(self, header: str) -> str:
        return f"{self.where}:{header} {_show(self.old)} → {_show(self.new)}"


@dataclass(frozen=True)
class WorkbookImport:
    changes: tuple[Change, ...]
    dry_run: bool = False

    @property
    def tasks(self) -> int:
        return len({c.task_id for c in self.changes})

    def summary(self) -> str:
        if not self.changes:
            return "工作簿与台账一致,没有需要导入的修改"
        verb = "检查通过,将修改" if self.dry_run else "已修改"
        return f"{verb}{self.tasks}项任务的{len(self.changes)}处内容"


def _show(value: Any) -> str:
    if value in (None, ""):
        return "(空)"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return f"“{text if len(text) <= 20 else text[:19] + '…'}”"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str | type(None)) and isinstance(b, str | type(None)):
        return _SPACE.sub(" ", a or "").strip() == _SPACE.sub(" ", b or "").strip()
    return a == b


def _rejected(errors: list[str]) -> WorkbookRejected:
    return WorkbookRejected(f"工作簿中有{len(errors)}处问题,未导入任何修改", errors=errors)


def import_workbook(inspection: Inspection, data: bytes, *, actor: Any, dry_run: bool = False) -> WorkbookImport:
    """Apply the edits of a ledger workbook to `inspection`, all or nothing; `dry_run` checks without saving."""
    require_report(actor, ReportAction.IMPORT_WORKBOOK, inspection)
    parsed = read_workbook(data)
    sheets = [s for s in parsed.sheets if s.kind in ("tasks", "problems")]
    if not sheets:
        raise WorkbookRejected(
            f"工作表缺少必需的列:{TASK_ID.header}。请使用本系统导出的台账修改后导入;"
            "巡察组移交的反馈问题清单请作为新的巡察导入",
            code="missing_columns",
        )
    errors = list(parsed.errors)
    problems, task_rows = ledger_rows(inspection)
    current = {row.task_id: row for row in task_rows}
    findings = {row.finding_id: row for row in problems}
    people = _people(inspection.unit)
    changes: dict[tuple[int, str], Change] = {}
    for sheet in sheets:
        known = findings if sheet.kind == "problems" else current
        id_key = "finding_id" if sheet.kind == "problems" else "task_id"
        seen: dict[int, int] = {}
        for row in sheet.rows:
            where = sheet.where(row.number)
            pk = row.values.get(id_key)
            if pk is None:
                if not any(e.startswith(f"{where}:") for e in errors):
                    errors.append(f"{where}:缺少{sheet.columns[id_key].header}(新增的问题或任务请在系统中录入)")
                continue
            if pk not in known:
                errors.append(f"{where}:{sheet.columns[id_key].header}{pk}不属于本次巡察")
                continue
            if pk in seen:
                errors.append(f"{where}:{sheet.columns[id_key].header}{pk}与第{seen[pk]}行重复")
                continue
            seen[pk] = row.number
            _compare(sheet, row, known[pk], people, changes, errors)
    if errors:
        raise _rejected(errors)
    result = WorkbookImport(tuple(sorted(changes.values(), key=lambda c: (c.where, c.field))), dry_run)
    if changes:
        _apply(inspection, result, actor, people, dry_run)
    return result


def _compare(sheet: Sheet, row: Row, was, people, changes: dict, errors: list[str]) -> None:
    where = sheet.where(row.number)
    editable = sheet.kind == "tasks"
    for key, column in sheet.columns.items():
        if key in ("number", "task_id", "finding_id") or key not in row.values:
            continue
        new, old = row.values[key], getattr(was, key, None)
        if any(e.startswith(f"{where}:{column.header}") for e in errors):
            continue  # already reported (a bad date or status)
        if key == "handler" and editable:
            new = (new or "").strip()
            if not _same(new, old) and new and new not in people:
                errors.append(f"{where}:责任人“{new}”不是本单位的在职用户(可填写姓名或用户名)")
                continue
        if _same(new, old):
            continue
        if key == "status" and editable and not new:
            errors.append(f"{where}:整改状态不能为空")
            continue
        if not editable or key not in EDITABLE:
            hint = "请在任务清单或责任清单中修改任务" if sheet.kind == "problems" else "如需修改请在系统中操作"
            errors.append(f"{where}:“{column.header}”列为只读,不能在表格中修改({hint})")
            continue
        if key == "progress" and not new:
            continue  # notes are never deleted: an emptied cell changes nothing
        previous = changes.get((was.task_id, key))
        if previous is not None and not _same(previous.new, new):
            errors.append(f"{where}:{column.header}与{previous.where}填写的不一致")
            continue
        changes[(was.task_id, key)] = Change(was.task_id, key, old, new, where)


def _people(unit: Unit) -> dict[str, User | None]:
    """Names a workbook may give for 责任人: display names unique in the unit, and usernames."""
    users = list(User.objects.filter(unit=unit, is_active=True, role__in=UNIT_ROLES))
    by_name: dict[str, list[User]] = defaultdict(list)
    for user in users:
        if user.display_name:
            by_name[user.display_name].append(user)
    found: dict[str, User | None] = {name: group[0] for name, group in by_name.items() if len(group) == 1}
    found.update({user.username: user for user in users})
    found[""] = None
    return found


def _apply(inspection: Inspection, result: WorkbookImport, actor: Any, people, dry_run: bool) -> None:
    by_task: dict[int, dict[str, Change]] = defaultdict(dict)
    for change in result.changes:
        by_task[change.task_id][change.field] = change
    tasks = Task.objects.filter(finding__inspection=inspection).in_bulk(list(by_task))
    errors: list[str] = []
    # Permissions first, outside the transaction, so a refusal stays in the history.
    for task_id, fields in by_task.items():
        wanted = {Action.ASSIGN for f in fields if f in _ASSIGN} | {Action.EDIT_TASK for f in fields if f == "status"}
        wanted |= {Action.ADD_PROGRESS for f in fields if f == "progress"}
        for action in sorted(wanted):
            if not can(actor, action, tasks[task_id]):
                try:
                    require(actor, action, tasks[task_id])
                except LedgerError as error:
                    errors.append(f"{min(c.where for c in fields.values())}:{error.message}")
                break
    if errors:
        raise _rejected(errors)
    with transaction.atomic():
        for task_id, fields in by_task.items():
            task = tasks[task_id]
            for step in (_assign, _status, _note):
                try:
                    step(task, fields, actor, people)
                except LedgerError as error:
                    where = min(c.where for c in fields.values())
                    errors.append(f"{where}:{error.message}")
                    break
        if errors:
            raise _rejected(errors)
        if dry_run:
            transaction.set_rollback(True)


def _assign(task: Task, fields: dict[str, Change], actor: Any, people) -> None:
    values = {_ASSIGN[f]: (people[c.new] if f == "handler" else c.new) for f, c in fields.items() if f in _ASSIGN}
    if values:
        assign_task(task, actor=actor, **values)


def _status(task: Task, fields: dict[str, Change], actor: Any, people) -> None:
    if "status" in fields and fields["status"].new:
        transition(task, actor=actor, to_status=fields["status"].new)


def _note(task: Task, fields: dict[str, Change], actor: Any, people) -> None:
    if "progress" in fields:
        add_note(task, actor=actor, text=fields["progress"].new)


def import_feedback_list(
    data: bytes, *, name: str, round: Round, unit: Unit, actor: Any, team: str | None = None
) -> Inspection:
    """A feedback list (反馈问题清单) as a new inspection of `unit` in `round`, through `import_document`."""
    parsed = read_workbook(data)
    sheets = [s for s in parsed.sheets if s.kind == "feedback"]
    if not sheets:
        raise WorkbookRejected(
            "这是本系统导出的台账,请在对应巡察的“报告与台账”页导入修改"
            if parsed.sheets
            else "未找到反馈问题清单:需要“方面”“具体问题”列",
            code="missing_columns",
        )
    sheet = sheets[0]
    findings, errors = feedback_findings(sheet)
    errors = [e for e in parsed.errors if e.startswith(sheet.name)] + errors
    if errors:
        raise _rejected(errors)
    doc = ld.LedgerDocument(
        inspection=ld.Inspection(unit=unit.name, team=team, committee=round.committee.name),
        report=ld.Report(source=name),
        findings=findings,
    )
    return import_document(doc, round=round, unit=unit, actor=actor, source_bytes=data)
