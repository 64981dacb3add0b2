"""Ledgers kept as tables (整改台账) in .docx and .xlsx: the table step, against generated ledgers with
their truth and against hand-made tables with two-row headers and merged problem cells."""

from __future__ import annotations

import io
import subprocess
import sys
import time

import docx
import pytest
from openpyxl import Workbook

from tests.conftest import REPO
from zhenggai.fiction import generate_report, to_docx_bytes
from zhenggai.fiction.table_out import ledger_table, to_table_docx_bytes, to_table_xlsx_bytes
from zhenggai.ingest import IngestError, parse_bytes
from zhenggai.ingest.deadline import read_deadline
from zhenggai.ingest.errors import NotAReport, UnsupportedFormat
from zhenggai.ingest.ledgerdoc import LedgerDocument, Responsibility
from zhenggai.ingest.table import table_status

SEEDS = range(30)
RENDER = {"docx": to_table_docx_bytes, "xlsx": to_table_xlsx_bytes}
FIELDS = ("leader", "department", "person", "deadline", "term", "status")


def _leaf_key(path: tuple[str, ...], leaf) -> tuple:
    return (*path, leaf.title)


def _leaves(doc: LedgerDocument) -> dict[tuple, object]:
    out = {}

    def walk(nodes, path):
        for node in nodes:
            if node.is_leaf:
                out[_leaf_key(path, node)] = node
            else:
                walk(node.children, (*path, node.title))

    walk(doc.findings, ())
    return out


def _compare(parsed: LedgerDocument, truth: LedgerDocument) -> tuple[int, int, int, int, int]:
    """(leaves matched with their ancestry, parsed leaves, true leaves, responsibility fields right, fields)."""
    got, want = _leaves(parsed), _leaves(truth)
    matched = set(got) & set(want)
    right = total = 0
    for key, leaf in want.items():
        found = got.get(key)
        for index, _ in enumerate(leaf.measures):
            expected = leaf.responsibility(index)
            actual = found.responsibility(index) if found is not None else Responsibility()
            for name in FIELDS:
                total += 1
                right += getattr(expected, name) == getattr(actual, name)
    return len(matched), len(got), len(want), right, total


@pytest.fixture(scope="module")
def generated():
    """Every seed's table rendered in both formats, parsed once (with the parse time per file)."""
    runs = []
    for seed in SEEDS:
        table = ledger_table(generate_report(seed))
        for fmt, render in RENDER.items():
            data = render(table)
            started = time.perf_counter()
            parsed = parse_bytes(data, f"台账{seed}.{fmt}")
            runs.append((seed, fmt, table, parsed, time.perf_counter() - started))
    return runs


def test_generated_ledgers_cover_two_row_headers_and_merged_problem_cells(generated):
    tables = {seed: table for seed, _, table, _, _ in generated}.values()
    assert sum(len(t.header) == 2 for t in tables) >= 10
    assert sum(len(t.header) == 1 for t in tables) >= 3
    problem_merges = sum(1 for t in tables for _, c1, r2, c2 in t.merges if c1 == c2 and t.columns[c1] == "problem")
    assert problem_merges >= 30


@pytest.mark.parametrize("fmt", list(RENDER))
def test_generated_ledgers_parse_back_to_their_truth(generated, fmt):
    matched = parsed = true = right = total = 0
    for seed, f, table, doc, _ in generated:
        if f != fmt:
            continue
        m, p, t, r, n = _compare(doc, table.truth)
        matched, parsed, true, right, total = matched + m, parsed + p, true + t, right + r, total + n
        assert doc.inspection.unit == table.truth.inspection.unit, seed
    precision, recall = matched / parsed, matched / true
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.99, (fmt, f1)
    assert right / total >= 0.99, (fmt, right / total)


def test_generated_ledgers_are_read_exactly(generated):
    """Titles, measures, statuses and every responsibility field, seed by seed."""
    wrong = [(seed, fmt) for seed, fmt, table, doc, _ in generated if doc.findings != table.truth.findings]
    assert not wrong


