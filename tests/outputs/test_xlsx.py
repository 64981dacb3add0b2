"""The three lists as one workbook, and back: an edited status and deadline change exactly those two
things; bad workbooks are refused with every problem named by sheet and row, and nothing is written."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from zhenggai.ledger.errors import Forbidden
from zhenggai.ledger.models import Event, Finding, Inspection, Status, Task
from zhenggai.ledger.services.assign import assign_task
from zhenggai.outputs.errors import WorkbookRejected
from zhenggai.outputs.xlsx_read import MAX_ROWS, read_workbook
from zhenggai.reports.ledger_xlsx import ledger_workbook
from zhenggai.reports.xlsx_import import import_feedback_list, import_workbook

pytestmark = pytest.mark.django_db
TODAY = date(2024, 8, 30)


@pytest.fixture
def inspection(make_inspection, office):
    inspection = make_inspection()
    first = Task.objects.filter(finding__inspection=inspection).order_by("pk").first()
    assign_task(first, actor=office, deadline=date(2024, 9, 30), department="河长办", responsible_leader="副局长")
    return inspection


@pytest.fixture
def workbook(inspection, office):
    return load_workbook(io.BytesIO(ledger_workbook(inspection, actor=office, as_of=TODAY)))


def save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def column(ws, header: str) -> int:
    return next(cell.column for cell in ws[2] if cell.value == header)


def row_of(ws, task: Task) -> int:
    id_column = column(ws, "任务编号")
    return next(r for r in range(3, ws.max_row + 1) if ws.cell(r, id_column).value == task.pk)


def snapshot(inspection) -> tuple:
    tasks = Task.objects.filter(finding__inspection=inspection).order_by("pk")
    return tuple(tasks.values_list("status", "deadline", "department", "responsible_leader", "handler_id", "version"))


def test_the_workbook_has_the_three_lists_laid_out_for_units(workbook, inspection):
    assert workbook.sheetnames == ["问题清单", "任务清单", "责任清单", "导出信息"]
    exported = workbook["导出信息"]
    assert exported.sheet_state == "veryHidden" and exported.protection.sheet
    ws = workbook["责任清单"]
    headers = [cell.value for cell in ws[2]]
    assert headers == ["序号", "方面", "具体问题", "整改措施", "责任领导", "责任科室", "责任人", "整改时限", "整改状态",
                       "进展情况", "销号日期", "任务编号"]  # fmt: skip
    assert ws["A1"].value == "青溪县水利局党组巡察整改责任清单(截至2024年8月30日)"
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref.startswith("A2:")
    assert ws.column_dimensions["L"].hidden and ws.column_dimensions["D"].width >= 40
    first = Task.objects.filter(deadline=date(2024, 9, 30)).get()
    deadline = ws.cell(row_of(ws, first), column(ws, "整改时限"))
    assert isinstance(deadline.value, datetime) and deadline.value.date() == date(2024, 9, 30)
    assert "yyyy" in deadline.number_format
    rules = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    status_rule = next(v for v in rules.values() if v.type == "list")
    assert status_rule.formula1 == '"完成整改,基本完成,正在推进,长期坚持,未完成"'
    assert any(v.type == "date" for v in rules.values())
    tasks = workbook["任务清单"]
    assert [c.value for c in tasks[2]][:5] == ["序号", "方面", "问题", "具体问题", "整改措施"]
    assert tasks.max_row == 2 + 7 and workbook["问题清单"].max_row == 2 + 5
    assert workbook["问题清单"]["C3"].value == "河湖长制落实不扎实"  # the middle problem above the item


def test_an_untouched_workbook_changes_nothing(inspection, workbook, office):
    events = Event.objects.count()
    result = import_workbook(inspection, save(workbook), actor=office)
    assert result.changes == () and result.summary() == "工作簿与台账一致,没有需要导入的修改"
    assert Event.objects.count() == events


def test_round_trip_changes_exactly_the_edited_status_and_deadline(inspection, workbook, office):
    task = Task.objects.get(finding__title__startswith="河道采砂")
    other = Task.objects.filter(finding__inspection=inspection).order_by("pk").first()
    tasks, duties = workbook["任务清单"], workbook["责任清单"]
    tasks.cell(row_of(tasks, task), column(tasks, "整改状态")).value = "基本完成"
    duties.cell(row_of(duties, other), column(duties, "整改时限")).value = datetime(2024, 10, 15)
    before = snapshot(inspection)
    events = Event.objects.count()
    result = import_workbook(inspection, save(workbook), actor=office)
    assert result.summary() == "已修改2项任务的2处内容"
    new = list(Event.objects.order_by("id")[events:])
    task_events = sorted((e.action, e.object_id, e.before, e.after) for e in new if e.object_type == "task")
    assert task_events == [
        ("assigned", str(other.pk), {"deadline": "2024-09-30"}, {"deadline": "2024-10-15"}),
        ("status_changed", str(task.pk), {"status": "正在推进", "version": 1}, {"status": "基本完成", "version": 2}),
    ]
    assert {e.object_type for e in new} <= {"task", "finding"}  # the problem's status follows its task
    after = snapshot(inspection)
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(changed) == 2
    task.refresh_from_db()
    other.refresh_from_db()
    assert task.status == Status.BASICALLY and other.deadline == date(2024, 10, 15)


def test_deadlines_as_text_and_people_by_name(inspection, workbook, office, make_user):
    person = make_user("responsible", unit=inspection.unit, username="zhang")
    person.display_name = "张三"
    person.save()
    duties = workbook["责任清单"]
    row = row_of(duties, Task.objects.get(finding__title__startswith="河道采砂"))
    duties.cell(row, column(duties, "整改时限")).value = "2024年12月31日"
    duties.cell(row, column(duties, "责任人")).value = "张三"
    import_workbook(inspection, save(workbook), actor=office)
    task = Task.objects.get(finding__title__startswith="河道采砂")
    assert (task.deadline, task.handler) == (date(2024, 12, 31), person)


def test_every_problem_is_named_and_nothing_is_written(inspection, workbook, office):
    tasks, duties = workbook["任务清单"], workbook["责任清单"]
    tasks.cell(5, column(tasks, "整改状态")).value = "已完"
    duties.cell(4, column(duties, "整改时限")).value = "长期"
    duties.cell(6, column(duties, "责任人")).value = "王五"
    duties.cell(7, column(duties, "整改措施")).value = "改写的措施"
    duties.cell(3, column(duties, "责任科室")).value = "办公室"  # a valid change, not applied either
    before, events = snapshot(inspection), Event.objects.count()
    with pytest.raises(WorkbookRejected) as caught:
        import_workbook(inspection, save(workbook), actor=office)
    errors = caught.value.errors
    assert "任务清单第5行:整改状态“已完”不是有效状态(可选:完成整改、基本完成、正在推进、长期坚持、未完成)" in errors
    assert any(e.startswith("责任清单第4行:整改时限不是日期") for e in errors)
    assert "责任清单第6行:责任人“王五”不是本单位的在职用户(可填写姓名或用户名)" in errors
    assert any(e.startswith("责任清单第7行:“整改措施”列为只读") for e in errors)
    assert len(errors) == 4 and caught.value.message == "工作簿中有4处问题,未导入任何修改"
    assert snapshot(inspection) == before and Event.objects.count() == events


def test_a_status_the_workflow_refuses_is_reported_by_row(inspection, workbook, office):
    tasks = workbook["任务清单"]
    row = row_of(tasks, Task.objects.get(finding__title__startswith="河道采砂"))
    tasks.cell(row, column(tasks, "整改状态")).value = "完成整改"  # only through closure
    tasks.cell(row_of(tasks, Task.objects.filter(finding__inspection=inspection).order_by("pk").first()),
               column(tasks, "进展情况")).value = "已修订巡河制度"  # fmt: skip
    before, events = snapshot(inspection), Event.objects.count()
    with pytest.raises(WorkbookRejected) as caught:
        import_workbook(inspection, save(workbook), actor=office)
    assert caught.value.errors == [f"任务清单第{row}行:“完成整改”须经申请销号并由巡察办审核通过"]
    assert snapshot(inspection) == before and Event.objects.count() == events


def test_conflicting_edits_on_two_sheets(inspection, workbook, office):
    task = Task.objects.get(finding__title__startswith="河道采砂")
    tasks, duties = workbook["任务清单"], workbook["责任清单"]
    tasks.cell(row_of(tasks, task), column(tasks, "整改状态")).value = "基本完成"
    duties.cell(row_of(duties, task), column(duties, "整改状态")).value = "长期坚持"
    with pytest.raises(WorkbookRejected, match="1处问题") as caught:
        import_workbook(inspection, save(workbook), actor=office)
    assert "不一致" in caught.value.errors[0]


def test_wrong_columns_are_named(inspection, office):
    wb = Workbook()
    wb.active.append(["编号", "内容", "备注"])
    wb.active.append([1, "某问题", ""])
    with pytest.raises(WorkbookRejected, match="未在工作表“Sheet”中找到表头:需要“方面”“具体问题”列"):
        import_workbook(inspection, save(wb), actor=office)
    wb = Workbook()
    wb.active.append(["方面", "具体问题", "整改措施"])
    wb.active.append(["作风方面", "某问题", "某措施"])
    with pytest.raises(WorkbookRejected, match="缺少必需的列:任务编号"):
        import_workbook(inspection, save(wb), actor=office)
    with pytest.raises(WorkbookRejected, match="不是有效的 Excel 工作簿"):
        import_workbook(inspection, b"not a workbook", actor=office)
    with pytest.raises(WorkbookRejected, match=r"\.xls"):
        import_workbook(inspection, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, actor=office)


def huge_workbook(rows: int) -> bytes:
    """A workbook whose one sheet has `rows` task rows, written as raw SpreadsheetML (openpyxl takes
    seconds to write it), without the <dimension> that would let a reader skip counting."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"

    def cells(n: int, values) -> str:
        out = []
        for letter, value in zip("ABCD", values, strict=True):
            if isinstance(value, int):
                out.append(f'<c r="{letter}{n}"><v>{value}</v></c>')
            else:
                out.append(f'<c r="{letter}{n}" t="inlineStr"><is><t>{value}</t></is></c>')
        return f'<row r="{n}">{"".join(out)}</row>'

    body = [cells(1, ["序号", "具体问题", "整改状态", "任务编号"])]
    body += [cells(n + 2, [n + 1, "虚构问题", "正在推进", 10_000_001 + n]) for n in range(rows)]
    sheet = f'<worksheet xmlns="{main}"><sheetData>{"".join(body)}</sheetData></worksheet>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="任务清单" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def test_a_100000_row_sheet_is_refused_quickly_in_bounded_memory(inspection, office):
    data = huge_workbook(100_000)
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(WorkbookRejected) as caught:
        import_workbook(inspection, data, actor=office)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert caught.value.message == f"工作表“任务清单”有100001行,超过单次导入上限{MAX_ROWS}行,请拆分后分批导入"
    assert elapsed < 5 and peak < 32 * 1024 * 1024, (elapsed, peak)


