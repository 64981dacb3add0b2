"""A ledger kept as a table (整改台账) → ledger document: the table step beside the prose steps.

A unit's ledger is a table with a row per measure: 序号 / 问题 / 具体表现 / 整改措施 / 责任领导 /
责任部门 / 责任人 / 完成时限 / 完成情况, named a dozen ways, the header often over two rows (责任主体
above 责任领导 · 责任部门 · 责任人), a problem's cell merged over its measure rows, aspects as rows
spanning the whole width. The reader resolves merges (a merged cell repeats its text); this step finds
the header by a table of column names, maps the columns, and builds the findings tree with one
measure per row and that row's responsibility, deadline and status.

A document is read this way when a table with a ledger header holds most of its text; a report in
prose with a table somewhere keeps the prose steps.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from zhenggai.ingest import fields
from zhenggai.ingest.checks import check
from zhenggai.ingest.deadline import read_deadline, year_of
from zhenggai.ingest.errors import NotAReport
from zhenggai.ingest.ledgerdoc import Finding, Inspection, LedgerDocument, Responsibility
from zhenggai.ingest.normalise import normalise
from zhenggai.ingest.options import ParseOptions
from zhenggai.ingest.readers.base import Extracted, Table
from zhenggai.ingest.status import classify_status

# Column roles, and the words of a header cell that name them, most specific first: the first rule whose
# words occur in the (space-free) header text wins, so 具体问题 is an item before 问题 is a problem.
NUMBER, ASPECT, PROBLEM, ITEM, MEASURE = "number", "aspect", "problem", "item", "measure"
LEADER, DEPARTMENT, PERSON, DEADLINE, STATUS, PROGRESS, IGNORED = (
    "leader", "department", "person", "deadline", "status", "progress", "ignored"
)  # fmt: skip
HEADER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (IGNORED, ("备注", "说明", "佐证", "销号")),
    (NUMBER, ("序号", "编号", "序")),
    (ITEM, ("具体问题", "具体表现", "问题表现", "表现形式", "问题描述", "具体情况")),
    (MEASURE, ("措施", "整改任务", "整改举措", "整改方案", "整改目标", "整改内容")),
    (LEADER, ("领导",)),
    (PERSON, ("责任人", "经办人", "联系人", "承办人")),
    (DEPARTMENT, ("部门", "单位", "科室", "股室", "处室", "责任主体", "牵头", "配合")),
    (DEADLINE, ("时限", "期限", "完成时间", "整改时间", "完成日期")),
    (PROGRESS, ("进展", "进度", "整改成效", "整改结果")),
    (STATUS, ("完成情况", "状态", "是否完成", "整改情况")),
    (ASPECT, ("方面", "类别", "类型", "领域")),
    (PROBLEM, ("问题", "反馈意见", "巡察意见", "反馈内容")),
)
_SPACE = re.compile(r"[\s\u3000*＊:：]+")
HEADER_SCAN = 12
"""Rows searched for the header: titles and notes stand above it."""
_LABEL = re.compile(
    r"^\s*(?:[(（]\s*([一二三四五六七八九十\d]{1,3})\s*[)）]|([一二三四五六七八九十]{1,3})\s*[、.．]|(\d{1,3})\s*[、.．](?!\d))\s*"
)
_NUMBER_CELL = re.compile(r"^\s*[(（]?\s*([一二三四五六七八九十]{1,3}|\d{1,3}(?:[-.．]\d{1,3})*)\s*[)）、.．]?\s*$")
_UNIT_LINE = re.compile(
    r"^(?:填报单位|报送单位|单位名称|被巡察单位|整改单位|单位)(?:\(盖章\)|（盖章）)?\s*[:：]\s*(\S.{1,60}?)\s*$"
)
_MEASURE_ENUM = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}是|\d{1,2}[.、．)）]|[(（]\d{1,2}[)）])[，,:：]?\s*")
EXTRA_STATUS_CUES = (
    ("正在推进", ("持续整改", "整改中", "推进中", "正在")),
    ("未完成", ("未完成", "未整改", "否")),
    ("完成整改", ("是", "已完成", "已整改", "完成")),
)


def role_of(header: str) -> str | None:
    text = _SPACE.sub("", header or "").replace("（", "(").replace("）", ")")
    if not text or len(text) > 24 or _LABEL.match(text):
        return None  # long or numbered: content, not a column name
    for role, words in HEADER_WORDS:
        if any(word in text for word in words):
            return role
    return None


@dataclass
class Header:
    rows: int
    """How many rows the header takes (one or two)."""
    at: int
    columns: dict[str, int] = field(default_factory=dict)
    """Role → column index (the first column of that role)."""

    def score(self) -> int:
        return len(self.columns)

    def is_ledger(self) -> bool:
        """A ledger names its measures, and the problems they answer."""
        return MEASURE in self.columns and bool({PROBLEM, ITEM, ASPECT} & self.columns.keys())


def find_header(rows: list[list[str]]) -> Header | None:
    """The best header among the first rows; a second row under it refines the columns it names
    (责任主体 over 责任领导 · 责任部门 · 责任人), and a vertically merged header cell repeats in both."""
    best: Header | None = None
    for at, row in enumerate(rows[:HEADER_SCAN]):
        roles = [role_of(cell) for cell in row]
        if sum(1 for r in roles if r and r != IGNORED) < 2:
            continue
        header = Header(1, at)
        if at + 1 < len(rows):
            below = [role_of(cell) for cell in rows[at + 1]]
            refined = [
                b if b and (b != a or rows[at + 1][i] != row[i]) else None
                for i, (a, b) in enumerate(zip(roles, below, strict=False))
            ]
            if any(refined) and _names_columns(row, rows[at + 1], below):
                roles = [b or a for a, b in zip(roles, refined + [None] * (len(roles) - len(refined)), strict=False)]
                header.rows = 2
        for index, role in enumerate(roles):
            if role and role != IGNORED and role not in header.columns:
                header.columns[role] = index
        if header.is_ledger() and (best is None or header.score() > best.score()):
            best = header
    return best


def _is_feedback_list(rows: list[list[str]]) -> bool:
    """The inspection team's list of problems (方面 · 具体问题), which has an import of its own."""
    for row in rows[:HEADER_SCAN]:
        roles = {role_of(cell) for cell in row}
        if MEASURE not in roles and (ITEM in roles or {ASPECT, PROBLEM} <= roles):
            return True
    return False


