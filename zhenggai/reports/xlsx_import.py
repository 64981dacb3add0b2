"""Import an Excel workbook: the three lists back into an inspection's ledger, or a feedback list as a
new inspection.

A ledger workbook changes only what the user edited: each row is tied to its task by the hidden 任务编号
and each cell is compared with the value the export wrote into the workbook's 导出信息 sheet, so an
untouched workbook changes nothing and a cell the user left alone never reverts someone else's change.
A task the user edited that was also changed in the system since the export (its version or an editable
value differs) is a conflict: the import stops, writes nothing and names both values, until the
importer decides per task to keep their edit or the system's (`Keep`). Every problem — a bad date, an
unknown status, an edited read-only column, a refused permission, a status change the workflow does
not allow — is collected with its sheet and row, and if there is any, nothing is written. The changes
go through the ledger services (assign_task, transition, add_note), so permissions are checked and the
history records each real change under the importer's name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.db import transaction

from zhenggai.ingest import ledgerdoc as ld
from zhenggai.ledger.access import Action, can, require
from zhenggai.ledger.concurrency import retrying
from zhenggai.ledger.errors import LedgerError, ValidationFailed
from zhenggai.ledger.models import Inspection, Round, Task
from zhenggai.ledger.services.assign import assign_task
from zhenggai.ledger.services.import_ledger import import_document
from zhenggai.ledger.services.progress import add_note
from zhenggai.ledger.workflow import transition
from zhenggai.org.models import UNIT_ROLES, Unit, User
from zhenggai.outputs.errors import WorkbookRejected
from zhenggai.outputs.feedback_list import feedback_findings
from zhenggai.outputs.xlsx_columns import DEADLINE, DEPARTMENT, HANDLER, LEADER, PROGRESS, STATUS, TASK_ID
from zhenggai.outputs.xlsx_read import Exported, Row, Sheet, read_workbook
from zhenggai.reports.ledger_xlsx import ledger_rows
from zhenggai.reports.permissions import ReportAction
from zhenggai.reports.permissions import require as require_report

EDITABLE = ("status", "progress", "leader", "department", "handler", "deadline")
HEADERS = {c.key: c.header for c in (STATUS, PROGRESS, LEADER, DEPARTMENT, HANDLER, DEADLINE)}
_ASSIGN = {"leader": "responsible_leader", "department": "department", "handler": "handler", "deadline": "deadline"}
_SPACE = re.compile(r"\s+")


class Keep(StrEnum):
    """What the importer keeps of a task changed on both sides: their edit (mine) or the ledger's."""

    MINE = "mine"
    SYSTEM = "system"


@dataclass(frozen=True)
class Resolution:
    """A choice for one conflicting task; `version` is the version the importer saw the system at (a
    later change makes it a conflict again), None for a choice made without looking (`--keep`)."""

    keep: Keep
    version: int | None = None


@dataclass(frozen=True)
class Change:
    task_id: int
    field: str
    old: Any
    new: Any
    where: str

    @property
    def header(self) -> str:
        return HEADERS[self.field]

    @property
    def plain_old(self) -> Any:
        return _plain(self.old)

    @property
    def plain_new(self) -> Any:
        return _plain(self.new)

    def describe(self) -> str:
        return f"{self.where}:{self.header} {_show(self.old)} → {_show(self.new)}"


@dataclass(frozen=True)
class Edit:
    """The cells of one task the user changed in the workbook (`mine`), what the export showed of the
    editable fields (`seen`) and the task's version then."""

    task_id: int
    version: int
    where: str
    seen: dict[str, Any]
    mine: dict[str, Any]


