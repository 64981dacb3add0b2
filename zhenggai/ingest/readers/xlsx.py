"""Excel .xlsx: a unit's ledger kept as a workbook (整改台账), each sheet a table with its merges resolved.

The workbook is only a table, so it is read as one (`tabular`): the table step finds the header and
builds the ledger, and a workbook without a ledger table is refused. Two other kinds of workbook have
their own import (`zhenggai import-xlsx`, 导入Excel): this system's own export, which this reader
names and refuses, and the inspection team's feedback list, which the table step also reads (problems
without measures). The package passes the archive guard before openpyxl inflates anything, with the
uncompressed size capped well below what a sheet-by-sheet reader allows: the whole workbook is loaded
(merged ranges are not available otherwise), and a ledger table is a few megabytes at most.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date, datetime, time

from zhenggai.ingest.archive import defaults, inspect_archive
from zhenggai.ingest.errors import CorruptFile, EncryptedFile, TooLarge, UnsupportedFormat
from zhenggai.ingest.options import MiB, ParseOptions
from zhenggai.ingest.readers.base import Extracted, Table

ZIP_MAGIC = b"PK\x03\x04"
MAX_UNCOMPRESSED = 64 * MiB
MAX_CELLS = 500_000
EXPORT_SHEET = "导出信息"  # the export's own sheet (zhenggai.outputs.xlsx_columns.EXPORT_SHEET)
_CORRUPT = "文件已损坏或不完整,无法按 Excel 工作簿(.xlsx)读取"


class XlsxReader:
    name = "xlsx"
    extensions = (".xlsx",)

    def sniff(self, head: bytes) -> bool:
        return head.startswith(ZIP_MAGIC) and b"xl/" in head

    def read(self, data: bytes, options: ParseOptions) -> Extracted:
        if not data.startswith(ZIP_MAGIC):
            raise CorruptFile(_CORRUPT)
        limits = options.archive or defaults()
        limits = replace(limits, max_total_bytes=min(limits.max_total_bytes, MAX_UNCOMPRESSED))
        inspect_archive(data, limits, corrupt=_CORRUPT)
        from openpyxl import load_workbook

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                if any(info.flag_bits & 0x1 for info in package.infolist()):
                    raise EncryptedFile("工作簿已加密,请先解除密码保护再导入")
            workbook = load_workbook(io.BytesIO(data), data_only=True)
        except (EncryptedFile, TooLarge):
            raise
        except Exception:  # openpyxl raises anything from KeyError to TypeError on a damaged package
            raise CorruptFile(_CORRUPT) from None
        try:
            if EXPORT_SHEET in workbook.sheetnames:
                raise UnsupportedFormat(
                    "这是本系统导出的 Excel 台账,请用“导入 Excel 台账修改”(zhenggai import-xlsx)导入其中的修改"
                )
            tables: list[Table] = []
            paragraphs: list[str] = []
            cells = 0
            for ws in workbook.worksheets:
                if ws.sheet_state != "visible":
                    continue
                cells += (ws.max_row or 0) * (ws.max_column or 0)
                if cells > MAX_CELLS:
                    raise TooLarge(f"工作簿单元格过多(超过 {MAX_CELLS} 个),已拒绝读取")
                rows = _grid(ws)
                start = len(paragraphs)
                paragraphs.extend(" ".join(c for c in row if c) for row in rows)
                tables.append(Table(rows, start, len(paragraphs)))
        finally:
            workbook.close()
        return Extracted(paragraphs=paragraphs, tables=tables, tabular=True)


def _grid(ws) -> list[list[str]]:
    rows = [[_text(v) for v in values] for values in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(merged.max_row, len(rows))):
            for c in range(left, min(merged.max_col, len(rows[r]))):
                rows[r][c] = value
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