def test_parse_time_per_table_ledger(generated):
    """Generous on a loaded two-core machine: a ledger of ~25 problems parses in well under a second."""
    times = sorted(t for *_, t in generated)
    assert times[len(times) // 2] < 1.0, times


# ---- a hand-made ledger: two-row header, merged problem cells, every deadline form -------------------

HEADER_TOP = [
    "序号",
    "问题(反馈问题)",
    "具体表现",
    "整改措施",
    "责任主体",
    "责任主体",
    "责任主体",
    "完成时限",
    "完成情况",
]
HEADER_BELOW = [
    "序号",
    "问题(反馈问题)",
    "具体表现",
    "整改措施",
    "责任领导",
    "责任部门",
    "责任人",
    "完成时限",
    "完成情况",
]
ROWS = [
    ["1", "理论学习不深入", "学习停留在表面", "一是制定学习计划", "李明", "办公室", "王芳", "2026年6月30日", "已完成"],
    ["1", "理论学习不深入", "学习停留在表面", "二是开展专题研讨", "李明", "机关党委", "赵强", "2026.6.30", "基本完成"],
    ["1", "理论学习不深入", "学以致用不够", "建立学用台账", "张华", "组织人事科", "陈静", "6月底前", "正在推进"],
    ["2", "制度执行不严格", "报销审核不规范", "修订报销细则", "刘洋", "财务科", "周敏", "2026-06-30", "持续整改"],
    ["2", "制度执行不严格", "报销审核不规范", "加强日常监督", "刘洋", "财务科", "周敏", "长期坚持", "长期坚持"],
]


def _docx_ledger() -> bytes:
    document = docx.Document()
    document.add_paragraph("某某局落实巡察反馈意见整改台账")
    document.add_paragraph("填报单位:某某局党组")
    grid = [HEADER_TOP, HEADER_BELOW, *ROWS]
    table = document.add_table(rows=len(grid), cols=len(HEADER_TOP))
    merges = [(0, c, 1, c) for c in (0, 1, 2, 3, 7, 8)] + [(0, 4, 0, 6), (2, 0, 4, 0), (2, 1, 4, 1), (2, 2, 3, 2)]
    merges += [(5, 0, 6, 0), (5, 1, 6, 1), (5, 2, 6, 2)]
    covered = set()
    for r1, c1, r2, c2 in merges:
        cell = table.cell(r1, c1).merge(table.cell(r2, c2))
        cell.text = grid[r1][c1]
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if (r, c) not in covered:
                table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx_ledger(header=True) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.append(["某某局落实巡察反馈意见整改台账"])
    ws.append(["填报单位:某某局党组"])
    if header:
        ws.append(HEADER_TOP)
        ws.append(HEADER_BELOW)
    for row in ROWS:
        ws.append(row)
    if header:
        for c in (1, 2, 3, 4, 8, 9):
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
        ws.merge_cells(start_row=3, start_column=5, end_row=3, end_column=7)
        for c1, c2, r1, r2 in ((1, 1, 5, 7), (2, 2, 5, 7), (3, 3, 5, 6), (1, 1, 8, 9), (2, 2, 8, 9), (3, 3, 8, 9)):
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _check_hand_made(doc: LedgerDocument) -> None:
    assert doc.inspection.unit == "某某局党组"
    assert [f.title for f in doc.findings] == ["理论学习不深入", "制度执行不严格"]
    first, second = doc.findings
    assert [leaf.title for leaf in first.children] == ["学习停留在表面", "学以致用不够"]
    assert first.children[0].measures == ["制定学习计划", "开展专题研讨"]
    duties = [d for leaf in doc.leaves() for d in leaf.responsibilities]
    assert [(d.leader, d.department, d.person) for d in duties] == [(r[4], r[5], r[6]) for r in ROWS]
    assert [d.deadline for d in duties] == ["2026-06-30"] * 4 + [None]
    assert duties[-1].term == "长期坚持"
    assert [d.status for d in duties] == ["完成整改", "基本完成", "正在推进", "正在推进", "长期坚持"]
    assert first.children[0].status == "基本完成"
    assert second.children[0].status == "正在推进"


def test_a_docx_ledger_with_a_two_row_header_and_merged_problem_cells():
    _check_hand_made(parse_bytes(_docx_ledger(), "台账.docx"))


def test_an_xlsx_ledger_with_a_two_row_header_and_merged_problem_cells():
    _check_hand_made(parse_bytes(_xlsx_ledger(), "台账.xlsx"))


def test_a_cell_enumerating_measures_gives_one_measure_each_and_a_shared_number_labels_the_problem():
    workbook = Workbook()
    ws = workbook.active
    ws.append(
        ["序号", "存在问题", "问题表现", "整改举措", "牵头领导", "牵头科室", "经办人", "整改期限", "整改进展情况"]
    )
    ws.append(
        [
            "1",
            "制度执行\n不严格",
            "报销审核不规范",
            "1.修订报销细则\n2.开展专项检查",
            "刘洋",
            "财务科",
            "周敏",
            "2026年9月",
            "已于8月印发新细则并组织检查",
        ]
    )
    ws.append(
        ["1", "制度执行\n不严格", "公务接待超标准", "追回超标费用", "刘洋", "财务科", "吴刚", "立行立改", "已完成"]
    )
    for c in (1, 2):
        ws.merge_cells(start_row=2, start_column=c, end_row=3, end_column=c)
    out = io.BytesIO()
    workbook.save(out)
    doc = parse_bytes(out.getvalue(), "台账.xlsx")
    (problem,) = doc.findings
    assert (problem.label, problem.title) == ("1", "制度执行不严格")
    assert [leaf.label for leaf in problem.children] == [None, None]
    first, second = problem.children
    assert first.measures == ["修订报销细则", "开展专项检查"]
    assert [(d.person, d.deadline) for d in first.responsibilities] == [("周敏", "2026-09-30")] * 2
    assert first.responsibilities[0].progress == "已于8月印发新细则并组织检查"
    assert (second.responsibilities[0].term, second.status) == ("立行立改", "完成整改")


def test_a_first_data_row_whose_cells_look_like_column_names_is_still_data():
    workbook = Workbook()
    ws = workbook.active
    ws.append(["问题", "整改措施", "责任部门", "责任领导"])
    ws.append(["学习不深入", "制定学习计划", "办公室部门", "党建工作领导小组"])
    ws.append(["学习不深入", "开展专题研讨", "机关党委", "李明"])
    out = io.BytesIO()
    workbook.save(out)
    (leaf,) = parse_bytes(out.getvalue(), "台账.xlsx").leaves()
    assert leaf.measures == ["制定学习计划", "开展专题研讨"]
    assert leaf.responsibilities[0].leader == "党建工作领导小组"


@pytest.mark.parametrize("repeat_header", [True, False])
def test_a_ledger_split_over_several_tables_is_read_whole(repeat_header):
    """One table per page or per aspect, with its header repeated or not: the ledger continues."""
    document = docx.Document()
    document.add_paragraph("填报单位:某某局党组")
    for first, rows in ((True, ROWS[:3]), (False, ROWS[3:])):
        head = [HEADER_BELOW] if repeat_header or first else []
        grid = [*head, *rows]
        table = document.add_table(rows=len(grid), cols=len(HEADER_BELOW))
        for r, values in enumerate(grid):
            for c, value in enumerate(values):
                table.cell(r, c).text = value
        document.add_paragraph("")
    out = io.BytesIO()
    document.save(out)
    doc = parse_bytes(out.getvalue(), "台账.docx")
    assert [f.title for f in doc.findings] == ["理论学习不深入", "制度执行不严格"]
    assert sum(len(leaf.measures) for leaf in doc.leaves()) == len(ROWS)
    assert [d.person for leaf in doc.leaves() for d in leaf.responsibilities] == [r[6] for r in ROWS]


def test_a_prose_report_with_a_small_table_keeps_the_prose_steps():
    report = generate_report(5)
    document = docx.Document(io.BytesIO(to_docx_bytes(report)))
    table = document.add_table(rows=2, cols=4)
    for c, text in enumerate(("序号", "问题", "整改措施", "责任部门")):
        table.cell(0, c).text = text
    for c, text in enumerate(("1", "某问题", "某措施", "办公室")):
        table.cell(1, c).text = text
    out = io.BytesIO()
    document.save(out)
    doc = parse_bytes(out.getvalue(), "报告.docx")
    assert [leaf.title for leaf in doc.leaves()] == [leaf.title for leaf in report.to_ledger(container="docx").leaves()]


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("2026年6月30日", None, ("2026-06-30", None)),
        ("2026.6.30", None, ("2026-06-30", None)),
        ("2026-06-30", None, ("2026-06-30", None)),
        ("2026年6月底前", None, ("2026-06-30", None)),
        ("6月底前", 2026, ("2026-06-30", None)),
        ("6月底前", None, (None, "6月底前")),
        ("长期坚持", 2026, (None, "长期坚持")),
        ("立行立改", 2026, (None, "立行立改")),
        ("2026年3月底前完成，长期坚持", None, ("2026-03-31", "长期坚持")),
        ("2026年2月30日", None, (None, None)),
    ],
)
def test_deadlines_every_way_units_write_them(text, year, expected):
    assert read_deadline(text, year) == expected