@dataclass(frozen=True)
class Edits:
    """Everything a workbook asks to change, checked but not applied; `as_data` / `from_data` carry it
    through the conflict page so the workbook need not be uploaded again."""

    inspection_id: int
    items: tuple[Edit, ...]

    def as_data(self) -> dict[str, Any]:
        return {
            "inspection": self.inspection_id,
            "items": [
                {
                    "task": e.task_id,
                    "version": e.version,
                    "where": e.where,
                    "seen": _dump(e.seen),
                    "mine": _dump(e.mine),
                }
                for e in self.items
            ],
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Edits:
        items = tuple(
            Edit(int(i["task"]), int(i["version"]), str(i["where"]), _load(i["seen"]), _load(i["mine"]))
            for i in data["items"]
        )
        return cls(int(data["inspection"]), items)


@dataclass(frozen=True)
class ConflictField:
    field: str
    exported: Any
    mine: Any  # None when the user left this field alone
    system: Any
    changed_by_user: bool

    @property
    def header(self) -> str:
        return HEADERS[self.field]


@dataclass(frozen=True)
class Conflict:
    """A task both the importer and someone in the system changed since the export, with the values."""

    task_id: int
    where: str
    measure: str
    version: int  # the system's version now
    fields: tuple[ConflictField, ...]

    def as_data(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "where": self.where,
            "measure": self.measure,
            "system_version": self.version,
            "fields": [
                {
                    "field": f.field,
                    "header": f.header,
                    "exported": _plain(f.exported),
                    "mine": _plain(f.mine) if f.changed_by_user else None,
                    "system": _plain(f.system),
                    "changed_by_user": f.changed_by_user,
                }
                for f in self.fields
            ],
        }

    def lines(self) -> list[str]:
        """The conflict in words, one line per field, for the command line."""
        out = [f"{self.where}(任务编号 {self.task_id}):{_short(self.measure, 30)}"]
        for f in self.fields:
            mine = _show(f.mine) if f.changed_by_user else "(未修改)"
            out.append(f"  {f.header}:导出时 {_show(f.exported)},您改为 {mine},系统中现为 {_show(f.system)}")
        return out


class ImportConflicts(LedgerError):
    """Tasks changed both in the workbook and in the system since the export; nothing was written."""

    code = "import_conflicts"

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__(
            f"有{len(conflicts)}项任务在导出后已在系统中被他人修改,您在表格中也修改了它们。"
            "请逐项选择保留您的修改还是保留系统中的内容;选择前未导入任何修改"
        )


@dataclass(frozen=True)
class WorkbookImport:
    changes: tuple[Change, ...]
    dry_run: bool = False
    kept: tuple[int, ...] = ()  # conflicting tasks left as the system has them

    @property
    def tasks(self) -> int:
        return len({c.task_id for c in self.changes})

    def summary(self) -> str:
        kept = f";{len(self.kept)}项有冲突的任务保留系统中的内容" if self.kept else ""
        if not self.changes:
            return "工作簿与台账一致,没有需要导入的修改" + kept
        verb = "检查通过,将修改" if self.dry_run else "已修改"
        return f"{verb}{self.tasks}项任务的{len(self.changes)}处内容{kept}"


def _show(value: Any) -> str:
    if value in (None, ""):
        return "(空)"
    return f"“{_short(_plain(value), 20)}”"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _dump(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in values.items()}


def _load(values: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in values.items() if k in EDITABLE}
    if out.get("deadline"):
        out["deadline"] = date.fromisoformat(out["deadline"])
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str | type(None)) and isinstance(b, str | type(None)):
        return _SPACE.sub(" ", a or "").strip() == _SPACE.sub(" ", b or "").strip()
    return a == b


def _rejected(errors: list[str]) -> WorkbookRejected:
    return WorkbookRejected(f"工作簿中有{len(errors)}处问题,未导入任何修改", errors=errors)


def import_workbook(
    inspection: Inspection,
    data: bytes,
    *,
    actor: Any,
    dry_run: bool = False,
    keep: Keep | Mapping[int, Resolution] | None = None,
) -> WorkbookImport:
    """Apply the edits of a ledger workbook to `inspection`, all or nothing; `dry_run` checks without saving.

    Raises WorkbookRejected for a workbook with problems and ImportConflicts for tasks changed on both
    sides that `keep` (one choice for all, or a `Resolution` per task id) does not settle.
    """
    return apply_edits(inspection, read_edits(inspection, data, actor=actor), actor=actor, dry_run=dry_run, keep=keep)