def test_a_sheet_within_the_limit_is_read_row_by_row(inspection, office):
    (sheet,) = read_workbook(huge_workbook(3)).sheets
    assert [(r.number, r.values["task_id"]) for r in sheet.rows] == [(n, 10_000_000 + n - 1) for n in (2, 3, 4)]
    # A workbook this system did not export cannot tell an edit from a revert, so it is not imported.
    with pytest.raises(WorkbookRejected) as caught:
        import_workbook(inspection, huge_workbook(3), actor=office)
    assert caught.value.code == "not_exported" and "重新下载 Excel 台账" in caught.value.message


def test_permissions_are_checked(inspection, workbook, make_user):
    for user in (
        make_user("team", team=inspection.team),
        make_user("supervisor"),
        make_user("responsible", unit=inspection.unit),
    ):
        with pytest.raises(Forbidden):
            import_workbook(inspection, save(workbook), actor=user)
    assert Event.objects.filter(action="denied").count() == 3


def test_a_unit_office_imports_its_own_ledger(inspection, workbook, make_user):
    unit_office = make_user("unit_office", unit=inspection.unit)
    duties = workbook["责任清单"]
    duties.cell(3, column(duties, "责任领导")).value = "局长"
    result = import_workbook(inspection, save(workbook), actor=unit_office, dry_run=True)
    assert result.summary() == "检查通过,将修改1项任务的1处内容"
    assert not Task.objects.filter(responsible_leader="局长").exists()  # a dry run saves nothing
    import_workbook(inspection, save(workbook), actor=unit_office)
    assert Task.objects.filter(responsible_leader="局长").count() == 1