@pytest.mark.parametrize(
    ("text", "status"),
    [("已完成", "完成整改"), ("完成整改", "完成整改"), ("基本完成", "基本完成"), ("正在推进", "正在推进"),
     ("持续整改", "正在推进"), ("长期坚持", "长期坚持"), ("未完成", "未完成"), ("是", "完成整改"), ("否", "未完成")],
)  # fmt: skip
def test_statuses_from_the_completion_column(text, status):
    assert table_status(text) == status


# ---- bad input ---------------------------------------------------------------------------------------


def test_an_xlsx_without_a_recognisable_header_is_refused_in_one_chinese_line():
    with pytest.raises(NotAReport) as caught:
        parse_bytes(_xlsx_ledger(header=False), "台账.xlsx")
    assert "表头" in caught.value.message and "\n" not in caught.value.message


def test_a_feedback_list_is_sent_to_its_own_import():
    """方面 · 具体问题 without measures: the feedback-list import (import-xlsx) reads those, not this one."""
    workbook = Workbook()
    workbook.active.append(["序号", "方面", "具体问题"])
    workbook.active.append(["1", "政治建设方面", "学习不深入"])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(NotAReport) as caught:
        parse_bytes(out.getvalue(), "反馈问题清单.xlsx")
    assert "import-xlsx" in caught.value.message and "\n" not in caught.value.message