def _names_columns(top: list[str], below: list[str], roles: list[str | None]) -> bool:
    """Whether the row under a header is its second row: every cell of it is a column name, empty, or the
    header cell above merged down; the first data row always holds some text that names no column."""
    if _is_section_row(below) is not None:
        return False
    return all(
        not cell.strip() or role is not None or (i < len(top) and cell == top[i])
        for i, (cell, role) in enumerate(zip(below, roles, strict=False))
    )


@dataclass
class _Row:
    aspect: str
    problem: str
    item: str
    number: str
    measure: str
    responsibility: Responsibility


@dataclass
class _Part:
    """One table of the ledger (a document may split it in several, one per aspect or page) and its header."""

    table: Table
    header: Header
    data: list[list[str]]


def ledger_parts(extracted: Extracted) -> list[_Part]:
    """The tables that make up the ledger, in order: every table with a header naming the same columns
    as the largest one, and in a document the header-less tables of the same width that follow one."""
    found = [(t, h) for t in extracted.tables if (h := find_header(t.rows)) is not None]
    if not found:
        return []
    columns = max(found, key=lambda th: sum(len(r) for r in th[0].rows))[1].columns
    parts: list[_Part] = []
    for table in extracted.tables:
        header = find_header(table.rows)
        if header is not None and header.columns == columns:
            parts.append(_Part(table, header, table.rows[header.at + header.rows :]))
        elif header is None and parts and not extracted.tabular and _width(table) == _width(parts[-1].table):
            parts.append(_Part(table, parts[-1].header, table.rows))  # the ledger continued
    return parts


def _width(table: Table) -> int:
    return len(table.rows[0]) if table.rows else 0


def _inside(index: int, parts: list[_Part]) -> bool:
    return any(part.table.start <= index < part.table.end for part in parts)


