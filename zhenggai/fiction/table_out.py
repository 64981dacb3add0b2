"""A fictional report as a ledger table (整改台账) in .docx or .xlsx, with its truth.

One row per measure, the way units keep ledgers: a problem's cell merged over its measure rows, an
aspect either as a row across the whole width or as a merged first column, the header over one row
or two (责任主体 above 责任领导 · 责任部门 · 责任人), column names drawn from the names units use, and
every measure with a leader, a department, a person, a deadline written one of several ways and a
status. `ledger_table` decides all of it from the seed; `to_ledger` of the result is what the table
step should read back, responsibilities included.
"""

from __future__ import annotations

import calendar
import io
import random
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape

from zhenggai.fiction.model import FictionalReport, Leaf, Problem, cn_number
from zhenggai.ingest.ledgerdoc import Finding, Inspection, LedgerDocument, Report, Responsibility

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
_GIVEN = "建国海燕文明志强红梅晓东丽华永刚秀英国庆春生玉兰德胜"
_DEPARTMENTS = ("办公室", "组织人事科", "财务审计科", "党建工作科", "政策法规科", "综合业务科", "机关党委", "纪检组")
_POSTS = ("党组书记", "局长", "副局长", "纪检组长", "党组成员")
_NAMES = {
    "number": ("序号", "编号"),
    "aspect": ("问题类别", "方面"),
    "problem": ("反馈问题", "问题", "存在问题", "巡察反馈问题"),
    "item": ("具体表现", "具体问题", "问题具体表现"),
    "measure": ("整改措施", "具体整改措施", "整改任务"),
    "leader": ("责任领导", "牵头领导"),
    "department": ("责任部门", "责任科室", "责任单位"),
    "person": ("责任人", "具体责任人"),
    "deadline": ("完成时限", "整改时限"),
    "status": ("完成情况", "整改状态"),
}
_STATUS_WORDS = {
    "完成整改": ("已完成", "完成整改"),
    "基本完成": ("基本完成",),
    "正在推进": ("正在推进", "持续整改"),
    "长期坚持": ("长期坚持",),
    "未完成": ("未完成",),
}
RESPONSIBILITY = ("leader", "department", "person")


@dataclass
class LedgerTable:
    """The table as rendered: header rows, data rows and the merges, plus the truth."""

    title: str
    unit_line: str
    columns: list[str]  # roles, in order
    header: list[list[str]]  # one or two rows
    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    """(first row, first column, last row, last column), 0-based over header + data rows."""
    truth: LedgerDocument = field(default_factory=LedgerDocument)


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.choice((1, 2))))


def _deadline(rng: random.Random, year: int, month: int, dated: bool) -> tuple[str, str | None, str | None]:
    """(cell text, ISO date, term); `dated`: the form names its year (the ledger's first deadline does,
    so that a later "6月底前" has a year to be read in)."""
    day = calendar.monthrange(year, month)[1]
    forms = (
        ("cn", "dot", "iso", "month_end") if dated else ("cn", "dot", "iso", "month_end", "no_year", "long", "short")
    )
    form = rng.choice(forms)
    iso = date(year, month, day).isoformat()
    if form == "cn":
        return f"{year}年{month}月{day}日", iso, None
    if form == "dot":
        return f"{year}.{month}.{day}", iso, None
    if form == "iso":
        return iso, iso, None
    if form == "month_end":
        return f"{year}年{month}月底前", iso, None
    if form == "no_year":
        return f"{month}月底前", iso, None
    if form == "long":
        return "长期坚持", None, "长期坚持"
    return "立行立改", None, "立行立改"