def test_this_systems_own_export_is_sent_to_its_own_import():
    workbook = Workbook()
    workbook.active.append(["序号", "问题", "整改措施"])
    workbook.create_sheet("导出信息")
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(UnsupportedFormat) as caught:
        parse_bytes(out.getvalue(), "导出.xlsx")
    assert "import-xlsx" in caught.value.message


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a workbook", _xlsx_ledger()[:3000]])
def test_a_broken_xlsx_is_refused(data):
    with pytest.raises(IngestError) as caught:
        parse_bytes(data, "台账.xlsx")
    assert "\n" not in caught.value.message


def test_cli_parse_of_a_headerless_workbook_fails_in_one_line(tmp_path):
    path = tmp_path / "无表头.xlsx"
    path.write_bytes(_xlsx_ledger(header=False))
    done = subprocess.run(
        [sys.executable, "-m", "zhenggai.cli", "parse", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "表头" in done.stderr


def test_cli_parse_of_a_table_ledger_prints_its_responsibilities(tmp_path):
    path = tmp_path / "台账.docx"
    path.write_bytes(_docx_ledger())
    done = subprocess.run(
        [sys.executable, "-m", "zhenggai.cli", "parse", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert LedgerDocument.from_json(done.stdout).findings == parse_bytes(_docx_ledger(), "台账.docx").findings
    assert '"responsibilities"' in done.stdout