def read_edits(inspection: Inspection, data: bytes, *, actor: Any) -> Edits:
    """The cells the user changed, checked against the export (the ledger as it is now is not consulted
    here, except to know which tasks still exist and who may be named as 责任人)."""
    require_report(actor, ReportAction.IMPORT_WORKBOOK, inspection)
    parsed = read_workbook(data)
    sheets = [s for s in parsed.sheets if s.kind in ("tasks", "problems")]
    if not sheets:
        raise WorkbookRejected(
            f"工作表缺少必需的列:{TASK_ID.header}。请使用本系统导出的台账修改后导入;"
            "巡察组移交的反馈问题清单请作为新的巡察导入",
            code="missing_columns",
        )
    exported = _exported_from(parsed.exported, inspection)
    errors = list(parsed.errors)
    people = _people(inspection.unit)
    changes: dict[tuple[int, str], Change] = {}
    for sheet in sheets:
        known = exported.problems if sheet.kind == "problems" else {k: v for k, (_, v) in exported.tasks.items()}
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
            _compare(sheet, row, pk, known[pk], people, changes, errors)
    by_task: dict[int, list[Change]] = defaultdict(list)
    for change in changes.values():
        by_task[change.task_id].append(change)
    existing = set(Task.objects.filter(finding__inspection=inspection, pk__in=by_task).values_list("pk", flat=True))
    for task_id in sorted(set(by_task) - existing):
        errors.append(f"{min(c.where for c in by_task[task_id])}:任务编号{task_id}已在系统中删除,其修改不能导入")
    if errors:
        raise _rejected(errors)
    items = []
    for task_id, group in sorted(by_task.items(), key=lambda item: min(c.where for c in item[1])):
        version, values = exported.tasks[task_id]
        seen_values = {f: values.get(f) for f in EDITABLE}
        items.append(Edit(task_id, version, min(c.where for c in group), seen_values, {c.field: c.new for c in group}))
    return Edits(inspection.pk, tuple(items))


def _exported_from(exported: Exported | None, inspection: Inspection) -> Exported:
    if exported is None:
        raise WorkbookRejected(
            "工作簿中没有导出信息,无法判断哪些内容是您修改的。请在“报告与台账”页重新下载 Excel 台账,"
            "在新下载的工作簿中修改后再导入",
            code="not_exported",
        )
    if exported.inspection_id != inspection.pk:
        raise WorkbookRejected(
            f"该工作簿导出自另一次巡察(检查编号 {exported.inspection_id}),不能导入到本次巡察", code="other_inspection"
        )
    return exported


def _compare(sheet: Sheet, row: Row, pk: int, was: dict[str, Any], people, changes: dict, errors: list[str]) -> None:
    """Each cell against what the export wrote: only a differing cell is the user's change."""
    where = sheet.where(row.number)
    editable = sheet.kind == "tasks"
    for key, column in sheet.columns.items():
        if key in ("number", "task_id", "finding_id") or key not in row.values or key not in was:
            continue
        new, old = row.values[key], was[key]
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
        previous = changes.get((pk, key))
        if previous is not None and not _same(previous.new, new):
            errors.append(f"{where}:{column.header}与{previous.where}填写的不一致")
            continue
        if previous is None:
            changes[(pk, key)] = Change(pk, key, old, new, where)


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


def _resolution(keep: Keep | Mapping[int, Resolution] | None, task_id: int) -> Resolution | None:
    if keep is None:
        return None
    if isinstance(keep, Keep | str):
        return Resolution(Keep(keep))
    return keep.get(task_id)