def table_ledger(extracted: Extracted, source: str, options: ParseOptions = ParseOptions()) -> LedgerDocument | None:
    """The ledger of a document kept as a table, or None when it is not one (the prose steps read it).

    A document is read as a table when its ledger tables hold at least half its text; a workbook
    (`tabular`) always is, and one without a ledger table is refused with NotAReport: it has no prose
    to fall back on.
    """
    parts = ledger_parts(extracted)
    if not extracted.tabular and parts:
        in_tables = sum(len(p) for i, p in enumerate(extracted.paragraphs) if _inside(i, parts))
        if in_tables * 2 < sum(len(p) for p in extracted.paragraphs):
            parts = []
    if not parts:
        if extracted.tabular and any(_is_feedback_list(t.rows) for t in extracted.tables):
            raise NotAReport(
                "这是巡察组移交的反馈问题清单(没有“整改措施”列),请用 zhenggai import-xlsx --round 轮次 --unit 单位 导入"
            )
        if extracted.tabular:
            raise NotAReport("未在表格中找到整改台账的表头:需要“整改措施”列,以及“问题”或“具体问题(具体表现)”列")
        return None
    outside = [p for i, p in enumerate(extracted.paragraphs) if not _inside(i, parts)]
    if extracted.tabular:
        first = parts[0]
        outside = [" ".join(c for c in row if c.strip()) for row in first.table.rows[: first.header.at]]
    lines = normalise(outside)
    rows = [row for part in parts for row in _rows(part.data, part.header)]
    findings = _tree(rows)
    if options.require_findings and not findings:
        raise NotAReport("台账表格中没有问题与整改措施")
    inspection = fields.opening(lines) if lines else Inspection()
    if not inspection.unit:
        inspection.unit = _unit_line(outside)
    doc = LedgerDocument(
        inspection=inspection,
        report=fields.report_meta(lines, extracted.title, extracted.published, source),
        findings=findings,
    )
    doc.warnings = check(doc) + _undated(rows)
    return doc


def _unit_line(paragraphs: list[str]) -> str | None:
    for text in paragraphs:
        match = _UNIT_LINE.match(text.strip())
        if match:
            return match.group(1)
    return None


def _flat(text: str) -> str:
    """A title cell's lines as one line (Word and Excel wrap long cells by hand)."""
    return "".join(line.strip() for line in text.splitlines())


def _cell(row: list[str], header: Header, role: str) -> str:
    index = header.columns.get(role)
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _is_section_row(row: list[str]) -> str | None:
    """A row spanning the whole width (its text repeated in every cell): an aspect heading."""
    texts = {c.strip() for c in row}
    if len(texts) == 1 and len(row) >= 3:
        text = texts.pop()
        return text or None
    return None


def _rows(data: list[list[str]], header: Header) -> list[_Row]:
    rows: list[_Row] = []
    aspect = problem = item = number = ""
    has_aspect_column = ASPECT in header.columns
    years = Counter(y for r in data if (y := year_of(_cell(r, header, DEADLINE))) is not None)
    default_year = years.most_common(1)[0][0] if years else None
    for raw in data:
        section = _is_section_row(raw)
        if section is not None:
            if not has_aspect_column:
                aspect, problem, item, number = section, "", "", ""
            continue
        if not any(c.strip() for c in raw):
            continue
        new_aspect = _flat(_cell(raw, header, ASPECT))
        if new_aspect and new_aspect != aspect:
            aspect, problem, item = new_aspect, "", ""
        new_problem = _flat(_cell(raw, header, PROBLEM))
        if new_problem and new_problem != problem:
            problem, item = new_problem, ""
        item = _flat(_cell(raw, header, ITEM)) or item
        number = _cell(raw, header, NUMBER) or number
        deadline, term = read_deadline(_cell(raw, header, DEADLINE), default_year)
        status_text = _cell(raw, header, STATUS)
        progress = _cell(raw, header, PROGRESS)
        status = table_status(status_text) or (table_status(progress) if len(progress) <= 14 else None)
        if len(status_text) > 14 and not progress:  # a sentence on what was done, not only a status
            progress = status_text
        responsibility = Responsibility(
            leader=_cell(raw, header, LEADER) or None,
            department=_cell(raw, header, DEPARTMENT) or None,
            person=_cell(raw, header, PERSON) or None,
            deadline=deadline,
            term=term,
            status=status,
            progress=progress or None,
        )
        rows.append(_Row(aspect, problem, item, number, _cell(raw, header, MEASURE), responsibility))
    return rows


def table_status(text: str) -> str | None:
    """A 完成情况 cell as a status: the report vocabulary, plus what tables write (是/否, 持续整改)."""
    text = (text or "").strip()
    if not text:
        return None
    head = text[:14]
    if len(text) <= 4:
        for status, cues in EXTRA_STATUS_CUES:
            if any(head.startswith(cue) for cue in cues):
                return status
    found = classify_status(head)
    if found is None:
        found = next((s for s, cues in EXTRA_STATUS_CUES if any(cue in head for cue in cues if len(cue) > 1)), None)
    return found


