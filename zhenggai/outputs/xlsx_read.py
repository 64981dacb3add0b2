"""Read an Excel workbook of the three lists (or a feedback list) into checked rows, without a database.

The header row is found by its names among the first rows (units put titles and notes above it),
each cell is converted by its column's kind, and every problem is collected with its sheet and row
("任务清单第12行:整改时限不是日期") so the user sees all of them at once. Text cells lose the quote
`cells.cell_text` put before a leading =, +, -, @ (the export's defence against formulas), and the
导出信息 sheet of a workbook this system exported comes back as `Exported`. The workbook is read in
openpyxl's read-only mode and a sheet longer than the limit is refused as soon as that is known, so a
100,000-row sheet costs neither minutes nor memory.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from zhenggai.ingest.archive import ArchiveRejected, inspect_archive
from zhenggai.ingest.errors import IngestError
from zhenggai.outputs.cells import from_cell
from zhenggai.outputs.errors import WorkbookRejected
from zhenggai.outputs.xlsx_columns import (
    ASPECT,
    CLOSED_ON,
    CLOSURE,
    DEADLINE,
    DEPARTMENT,
    EXPORT_FORMAT,
    EXPORT_SHEET,
    EXPORTED_PROBLEM,
    EXPORTED_TASK,
    FINDING_ID,
    HANDLER,
    ITEM,
    LEADER,
    MEASURE,
    MEASURE_COUNT,
    NUMBER,
    PROBLEM,
    PROGRESS,
    STATUS,
    STATUS_CHOICES,
    TASK_ID,
    TASK_KIND,
    Column,
    Kind,
    normalise_header,
)

MAX_ROWS = 20_000
MAX_BYTES = 20 * 1024 * 1024
MAX_COLUMNS = 60
HEADER_SCAN = 10
KNOWN = (NUMBER, ASPECT, PROBLEM, ITEM, MEASURE, TASK_KIND, STATUS, PROGRESS, CLOSURE, CLOSED_ON, LEADER,
         DEPARTMENT, HANDLER, DEADLINE, MEASURE_COUNT, FINDING_ID, TASK_ID)  # fmt: skip
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


@dataclass
class Row:
    number: int  # the row number Excel shows
    values: dict[str, Any]


@dataclass
class Sheet:
    """One worksheet's rows; kind: tasks (has 任务编号), problems (has 问题编号) or feedback."""

    name: str
    kind: str
    columns: dict[str, Column]
    rows: list[Row] = field(default_factory=list)

    def where(self, row: int) -> str:
        return f"{self.name}第{row}行"


@dataclass(frozen=True)
class Exported:
    """What a ledger workbook showed when it was exported: per task its version and values, per problem
    its values, all converted as the visible cells are, so the two compare equal when untouched."""

    inspection_id: int
    tasks: dict[int, tuple[int, dict[str, Any]]]
    problems: dict[int, dict[str, Any]]


@dataclass
class ParsedWorkbook:
    sheets: list[Sheet]
    errors: list[str]
    exported: Exported | None = None


def open_workbook(data: bytes):
    if len(data) > MAX_BYTES:
        raise WorkbookRejected(f"文件过大({len(data) / 1048576:.1f} MB),上限为 {MAX_BYTES // 1048576} MB")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise WorkbookRejected("不支持旧版 Excel(.xls)文件,请在 Excel 或 WPS 中另存为 .xlsx 后再导入")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise WorkbookRejected("文件不是有效的 Excel 工作簿(.xlsx),无法读取") from None


def read_workbook(data: bytes, *, max_rows: int = MAX_ROWS) -> ParsedWorkbook:
    """Every recognisable sheet of the workbook with its converted rows, and every problem found.

    Raises WorkbookRejected for a file that is not a workbook, a sheet over `max_rows` rows, or a
    workbook in which no sheet has a recognisable header row.
    """
    check_sizes(data, max_rows)
    workbook = open_workbook(data)
    try:
        sheets, errors, unknown, exported = [], [], [], None
        for ws in workbook.worksheets:
            if ws.title == EXPORT_SHEET:
                exported = _read_exported(ws, max_rows)
                continue
            sheet = _read_sheet(ws, max_rows, errors)
            (sheets if sheet else unknown).append(sheet or ws.title)
        if not sheets:
            names = "、".join(f"“{n}”" for n in unknown) or "(无工作表)"
            raise WorkbookRejected(
                f"未在工作表{names}中找到表头:需要“方面”“具体问题”列(反馈问题清单),"
                "或本系统导出台账中的“问题编号”“任务编号”列",
                code="no_header",
            )
        return ParsedWorkbook(sheets, errors, exported)
    finally:
        workbook.close()


def check_sizes(data: bytes, max_rows: int) -> None:
    """Refuse a workbook with a sheet over `max_rows` rows before openpyxl opens it.

    openpyxl scans a whole sheet on opening when the file does not declare its size (files written
    by other programs often don't), so the rows are counted first, while decompressing each sheet a
    megabyte at a time: about a tenth of a second for 100,000 rows, never more than a chunk in memory.
    """
    if data[:2] != b"PK":
        return  # open_workbook says what is wrong with it
    guard_workbook(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name, member in _sheet_members(archive):
                rows = _count_rows(archive, member)
                if rows > (2 * max_rows if name == EXPORT_SHEET else max_rows) + HEADER_SCAN:
                    raise _too_long(name, max_rows, rows)
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError):
        return


def guard_workbook(data: bytes) -> None:
    """The archive guard, before openpyxl or the row count inflates anything (WorkbookRejected if refused)."""
    try:
        inspect_archive(data)
    except ArchiveRejected as error:
        raise WorkbookRejected(f"Excel 工作簿{error.problem}", code=error.code) from None
    except IngestError:
        raise WorkbookRejected("文件不是有效的 Excel 工作簿(.xlsx),无法读取") from None


