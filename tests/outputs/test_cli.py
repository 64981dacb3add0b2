"""`zhenggai export … --format docx|pdf|html|txt|xlsx` and `zhenggai import-xlsx`, in-process on the test
database (SQLite and PostgreSQL alike), through the same entry point users type."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from zhenggai.cli import DJANGO_COMMANDS, main
from zhenggai.ingest import parse_bytes
from zhenggai.ledger.models import Event, Inspection, Status, Task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """A command run from the command line closes every connection when it ends; on PostgreSQL that
    would end the test's transaction, so the tests keep it open."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def inspection(make_inspection):
    return make_inspection()


def test_import_xlsx_is_a_command():
    assert "import-xlsx" in DJANGO_COMMANDS


@pytest.mark.parametrize("fmt", ["docx", "html", "txt"])
def test_export_a_report(inspection, tmp_path, capsys, fmt):
    target = tmp_path / f"report.{fmt}"
    assert main(["export", str(inspection.pk), "--format", fmt, "--as-of", "2024-08-30", "-o", str(target)]) == 0
    assert f"已导出检查编号 {inspection.pk}" in capsys.readouterr().out
    back = parse_bytes(target.read_bytes(), target.name)
    assert len(back.leaves()) == 5 and back.report.date == "2024-08-30"


def test_export_versions_and_kinds(inspection, office, tmp_path):
    from zhenggai.reports.exemptions import decide_exemption, propose_exemption

    finding = inspection.findings.get(title__startswith="部分河段")
    decide_exemption(
        propose_exemption(inspection, actor=office, ground="case", reason="正在查处", finding=finding),
        actor=office,
        approve=True,
    )
    texts = {}
    for version in ("public", "full"):
        for kind in ("public", "progress"):
            target = tmp_path / f"{kind}-{version}.txt"
            args = ["export", str(inspection.pk), "--format", "txt", "--version", version, "--kind", kind]
            assert main([*args, "-o", str(target)]) == 0
            texts[kind, version] = target.read_text(encoding="utf-8-sig")
    assert "部分河段" in texts["public", "full"] and "部分河段" not in texts["public", "public"]
    assert "另有1个问题按规定不予公开。" in texts["public", "public"]
    assert texts["progress", "full"].rstrip().splitlines()[-3].strip() == "特此报告。"
    assert "逾期未完成整改任务及原因" in texts["progress", "public"]


def test_export_the_workbook_and_bad_options(inspection, tmp_path, capsys):
    target = tmp_path / "ledger.xlsx"
    assert main(["export", str(inspection.pk), "--format", "xlsx", "-o", str(target)]) == 0
    assert load_workbook(target).sheetnames == ["问题清单", "任务清单", "责任清单", "导出信息"]
    assert main(["export", str(inspection.pk), "--format", "txt", "--as-of", "2024年8月30日"]) != 0
    assert "无法识别" in capsys.readouterr().err


def test_export_pdf_without_libreoffice_is_a_clear_error(inspection, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ZHENGGAI_SOFFICE", "/nonexistent/soffice")
    assert main(["export", str(inspection.pk), "--format", "pdf", "-o", str(tmp_path / "r.pdf")]) == 1
    assert "LibreOffice" in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()


def test_import_xlsx_applies_and_reports(inspection, office, tmp_path, capsys):
    from zhenggai.reports.ledger_xlsx import ledger_workbook

    wb = load_workbook(io.BytesIO(ledger_workbook(inspection, actor=office, as_of=inspection.feedback_date)))
    task = Task.objects.get(finding__title__startswith="河道采砂")
    ws = wb["任务清单"]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 11).value == task.pk)
    ws.cell(row, 7).value = "基本完成"
    path = tmp_path / "台账.xlsx"
    wb.save(path)
    assert main(["import-xlsx", str(path), "--inspection", str(inspection.pk), "--dry-run"]) == 0
    assert "检查通过,将修改1项任务的1处内容" in capsys.readouterr().out
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS
    assert main(["import-xlsx", str(path), "--inspection", str(inspection.pk)]) == 0
    out = capsys.readouterr().out
    assert f"任务清单第{row}行:整改状态 “正在推进” → “基本完成”" in out and "已修改1项任务的1处内容" in out
    task.refresh_from_db()
    assert task.status == Status.BASICALLY


def test_import_xlsx_lists_every_error(inspection, office, tmp_path, capsys):
    from zhenggai.reports.ledger_xlsx import ledger_workbook

    wb = load_workbook(io.BytesIO(ledger_workbook(inspection, actor=office, as_of=inspection.feedback_date)))
    wb["任务清单"]["G3"] = "已完"
    wb["责任清单"]["H5"] = "不详"
    path = tmp_path / "台账.xlsx"
    wb.save(path)
    events = Event.objects.count()
    assert main(["import-xlsx", str(path), "--inspection", str(inspection.pk)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("任务清单第3行:整改状态“已完”不是有效状态")
    assert err[1].startswith("责任清单第5行:整改时限不是日期")
    assert err[-1] == "zhenggai: 错误:工作簿中有2处问题,未导入任何修改"
    assert Event.objects.count() == events


def test_import_a_feedback_list_as_a_new_inspection(make_round, make_unit, tmp_path, capsys):
    round_, unit = make_round(), make_unit("青溪县审计局党组")
    wb = Workbook()
    wb.active.append(["方面", "问题", "具体问题"])
    wb.active.append(["政治建设方面", "学习不深入", "中心组学习流于形式。"])
    wb.active.append([None, None, "学习记录不全。"])
    path = tmp_path / "反馈问题清单.xlsx"
    wb.save(path)
    assert main(["import-xlsx", str(path), "--round", str(round_.pk), "--unit", unit.name]) == 0
    out = capsys.readouterr().out
    assert "已导入反馈问题清单" in out and "1个方面,2个具体问题" in out
    inspection = Inspection.objects.get(unit=unit)
    assert inspection.findings.filter(kind="item").count() == 2
    assert main(["import-xlsx", str(path)]) == 1
    assert "--inspection" in capsys.readouterr().err


def test_import_xlsx_refuses_a_workbook_bomb(inspection, tmp_path, capsys):
    from tests.support import badfiles

    path = tmp_path / "台账.xlsx"
    path.write_bytes(badfiles.xlsx_bomb())
    events = Event.objects.count()
    assert main(["import-xlsx", str(path), "--inspection", str(inspection.pk)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("zhenggai: 错误:Excel 工作簿中的“xl/worksheets/sheet1.xml”解压后过大")
    assert "可能是恶意构造的压缩文件" in err[-1]
    assert Event.objects.count() == events