def split_label(text: str) -> tuple[str | None, str]:
    """A cell's own numbering ("（一）", "1.") apart from its text, normalised as the ledger writes labels."""
    match = _LABEL.match(text)
    if not match:
        return None, text
    value = match.group(1) or match.group(2) or match.group(3)
    label = f"({value})" if match.group(1) else value
    return label, text[match.end() :].strip()


def _node(title: str) -> Finding:
    label, text = split_label(title)
    return Finding(label, text or title)


def _tree(rows: list[_Row]) -> list[Finding]:
    """Aspect → problem → specific problem from the rows' (filled-down) cells; one measure per row."""
    levels = [name for name in ("aspect", "problem", "item") if any(getattr(r, name) for r in rows)]
    top: list[Finding] = []
    path: list[tuple[str, Finding]] = []  # the open node of each level: (cell text, node)
    leaf_number: dict[int, str] = {}
    for row in rows:
        keys = [getattr(row, name) for name in levels]
        while keys and not keys[-1]:
            keys.pop()  # a row without the deepest cell hangs off the level above
        if not keys:
            continue
        depth = 0
        while depth < len(path) and depth < len(keys) and path[depth][0] == keys[depth]:
            depth += 1
        if depth == len(keys) and depth == len(path):
            node = path[-1][1]
        else:
            del path[depth:]
            for key in keys[depth:]:
                node = _node(key)
                (path[-1][1].children if path else top).append(node)
                path.append((key, node))
            node = path[-1][1]
            leaf_number[id(node)] = row.number
        _add_measure(node, row)
    for leaf in (n for t in top for n in t.leaves()):
        _finish_leaf(leaf, leaf_number.get(id(leaf), ""))
    _move_shared_labels(top)
    return top


def _add_measure(node: Finding, row: _Row) -> None:
    """The row's measure (or, in a cell enumerating 1. 2. 3. on lines of their own, each of them) with the
    row's responsibility; a measure cell merged over rows of its own counts once."""
    lines = [line.strip() for line in row.measure.splitlines() if line.strip()]
    if len(lines) > 1 and all(_MEASURE_ENUM.match(line) for line in lines):
        texts = [_MEASURE_ENUM.sub("", line).strip() for line in lines]
    else:
        texts = [_MEASURE_ENUM.sub("", "".join(lines)).strip()] if lines else []
    texts = [t for t in texts if t]
    if texts and node.measures[-len(texts) :] == texts:
        return
    for text in texts:
        node.measures.append(text)
        node.responsibilities.append(replace(row.responsibility))


def _move_shared_labels(nodes: list[Finding]) -> None:
    """A 序号 merged over a problem's rows numbers the problem, not each of its specific problems."""
    for node in nodes:
        labels = {child.label for child in node.children}
        if len(node.children) > 1 and len(labels) == 1 and node.label is None and None not in labels:
            node.label = labels.pop()
            for child in node.children:
                child.label = None
        _move_shared_labels(node.children)


def _finish_leaf(leaf: Finding, number: str) -> None:
    """The leaf's label from its 序号 ("1", "(1)", "1-2"), its status from its measures'."""
    numbered = _NUMBER_CELL.match(number) if leaf.label is None else None
    if numbered is not None:
        value = numbered.group(1)
        leaf.label = f"({value})" if number.strip()[:1] in "(（" else value
    statuses = [r.status for r in leaf.responsibilities]
    leaf.status = combine_statuses(statuses)
    if not any(not r.is_empty() for r in leaf.responsibilities):
        leaf.responsibilities = []


def combine_statuses(statuses: list[str | None]) -> str | None:
    """A problem's status from its measures' (the rule of zhenggai.ledger.rollup, kept free of Django)."""
    if not statuses or all(s is None for s in statuses):
        return None
    parts = {s or "未完成" for s in statuses}
    if parts <= {"完成整改"}:
        return "完成整改"
    if parts <= {"完成整改", "长期坚持"}:
        return "长期坚持"
    if parts <= {"完成整改", "长期坚持", "基本完成"}:
        return "基本完成"
    if parts == {"未完成"}:
        return "未完成"
    return "正在推进"


def _undated(rows: list[_Row]) -> list[str]:
    loose = [r.responsibility.term for r in rows if r.responsibility.term and not r.responsibility.deadline]
    loose = [t for t in loose if t not in ("长期坚持", "立行立改")]
    if not loose:
        return []
    return [f"{len(loose)}条整改措施的完成时限无法确定日期(如“{loose[0]}”),请核对"]
