"""Importing a file as it arrives: a report through the parser, or a zhenggai.ledger/1 JSON document."""

import json

import pytest

from zhenggai.ingest import IngestError
from zhenggai.ledger.errors import DuplicateImport, Forbidden
from zhenggai.ledger.models import Event, Inspection, Task
from zhenggai.ledger.services.import_file import import_file, read_document


def test_ledger_json_is_read_as_it_is(make_doc):
    doc = make_doc()
    data = ("\ufeff" + doc.to_json()).encode("utf-8")
    assert read_document(data, "ledger.json").to_dict() == doc.to_dict()


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"format": "other/1"}, "not_ledger"),
        ([1, 2, 3], "not_ledger"),
        ({"format": "zhenggai.ledger/1", "inspection": {"unit": 5}}, "bad_ledger"),
        ({"format": "zhenggai.ledger/1", "findings": [{"title": "x", "children": 3}]}, "bad_ledger"),
    ],
)
def test_other_json_is_refused_in_chinese(payload, code):
    with pytest.raises(IngestError) as caught:
        read_document(json.dumps(payload).encode(), "x.json")
    assert caught.value.code == code
    assert "台账" in caught.value.message


def test_a_report_goes_through_the_parser():
    from zhenggai.fiction import generate_report, to_text

    report = generate_report(3, middle="none", aspects=2)
    doc = read_document(to_text(report).encode("utf-8"), "fiction.txt")
    assert doc.findings and doc.report.source == "fiction.txt"


def test_import_file_imports_once(make_round, make_doc, office):
    data = make_doc().to_json().encode("utf-8")
    inspection = import_file(data, "ledger.json", round=make_round(), actor=office)
    assert Task.objects.filter(finding__inspection=inspection).count() == 7
    with pytest.raises(DuplicateImport) as caught:
        import_file(data, "ledger.json", round=make_round(), actor=office)
    assert caught.value.inspection_id == inspection.pk


def test_permission_is_checked_before_parsing(make_round, make_user):
    supervisor = make_user("supervisor")
    with pytest.raises(Forbidden):
        import_file(b"not even a report", "x.txt", round=make_round(), actor=supervisor)
    assert Event.objects.filter(action="denied", actor=supervisor).exists()
    assert not Inspection.objects.exists()
