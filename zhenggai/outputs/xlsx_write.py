"""An inspection's three lists (问题清单 / 任务清单 / 责任清单) as one Excel workbook.

Laid out the way units keep their ledgers: a title row, a frozen header row with filters, one row
per problem or task, real date cells, a status dropdown, widths that fit, printed landscape with the
header repeated. Editable columns have a yellow header; the hidden id column and the very hidden
导出信息 sheet (each row's version and the values exported) let the same workbook come back through the
import and change exactly what was edited, and only if nobody changed the task meanwhile. Every text
cell goes through `cells.cell_text`: it is written as text, never as a formula.
"""

from __future__ import annotations

import io
from copy import copy
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from zhenggai.outputs.cells import cell_row, cell_text
from zhenggai.outputs.numbering import cn_date
from zhenggai.outputs.xlsx_columns import (
    EXPORT_FORMAT,
    EXPORT_SHEET,
    EXPORTED_PROBLEM,
    EXPORTED_TASK,
    SHEETS,
    STATUS_CHOICES,
    Kind,
    SheetSpec,
)

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_EDITABLE_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class ProblemRow:
    finding_id: int
    aspect: str
    problem: str
    item: str
    status: str | None
    measures: int


@dataclass(frozen=True)
class TaskRow:
    task_id: int
    aspect: str
    problem: str
    item: str
    measure: str
    task_kind: str = ""
    status: str = ""
    progress: str = ""
    closure: str = ""
    closed_on: date | None = None
    leader: str = ""
    department: str = ""
    handler: str = ""
    deadline: date | None = None
    version: int = 0


@dataclass(frozen=True)
class LedgerWorkbook:
    """What the workbook shows: the unit, the date it was exported and the rows; `inspection_id` is
    written to the 导出信息 sheet so that the workbook is only imported back into its own ledger."""

    unit: str
    as_of: date
    problems: tuple[ProblemRow, ...]
    tasks: tuple[TaskRow, ...]
    inspection_id: int = 0


def to_xlsx(data: LedgerWorkbook) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in SHEETS:
        rows = data.problems if spec.id_column.key == "finding_id" else data.tasks
        _sheet(workbook.create_sheet(spec.name), spec, rows, data)
    _exported(workbook.create_sheet(EXPORT_SHEET), data)
    workbook.properties.title = f"{data.unit}巡察整改台账"
    workbook.properties.creator = "zhenggai"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet(ws: Worksheet, spec: SheetSpec, rows, data: LedgerWorkbook) -> None:
    columns = spec.columns
    last = get_column_letter(len(columns))
    ws.append([cell_text(f"{data.unit}{spec.title}(截至{cn_date(data.as_of)})")])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name="黑体", size=14, bold=True)
    ws["A1"].alignment = _CENTRE
    ws.row_dimensions[1].height = 28
    ws.append([c.header for c in columns])
    for index, column in enumerate(columns, 1):
        cell = ws.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.fill = _EDITABLE_FILL if column.editable else _HEADER_FILL
        cell.alignment, cell.border = _CENTRE, _BORDER
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        ws.column_dimensions[letter].hidden = column.hidden
    for number, row in enumerate(rows, 1):
        ws.append(cell_row(number if c.key == "number" else getattr(row, c.key) for c in columns))
    end = ws.max_row
    for index, column in enumerate(columns, 1):
        cells = [cell for (cell,) in ws.iter_rows(min_row=3, max_row=end, min_col=index, max_col=index)]
        if not cells:
            continue
        first = cells[0]
        first.border = _BORDER
        first.alignment = _CENTRE if column.kind != Kind.TEXT else _WRAP
        if column.kind == Kind.DATE:
            first.number_format = DATE_FORMAT
        # Setting styles cell by cell hashes them every time (seconds for a large ledger); the
        # style array of the first cell is shared by the rest of the column instead.
        for cell in cells[1:]:
            cell._style = copy(first._style)
    _validations(ws, columns, max(end, 3) + 200)
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{last}{max(end, 2)}"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _exported(ws: Worksheet, data: LedgerWorkbook) -> None:
    """The values as exported, one row per task and per problem, as text (dates in ISO form).

    Very hidden (Excel offers no way to show it) and protected, so the user does not edit it by chance;
    someone who does can only claim to have seen other values, and every change still goes through the
    ledger's permission checks.
    """
    ws.append([EXPORT_FORMAT, data.inspection_id, data.as_of.isoformat()])
    ws.append(["kind", "id", "version", *(c.key for c in EXPORTED_TASK)])
    for task in data.tasks:
        ws.append(cell_row(["task", task.task_id, task.version, *(_plain(task, c.key) for c in EXPORTED_TASK)]))
    for problem in data.problems:
        ws.append(cell_row(["problem", problem.finding_id, None, *(_plain(problem, c.key) for c in EXPORTED_PROBLEM)]))
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def _plain(row, key: str):
    value = getattr(row, key)
    return value.isoformat() if isinstance(value, date) else value


def _validations(ws: Worksheet, columns, end: int) -> None:
    """A dropdown on the editable status column and a date check on editable date columns."""
    for index, column in enumerate(columns, 1):
        letter = get_column_letter(index)
        if column.kind == Kind.STATUS and column.editable:
            rule = DataValidation(type="list", formula1='"' + ",".join(STATUS_CHOICES) + '"', allow_blank=True)
            rule.error, rule.errorTitle = "请从下拉列表中选择整改状态", "整改状态"
            rule.prompt, rule.promptTitle = "可选:" + "、".join(STATUS_CHOICES), "整改状态"
        elif column.kind == Kind.DATE and column.editable:
            rule = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True)
            rule.error, rule.errorTitle = "请输入日期,例如 2024-06-30", column.header
        else:
            continue
        rule.showErrorMessage = True
        rule.showInputMessage = bool(rule.prompt)
        ws.add_data_validation(rule)
        rule.add(f"{letter}3:{letter}{end}")