def feedback_workbook(rows, *, title_rows=2) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "反馈问题清单"
    for n in range(title_rows):
        ws.append(["县委第二巡察组反馈问题清单" if n == 0 else ""])
    ws.append(["具体问题表现", "问题类别", "序号", "存在问题", "整改措施"])
    for row in rows:
        ws.append(row)
    return save(wb)


def test_a_feedback_list_becomes_an_inspection(make_round, make_unit, office):
    data = feedback_workbook(
        [
            ["会议记录不完整。", "组织建设方面", 1, "三会一课落实不到位", "一是补齐记录\n二是每月检查"],
            ["党费收缴不及时。", None, 2, None, ""],  # merged cells come back empty
            ["公务接待超标准。", "作风建设方面", 3, None, "修订接待办法"],
        ]
    )
    inspection = import_feedback_list(
        data, name="反馈问题清单.xlsx", round=make_round(), unit=make_unit(), actor=office, team="县委第二巡察组"
    )
    tops = Finding.objects.filter(inspection=inspection, level=1).order_by("position")
    assert [t.title for t in tops] == ["组织建设方面", "作风建设方面"]
    middle = Finding.objects.get(inspection=inspection, title="三会一课落实不到位")
    assert list(middle.children.order_by("position").values_list("title", flat=True)) == [
        "会议记录不完整。",
        "党费收缴不及时。",
    ]
    assert list(Task.objects.filter(finding__title="会议记录不完整。").values_list("text", flat=True)) == [
        "补齐记录",
        "每月检查",
    ]
    assert Finding.objects.get(inspection=inspection, title="公务接待超标准。").parent.title == "作风建设方面"
    assert inspection.team_name == "县委第二巡察组" and inspection.source_name == "反馈问题清单.xlsx"


def test_a_feedback_list_with_problems_is_refused_whole(make_round, make_unit, office):
    data = feedback_workbook([["会议记录不完整。", None, 1, None, ""], [None, "作风方面", 2, None, ""]])
    with pytest.raises(WorkbookRejected) as caught:
        import_feedback_list(data, name="x.xlsx", round=make_round(), unit=make_unit(), actor=office)
    assert caught.value.errors == ["反馈问题清单第4行:缺少“方面”", "反馈问题清单第5行:缺少“具体问题”"]
    assert not Inspection.objects.exists()
