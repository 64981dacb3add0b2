"""A ledger kept as a table (.docx, .xlsx) imported through the real import service and `zhenggai import`:
every measure becomes a task with the responsibility, deadline and status its row gives."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command

from zhenggai.fiction import generate_report
from zhenggai.fiction.table_out import ledger_table, to_table_docx_bytes, to_table_xlsx_bytes
from zhenggai.ingest.ledgerdoc import Responsibility
from zhenggai.ledger.errors import ValidationFailed
from zhenggai.ledger.models import Inspection, Task, TaskKind
from zhenggai.ledger.services.import_file import import_file, read_document
from zhenggai.ledger.services.import_ledger import export_document, import_document
from zhenggai.org.models import Unit

pytestmark = pytest.mark.django_db
RENDER = {"docx": to_table_docx_bytes, "xlsx": to_table_xlsx_bytes}
KINDS = {"长期坚持": TaskKind.LONG_TERM, "立行立改": TaskKind.IMMEDIATE}


def _table(seed: int = 1):
    table = ledger_table(generate_report(seed))
    assert len(table.header) == 2, "the seed must give a two-row header"
    assert any(table.columns[c1] == "problem" and r2 > r1 for r1, c1, r2, _ in table.merges)
    return table


def _expected(table) -> list[tuple]:
    rows = []
    for leaf in table.truth.leaves():
        for index, text in enumerate(leaf.measures):
            duty: Responsibility = leaf.responsibility(index)
            deadline = date.fromisoformat(duty.deadline) if duty.deadline else None
            rows.append(
                (
                    leaf.title,
                    text,
                    duty.leader,
                    duty.department,
                    duty.person,
                    deadline,
                    KINDS.get(duty.term),
                    duty.status,
                )
            )
    return rows


def _tasks(inspection: Inspection) -> list[tuple]:
    tasks = Task.objects.filter(finding__inspection=inspection).select_related("finding", "handler")
    return [
        (
            t.finding.title,
            t.text,
            t.responsible_leader,
            t.department,
            str(t.handler) if t.handler else t.handler_name,
            t.deadline,
            t.kind,
            t.status,
        )
        for t in sorted(tasks, key=lambda t: (t.finding.level, t.finding.position, t.finding_id, t.position))
    ]


def _in_document_order(table, rows):
    order = {title: i for i, title in enumerate(leaf.title for leaf in table.truth.leaves())}
    return sorted(rows, key=lambda r: (order[r[0]],))


@pytest.mark.parametrize("fmt", list(RENDER))
def test_a_table_ledger_imports_every_measure_with_its_responsibility(fmt, make_round, office):
    table = _table()
    inspection = import_file(RENDER[fmt](table), f"台账.{fmt}", round=make_round(), actor=office)
    assert inspection.unit.name == table.truth.inspection.unit
    got = _in_document_order(table, _tasks(inspection))
    want = _in_document_order(table, _expected(table))
    assert got == want
    assert all(row[2] and row[3] and row[4] for row in got)  # leader, department, person: every measure
    assert all(row[5] or row[6] for row in got)  # a date, or a term (长期坚持 / 立行立改)


def test_the_person_named_becomes_the_handler_when_one_user_of_the_unit_has_that_name(make_round, make_user, office):
    table = _table()
    round_ = make_round()
    unit = Unit.objects.create(committee=round_.committee, name=table.truth.inspection.unit)
    person = table.truth.leaves()[0].responsibility(0).person
    user = make_user("responsible", unit=unit, username="handler1")
    user.display_name = person
    user.save(update_fields=["display_name"])
    inspection = import_file(to_table_xlsx_bytes(table), "台账.xlsx", round=round_, actor=office)
    first = Task.objects.filter(finding__inspection=inspection, handler_name="", handler=user)
    assert first.exists()
    assert not Task.objects.filter(finding__inspection=inspection, handler=None, handler_name="").exists()


def test_export_gives_the_responsibilities_back(make_round, office):
    table = _table()
    inspection = import_file(to_table_docx_bytes(table), "台账.docx", round=make_round(), actor=office)
    exported = export_document(inspection, actor=office)
    got = {(leaf.title, m, leaf.responsibility(i).person, leaf.responsibility(i).deadline)
           for leaf in exported.leaves() for i, m in enumerate(leaf.measures)}  # fmt: skip
    want = {(leaf.title, m, leaf.responsibility(i).person, leaf.responsibility(i).deadline)
            for leaf in table.truth.leaves() for i, m in enumerate(leaf.measures)}  # fmt: skip
    assert got == want


def test_a_responsibility_the_ledger_cannot_hold_is_refused_before_anything_is_written(make_round, office):
    doc = read_document(to_table_docx_bytes(_table()), "台账.docx")
    leaf = doc.leaves()[0]
    leaf.responsibilities[0].department = "科" * 101
    leaf.responsibilities[-1].deadline = "2026-13-45"
    with pytest.raises(ValidationFailed) as caught:
        import_document(doc, round=make_round(), actor=office)
    assert "责任部门超过100字" in caught.value.message and "完成时限" in caught.value.message
    assert not Inspection.objects.exists()


@pytest.mark.parametrize("fmt", list(RENDER))
def test_zhenggai_import_reads_a_table_ledger(fmt, tmp_path, make_round, office):
    table = _table(seed=13)
    path = tmp_path / f"台账.{fmt}"
    path.write_bytes(RENDER[fmt](table))
    out = io.StringIO()
    call_command("import", str(path), "--round", str(make_round().pk), stdout=out)
    assert "已导入" in out.getvalue()
    inspection = Inspection.objects.get()
    assert _in_document_order(table, _tasks(inspection)) == _in_document_order(table, _expected(table))
