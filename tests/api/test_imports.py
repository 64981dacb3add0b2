"""Import through the API: 201 with the id, 422 with the parser's Chinese message, 409 with the existing id,
nothing left behind on failure, and export → import giving the same tree."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import sample_files
from tests.support.empty_import import EMPTY_REPORT, legacy_empty_inspection
from zhenggai.ingest import parse_file
from zhenggai.ledger.models import Event, Finding, Inspection, Task
from zhenggai.ledger.services import import_ledger
from zhenggai.org.models import Unit

V1 = "/api/v1"


def post_file(world, name: str, data: bytes, round_id: int, role: str = "office", **extra):
    fields = {"file": SimpleUploadedFile(name, data), "round_id": round_id, **extra}
    return world.call(role, "POST", f"{V1}/imports", data=fields)


def counts():
    return (Inspection.objects.count(), Finding.objects.count(), Task.objects.count(), Unit.objects.count())


@pytest.mark.django_db
@pytest.mark.parametrize("path", sample_files(".txt"), ids=lambda p: p.name)
def test_sample_report_imports_with_the_parsers_tree(world, path):
    response = post_file(world, path.name, path.read_bytes(), world.a.round_id)
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    doc = parse_file(path)
    assert (body["aspects"], body["items"]) == (len(doc.findings), len(doc.leaves()))
    assert body["tasks"] == sum(len(leaf.measures) for leaf in doc.leaves())

    again = post_file(world, path.name, path.read_bytes(), world.a.round_id)
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_import" and again.json()["inspection_id"] == body["id"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"   \n", "empty"),
        ("binary.pdf", b"\x00\x01\x02 not a pdf", None),
        ("other.json", json.dumps({"format": "other"}).encode(), "not_ledger"),
        ("note.txt", "今天天气很好,我们去公园散步。".encode(), None),
    ],
)
def test_unreadable_files_are_422_in_chinese_and_leave_nothing(world, name, data, reason):
    before = counts()
    response = post_file(world, name, data, world.a.round_id)
    assert response.status_code == 422, response.content.decode()
    body = response.json()
    assert body["code"] == "parse_error" and any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"])
    if reason:
        assert body["reason"] == reason
    assert counts() == before


@pytest.mark.django_db
def test_a_failure_half_way_leaves_nothing_behind(world, monkeypatch, settings):
    """Rows already inserted (the inspection, its findings) go when the tasks fail."""
    settings.DEBUG = False
    original = import_ledger._create_tree

    def half_then_fail(inspection, findings):
        original(inspection, findings)
        assert Finding.objects.filter(inspection=inspection).exists()
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_ledger, "_create_tree", half_then_fail)
    before, events = counts(), Event.objects.count()
    response = post_file(world, "ledger.json", world.objects["new_ledger_json"].encode(), world.a.round_id)
    assert response.status_code == 500 and response.json()["code"] == "internal_error"
    assert counts() == before and Event.objects.count() == events


@pytest.mark.django_db
def test_invalid_document_is_422_and_leaves_nothing(world):
    doc = json.loads(world.objects["new_ledger_json"])
    doc["inspection"]["feedback_date"] = "2024-13-45"
    before = counts()
    response = post_file(world, "bad.json", json.dumps(doc, ensure_ascii=False).encode(), world.a.round_id)
    assert response.status_code == 422 and response.json()["code"] == "validation_failed"
    assert counts() == before


@pytest.mark.django_db
def test_import_into_a_chosen_unit(world, make_unit):
    chosen = make_unit("青溪县审计局党组")
    data = world.objects["new_ledger_json"].encode()
    response = post_file(world, "l.json", data, world.a.round_id, unit_id=chosen.pk)
    assert response.status_code == 201 and response.json()["unit_id"] == chosen.pk
    # the same tree for the same unit and feedback date is the same report, whatever the file
    again = post_file(world, "copy.json", data + b"\n", world.b.round_id, unit_id=chosen.pk)
    assert again.status_code == 409 and again.json()["inspection_id"] == response.json()["id"]


@pytest.mark.django_db
def test_export_then_import_gives_the_same_tree(world, make_unit):
    exported = world.call("office", "GET", f"{V1}/inspections/{world.a.pk}/export").json()
    assert exported["format"] == "zhenggai.ledger/1"
    other_unit = make_unit("青溪县档案馆党组")
    data = json.dumps(exported, ensure_ascii=False).encode()
    response = post_file(world, "export.json", data, world.b.round_id, unit_id=other_unit.pk)
    assert response.status_code == 201, response.content.decode()
    again = world.call("office", "GET", f"{V1}/inspections/{response.json()['id']}/export").json()
    assert again == exported


@pytest.mark.django_db
def test_preview_parses_without_saving(world, samples_dir):
    path = sorted(samples_dir.glob("*.txt"))[0]
    before = counts()
    response = world.call(
        "office", "POST", f"{V1}/imports/preview", data={"file": SimpleUploadedFile(path.name, path.read_bytes())}
    )
    assert response.status_code == 200
    assert response.json() == parse_file(path).to_dict() | {"report": response.json()["report"]}
    assert counts() == before


@pytest.mark.django_db
def test_a_report_without_a_specific_problem_is_422_and_leaves_nothing(world):
    before, events = counts(), Event.objects.count()
    response = post_file(world, "report.txt", EMPTY_REPORT, world.a.round_id)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "empty_import" and "未识别出任何具体问题" in body["detail"]
    assert counts() == before and Event.objects.count() == events
    empty_json = json.loads(world.objects["new_ledger_json"]) | {"findings": []}
    response = post_file(world, "l.json", json.dumps(empty_json, ensure_ascii=False).encode(), world.a.round_id)
    assert response.status_code == 422 and response.json()["code"] == "empty_import"


@pytest.mark.django_db
def test_the_corrected_import_fills_an_empty_inspection_from_before(world, make_unit):
    unit = make_unit("青溪县审计局党组")
    data = world.objects["new_ledger_json"].encode()
    empty = legacy_empty_inspection(round=world.b.round, unit=unit, source=data, actor=world.users["office"])
    response = post_file(world, "l.json", data, world.b.round_id, unit_id=unit.pk)
    assert response.status_code == 201, response.content.decode()
    assert response.json()["id"] == empty.pk and response.json()["items"] > 0
    again = post_file(world, "l.json", data, world.b.round_id, unit_id=unit.pk)
    assert again.status_code == 409 and again.json()["inspection_id"] == empty.pk