@retrying
def apply_edits(
    inspection: Inspection,
    edits: Edits,
    *,
    actor: Any,
    dry_run: bool = False,
    keep: Keep | Mapping[int, Resolution] | None = None,
) -> WorkbookImport:
    """Write the edits in one transaction, with the tasks locked: a cell already equal to the ledger is
    skipped, a task changed on both sides needs its `Resolution`, and until every conflict has one
    nothing is written (ImportConflicts lists them all)."""
    require_report(actor, ReportAction.IMPORT_WORKBOOK, inspection)
    if edits.inspection_id != inspection.pk:
        raise WorkbookRejected("导入内容与本次巡察不符,请重新导入", code="other_inspection")
    if not edits.items:
        return WorkbookImport((), dry_run)
    ids = [e.task_id for e in edits.items]
    tasks = Task.objects.filter(finding__inspection=inspection).select_related("handler").in_bulk(ids)
    if len(tasks) < len(ids):
        gone = next(e for e in edits.items if e.task_id not in tasks)
        raise _rejected([f"{gone.where}:任务编号{gone.task_id}已在系统中删除,其修改不能导入"])
    _check_permissions(edits, tasks, actor)
    people = _people(inspection.unit)
    with transaction.atomic():
        locked = Task.objects.select_for_update().filter(pk__in=ids).order_by("pk").in_bulk()
        now = {row.task_id: row for row in ledger_rows(inspection)[1] if row.task_id in locked}
        changes, kept, open_conflicts = [], [], []
        for edit in edits.items:
            row, task = now[edit.task_id], locked[edit.task_id]
            writes = {f: v for f, v in edit.mine.items() if _differs(f, v, row, task, people)}
            if not writes:
                continue  # the ledger already says what the user wrote
            if _changed_since_export(edit, row):
                conflict = _conflict(edit, row)
                choice = _resolution(keep, edit.task_id)
                if choice is None or (choice.version is not None and choice.version != row.version):
                    open_conflicts.append(conflict)
                    continue
                if choice.keep == Keep.SYSTEM:
                    kept.append(edit.task_id)
                    continue
            changes += [Change(edit.task_id, f, getattr(row, f), v, edit.where) for f, v in writes.items()]
        if open_conflicts:
            raise ImportConflicts(open_conflicts)
        result = WorkbookImport(tuple(sorted(changes, key=lambda c: (c.where, c.field))), dry_run, tuple(kept))
        _write(result, locked, actor, people)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _differs(field: str, value: Any, row, task: Task, people) -> bool:
    if field == "handler":
        return (value or "") not in people or people[value or ""] != task.handler
    return not _same(value, getattr(row, field))


def _changed_since_export(edit: Edit, row) -> bool:
    return row.version != edit.version or any(not _same(getattr(row, f), edit.seen.get(f)) for f in EDITABLE)


def _conflict(edit: Edit, row) -> Conflict:
    fields = tuple(
        ConflictField(f, edit.seen.get(f), edit.mine.get(f), getattr(row, f), f in edit.mine)
        for f in EDITABLE
        if f in edit.mine or not _same(getattr(row, f), edit.seen.get(f))
    )
    return Conflict(edit.task_id, edit.where, row.measure, row.version, fields)


def _check_permissions(edits: Edits, tasks: dict[int, Task], actor: Any) -> None:
    """Permissions first, outside the transaction, so a refusal stays in the history."""
    errors: list[str] = []
    for edit in edits.items:
        fields = edit.mine
        wanted = {Action.ASSIGN for f in fields if f in _ASSIGN} | {Action.EDIT_TASK for f in fields if f == "status"}
        wanted |= {Action.ADD_PROGRESS for f in fields if f == "progress"}
        for action in sorted(wanted):
            if not can(actor, action, tasks[edit.task_id]):
                try:
                    require(actor, action, tasks[edit.task_id])
                except LedgerError as error:
                    errors.append(f"{edit.where}:{error.message}")
                break
    if errors:
        raise _rejected(errors)


def _write(result: WorkbookImport, tasks: dict[int, Task], actor: Any, people) -> None:
    by_task: dict[int, dict[str, Change]] = defaultdict(dict)
    for change in result.changes:
        by_task[change.task_id][change.field] = change
    errors: list[str] = []
    for task_id, fields in by_task.items():
        for step in (_assign, _status, _note):
            try:
                step(tasks[task_id], fields, actor, people)
            except LedgerError as error:
                errors.append(f"{min(c.where for c in fields.values())}:{error.message}")
                break
    if errors:
        raise _rejected(errors)


def _assign(task: Task, fields: dict[str, Change], actor: Any, people) -> None:
    if "handler" in fields and (fields["handler"].new or "") not in people:
        raise ValidationFailed(f"责任人“{fields['handler'].new}”不是本单位的在职用户(可填写姓名或用户名)")
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