def ledger_table(report: FictionalReport, seed: int | None = None) -> LedgerTable:
    rng = random.Random(report.seed * 7919 + (seed or 0))
    two_rows = rng.random() < 0.7
    aspect_rows = rng.random() < 0.6  # aspects as full-width rows, else a merged first column
    has_items = any(isinstance(c, Problem) for a in report.aspects for c in a.children) or rng.random() < 0.5
    roles = ["number"] + ([] if aspect_rows else ["aspect"]) + ["problem"] + (["item"] if has_items else [])
    roles += ["measure", "leader", "department", "person", "deadline", "status"]
    names = {role: rng.choice(options) for role, options in _NAMES.items()}
    year = report.date.year
    findings: list[Finding] = []
    rows: list[list[str]] = []
    merges: list[tuple[int, int, int, int]] = []
    header_rows = 2 if two_rows else 1
    leaders = {d: f"{_person(rng)}({rng.choice(_POSTS)})" if rng.random() < 0.3 else _person(rng) for d in _DEPARTMENTS}
    number = 0
    full_date_seen = False
    for a_index, aspect in enumerate(report.aspects, 1):
        aspect_node = Finding(cn_number(a_index) if aspect_rows else None, aspect.title)
        findings.append(aspect_node)
        aspect_first = header_rows + len(rows)
        if aspect_rows:
            rows.append([f"{cn_number(a_index)}、{aspect.title}"] * len(roles))
            merges.append((aspect_first, 0, aspect_first, len(roles) - 1))
            aspect_first += 1
        for child in aspect.children:
            problem_first = header_rows + len(rows)
            leaves: list[Leaf] = child.leaves if isinstance(child, Problem) else [child]
            parent = aspect_node
            if isinstance(child, Problem):
                parent = Finding(None, child.title)
                aspect_node.children.append(parent)
            for leaf in leaves:
                number += 1
                leaf_first = header_rows + len(rows)
                node = Finding(str(number), leaf.title, status=leaf.status)
                parent.children.append(node)
                words = rng.choice(_STATUS_WORDS[leaf.status])
                for measure in leaf.measures or ["—"]:
                    department = rng.choice(_DEPARTMENTS)
                    month = rng.randint(3, 12)
                    text, iso, term = _deadline(rng, year, month, dated=not full_date_seen)
                    full_date_seen = True
                    person = _person(rng)
                    cells = {
                        "number": str(number),
                        "aspect": aspect.title,
                        "problem": child.title if isinstance(child, Problem) else leaf.title,
                        "item": leaf.title if isinstance(child, Problem) else "",
                        "measure": measure,
                        "leader": leaders[department],
                        "department": department,
                        "person": person,
                        "deadline": text,
                        "status": words,
                    }
                    rows.append([cells[role] for role in roles])
                    node.measures.append(measure)
                    node.responsibilities.append(
                        Responsibility(leaders[department], department, person, iso, term, leaf.status)
                    )
                last = header_rows + len(rows) - 1
                for role in ("number", "item") if isinstance(child, Problem) else ("number", "problem"):
                    if role in roles and last > leaf_first:
                        merges.append((leaf_first, roles.index(role), last, roles.index(role)))
            last = header_rows + len(rows) - 1
            if isinstance(child, Problem) and last > problem_first:
                merges.append((problem_first, roles.index("problem"), last, roles.index("problem")))
        last = header_rows + len(rows) - 1
        if not aspect_rows and last > aspect_first:
            merges.append((aspect_first, roles.index("aspect"), last, roles.index("aspect")))
    header = [[names[role] for role in roles]]
    if two_rows:
        top = [names[role] if role not in RESPONSIBILITY else "责任主体" for role in roles]
        below = [names[role] for role in roles]
        header = [top, below]
        for index, role in enumerate(roles):
            if role not in RESPONSIBILITY:
                merges.append((0, index, 1, index))
        first = roles.index("leader")
        merges.append((0, first, 0, first + 2))
    truth = LedgerDocument(
        inspection=Inspection(unit=report.unit),
        report=Report(),
        findings=findings,
    )
    title = f"{report.unit}落实{report.team}反馈意见整改台账"
    return LedgerTable(title, f"填报单位:{report.unit}", roles, header, rows, merges, truth)


def to_table_docx_bytes(table: LedgerTable) -> bytes:
    """The table written as Word writes merges: w:gridSpan across, w:vMerge restart/continue down."""
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = Document()
    document.add_paragraph(table.title)
    document.add_paragraph(table.unit_line)
    grid = [*table.header, *table.rows]
    owner = {}
    for r1, c1, r2, c2 in table.merges:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                owner[(r, c)] = (r1, c1, r2, c2)
    width = len(table.columns)
    rows = []
    for r, values in enumerate(grid):
        cells, c = [], 0
        while c < width:
            r1, c1, r2, c2 = owner.get((r, c), (r, c, r, c))
            props = f'<w:gridSpan w:val="{c2 - c1 + 1}"/>' if c2 > c1 else ""
            if r2 > r1:
                props += '<w:vMerge w:val="restart"/>' if r == r1 else "<w:vMerge/>"
            text = escape(values[c]) if r == r1 else ""
            cells.append(f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
            c = c2 + 1
        rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
    columns = "".join('<w:gridCol w:w="1000"/>' for _ in range(width))
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
        f"<w:tblGrid>{columns}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(xml))  # before the section properties
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_table_xlsx_bytes(table: LedgerTable) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = "整改台账"
    ws.append([table.title])
    ws.append([table.unit_line])
    offset = 3  # the grid starts on the third row
    for values in [*table.header, *table.rows]:
        ws.append(values)
    for r1, c1, r2, c2 in table.merges:
        ws.merge_cells(start_row=r1 + offset, start_column=c1 + 1, end_row=r2 + offset, end_column=c2 + 1)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