def _sheet_members(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) of every worksheet, from xl/workbook.xml and its relationships."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    members = []
    for sheet in book.iter(f"{{{_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_REL}}}id"), "")
        member = target.lstrip("/") if target.startswith("/") else "xl/" + target
        members.append((sheet.get("name", ""), member))
    return members


def _count_rows(archive: zipfile.ZipFile, member: str) -> int:
    count, tail = 0, b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            block = tail + chunk
            tail = block[-6:]
            count += _rows_in(block) - _rows_in(tail)  # the tail is counted with the next block
    return count + _rows_in(tail)


def _rows_in(block: bytes) -> int:
    return block.count(b"<row ") + block.count(b"<row>") + block.count(b":row ") + block.count(b":row>")


def _too_long(name: str, limit: int, rows: int | None = None) -> WorkbookRejected:
    count = f"有{rows}行," if rows else ""
    return WorkbookRejected(f"工作表“{name}”{count}超过单次导入上限{limit}行,请拆分后分批导入", code="too_many_rows")


def _read_sheet(ws, max_rows: int, errors: list[str]) -> Sheet | None:
    rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    header_at, mapping = 0, {}
    for index, values in enumerate(rows, 1):
        found = _match_header(values)
        if len(found) > len(mapping):
            header_at, mapping = index, found
        if len(found) >= 3 or index >= HEADER_SCAN:
            break
    if len(mapping) < 2 or not _kind(mapping):
        return None
    sheet = Sheet(ws.title, _kind(mapping), {key: column for key, (_, column) in mapping.items()})
    rows = ws.iter_rows(min_row=header_at + 1, values_only=True, max_col=MAX_COLUMNS)
    for number, values in enumerate(rows, header_at + 1):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if len(sheet.rows) >= max_rows:
            raise _too_long(ws.title, max_rows)
        row = Row(number, {})
        for key, (position, column) in mapping.items():
            raw = values[position] if position < len(values) else None
            row.values[key] = _convert(raw, column, sheet.where(number), errors)
        sheet.rows.append(row)
    return sheet


def _read_exported(ws, max_rows: int) -> Exported:
    """The 导出信息 sheet; a damaged one is refused, since without it no edit can be told from a revert."""
    damaged = WorkbookRejected("工作簿中的导出信息已损坏,请重新下载 Excel 台账,修改后再导入", code="export_damaged")
    rows = ws.iter_rows(values_only=True, max_col=3 + len(EXPORTED_TASK))
    first = next(rows, None) or ()
    if len(first) < 2 or first[0] != EXPORT_FORMAT or not _key(first[1]):
        raise damaged
    exported = Exported(first[1], {}, {})
    errors: list[str] = []
    for count, values in enumerate(rows):
        if count > 2 * max_rows:
            raise _too_long(ws.title, 2 * max_rows)
        kind, pk, version, *cells = (*values, *([None] * (3 + len(EXPORTED_TASK) - len(values))))
        if kind == "kind" or kind is None:
            continue
        columns = EXPORTED_TASK if kind == "task" else EXPORTED_PROBLEM
        if kind not in ("task", "problem") or not _key(pk) or (kind == "task") != _key(version):
            raise damaged
        converted = {c.key: _convert(raw, c, ws.title, errors) for c, raw in zip(columns, cells, strict=False)}
        if kind == "task":
            exported.tasks[pk] = (version, converted)
        else:
            exported.problems[pk] = converted
    if errors:
        raise damaged
    return exported


def _key(value: Any) -> bool:
    """An id or version as the export writes them: a positive integer a database column can hold."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31


def _match_header(values) -> dict[str, tuple[int, Column]]:
    found: dict[str, tuple[int, Column]] = {}
    for position, value in enumerate(values or ()):
        name = normalise_header(value)
        if not name:
            continue
        for column in KNOWN:
            if column.key not in found and name in column.names:
                found[column.key] = (position, column)
                break
    return found


def _kind(mapping: dict) -> str | None:
    if "task_id" in mapping:
        return "tasks"
    if "finding_id" in mapping:
        return "problems"
    if "item" in mapping or ("aspect" in mapping and "problem" in mapping):
        return "feedback"
    return None


def _convert(raw: Any, column: Column, where: str, errors: list[str]) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None if column.kind != Kind.TEXT else ""
    if column.kind == Kind.DATE:
        value = as_date(raw)
        if value is None:
            errors.append(f"{where}:{column.header}不是日期(“{_show(raw)}”)")
        return value
    if column.kind == Kind.STATUS:
        text = str(raw).strip()
        if text not in STATUS_CHOICES:
            errors.append(f"{where}:{column.header}“{text}”不是有效状态(可选:{'、'.join(STATUS_CHOICES)})")
            return None
        return text
    if column.kind in (Kind.ID, Kind.INT):
        if isinstance(raw, int | float) and float(raw).is_integer():
            return int(raw)
        if isinstance(raw, str) and raw.strip().isdigit():
            return int(raw.strip())
        errors.append(f"{where}:{column.header}“{_show(raw)}”不是有效的编号")
        return None
    if isinstance(raw, datetime | date):
        return raw.strftime("%Y-%m-%d")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return from_cell(str(raw).strip())


def as_date(raw: Any) -> date | None:
    """A cell as a date: a date cell, a date written as text, or an Excel serial number in a plain cell."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and 20_000 < raw < 80_000:
        return from_excel(raw).date()
    if isinstance(raw, str):
        text = raw.strip().replace(" ", "")
        for pattern in _DATE_FORMATS:
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
    return None


def _show(raw: Any) -> str:
    text = str(raw).strip()
    return text if len(text) <= 20 else text[:19] + "…"
