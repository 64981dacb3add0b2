"""Import through the pages: upload → preview with warnings → corrections in place → confirm → ledger."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import html

from tests.support.empty_import import EMPTY_REPORT, legacy_empty_inspection
from zhenggai.fiction import generate_report, to_text
from zhenggai.ingest import parse_bytes
from zhenggai.ledger.models import Event, Finding, Inspection, Task
from zhenggai.ledger.services.import_ledger import export_document
from zhenggai.web.models import ImportDraft

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def office_client(client, office):
    client.force_login(office)
    return client


@pytest.fixture
def report_bytes():
    return to_text(generate_report(11)).encode("utf-8")


def upload(client, round_, data: bytes, name: str = "report.txt", **extra):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("web:import"), {"file": file, "round": round_.pk, **extra})


def draft_of(response) -> ImportDraft:
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportDraft.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def counts():
    return Inspection.objects.count(), Finding.objects.count(), Task.objects.count()


def test_the_upload_page_offers_rounds_and_units(office_client, make_round):
    make_round()
    page = html.fromstring(office_client.get(reverse("web:import")).content.decode())
    assert page.xpath("//input[@type='file' and @autofocus]")
    assert page.xpath("//select[@name='round']/option[@selected]")  # the only round is chosen already
    assert "（按文件中的单位名称）" in page.text_content()


def test_preview_correct_and_confirm_creates_exactly_the_corrected_tree(
    office_client, make_round, report_bytes, office
):
    round_ = make_round()
    parsed = parse_bytes(report_bytes, "report.txt")
    draft = draft_of(upload(office_client, round_, report_bytes))
    preview = office_client.get(reverse("web:import_preview", kwargs={"pk": draft.pk}))
    page = html.fromstring(preview.content.decode())
    assert page.get_element_by_id("id_unit").get("value") == parsed.inspection.unit
    assert len(page.xpath("//ul[@id='draft-tree']//ol[@class='measures']")) == len(parsed.leaves())
    for warning in parsed.warnings:
        assert warning in page.get_element_by_id("warnings").text_content()

    # inspection fields, saved through htmx
    fields_url = reverse("web:import_fields", kwargs={"pk": draft.pk})
    response = office_client.post(
        fields_url,
        {"unit": "青溪县档案馆党组", "team": "县委第一巡察组", "committee": "县委", "kind": "常规巡察",
         "start": "2024-03-01", "end": "2024-04-15", "feedback_date": "2024-05-10"},
        **HX,
    )  # fmt: skip
    assert response.status_code == 200 and "已保存" in response.content.decode()
    bad = office_client.post(fields_url, {"start": "2024-05-01", "end": "2024-04-01"}, **HX)
    assert bad.status_code == 400 and "结束日期早于进驻日期" in bad.content.decode()

    # a finding's title; a measure changed and one removed
    node_url = reverse("web:import_node", kwargs={"pk": draft.pk})
    edit = office_client.get(node_url, {"path": "0", "edit": "1"}, **HX).content.decode()
    assert "<textarea" in edit and "autofocus" in edit
    saved = office_client.post(node_url, {"path": "0", "text": "  政治建设方面  存在的问题 "}, **HX)
    assert saved.status_code == 200 and "政治建设方面 存在的问题" in saved.content.decode()
    assert office_client.post(node_url, {"path": "0", "text": ""}, **HX).status_code == 400
    leaf_path, _ = _first_leaf_with_measures(parsed, 2)
    office_client.post(node_url, {"path": leaf_path, "measure": "0", "text": "修订制度并印发执行。"}, **HX)
    removed = office_client.post(node_url, {"path": leaf_path, "measure": "1", "text": ""}, **HX)
    assert removed.status_code == 200 and removed.content.decode().startswith('<ol class="measures"')

    expected = ImportDraft.objects.get(pk=draft.pk).document
    confirm = office_client.post(reverse("web:import_confirm", kwargs={"pk": draft.pk}))
    assert confirm.status_code == 302
    inspection = Inspection.objects.get(pk=int(confirm["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert not ImportDraft.objects.filter(pk=draft.pk).exists()

    exported = export_document(inspection, actor=office).to_dict()
    assert exported["findings"] == expected["findings"]
    assert exported["findings"][0]["title"] == "政治建设方面 存在的问题"
    assert inspection.unit.name == "青溪县档案馆党组" and inspection.team.name == "县委第一巡察组"
    assert str(inspection.feedback_date) == "2024-05-10"
    assert len(Task.objects.filter(finding__inspection=inspection)) == sum(len(m.measures) for m in parsed.leaves()) - 1
    assert Event.objects.filter(action="imported", inspection=inspection).count() == 1
    ledger = office_client.get(confirm["Location"]).content.decode()
    assert "已导入“青溪县档案馆党组”的整改台账" in ledger


def _first_leaf_with_measures(doc, n):
    def walk(nodes, prefix):
        for i, node in enumerate(nodes):
            path = f"{prefix}{i}"
            if node.is_leaf and len(node.measures) >= n:
                return path, node
            found = walk(node.children, f"{path}.")
            if found:
                return found
        return None

    return walk(doc.findings, "")


def test_reimporting_the_same_report_is_refused_with_a_link(office_client, make_round, report_bytes):
    round_ = make_round()
    first = draft_of(upload(office_client, round_, report_bytes))
    done = office_client.post(reverse("web:import_confirm", kwargs={"pk": first.pk}))
    existing = int(done["Location"].rstrip("/").rsplit("/", 1)[1])
    before = counts()
    again = draft_of(upload(office_client, round_, report_bytes))
    response = office_client.post(reverse("web:import_confirm", kwargs={"pk": again.pk}))
    assert response.status_code == 409
    message = html.fromstring(response.content.decode()).get_element_by_id("import-error")
    assert "该报告已导入过" in message.text_content()
    assert message.xpath(".//a/@href") == [f"/inspections/{existing}/"]
    assert counts() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"   ", "文件是空的"),
        ("notes.txt", "今天天气很好，适合出门散步。".encode(), "未识别为巡察整改报告"),
        ("bad.json", b'{"format": "something/else"}', "不是 zhenggai.ledger/1 格式"),
        ("scan.pdf", b"%PDF-1.4 garbage", "PDF"),
    ],
)
def test_a_file_the_parser_cannot_read_is_explained_and_nothing_is_kept(office_client, make_round, name, data, message):
    response = upload(office_client, make_round(), data, name)
    assert response.status_code == 400
    error = html.fromstring(response.content.decode()).xpath("//div[contains(@class, 'has-error')]//p[@class='error']")
    assert error and message in error[0].text_content()
    assert not ImportDraft.objects.exists()


def test_json_in_our_format_skips_the_parser(office_client, make_inspection, make_round, office):
    existing = make_inspection()
    document = export_document(existing, actor=office).to_dict()
    document["inspection"]["unit"] = "青溪县审计局党组"
    data = json.dumps(document, ensure_ascii=False).encode("utf-8")
    draft = draft_of(upload(office_client, make_round(name="十五届县委第四轮巡察", number=4), data, "ledger.json"))
    assert draft.document["findings"] == document["findings"]
    done = office_client.post(reverse("web:import_confirm", kwargs={"pk": draft.pk}))
    assert done.status_code == 302
    assert Inspection.objects.filter(unit__name="青溪县审计局党组").count() == 1


def test_a_document_the_ledger_cannot_hold_leaves_nothing_behind(office_client, make_round, make_doc):
    document = make_doc().to_dict()
    document["inspection"]["feedback_date"] = "2024-13-01"
    data = json.dumps(document, ensure_ascii=False).encode("utf-8")
    draft = draft_of(upload(office_client, make_round(), data, "ledger.json"))
    before = counts()
    response = office_client.post(reverse("web:import_confirm", kwargs={"pk": draft.pk}))
    assert response.status_code == 400
    assert "反馈日期：日期“2024-13-01”无法识别" in response.content.decode()
    assert counts() == before
    assert ImportDraft.objects.filter(pk=draft.pk).exists()  # the draft stays, to be corrected


def test_a_crash_half_way_through_leaves_nothing_behind(office_client, make_round, report_bytes, monkeypatch):
    draft = draft_of(upload(office_client, make_round(), report_bytes))
    before = counts()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("zhenggai.ledger.services.import_ledger.Task.objects.bulk_create", broken)
    with pytest.raises(RuntimeError):
        office_client.post(reverse("web:import_confirm", kwargs={"pk": draft.pk}))
    assert counts() == before
    assert not Event.objects.filter(action="imported").exists()


def test_a_unit_of_another_committee_is_refused_at_upload(
    office_client, make_round, make_unit, make_committee, report_bytes
):
    elsewhere = make_unit("白石市财政局党组", committee=make_committee("白石市委"))
    response = upload(office_client, make_round(), report_bytes, unit=elsewhere.pk)
    assert response.status_code == 400 and "所选单位不属于该轮巡察的党委" in response.content.decode()


def test_drafts_belong_to_their_uploader(client, make_user, make_round, report_bytes, office):
    client.force_login(office)
    draft = draft_of(upload(client, make_round(), report_bytes))
    client.force_login(make_user("office", username="office2"))
    assert client.get(reverse("web:import_preview", kwargs={"pk": draft.pk})).status_code == 404
    assert client.post(reverse("web:import_confirm", kwargs={"pk": draft.pk})).status_code == 404


def test_discarding_a_draft(office_client, make_round, report_bytes):
    draft = draft_of(upload(office_client, make_round(), report_bytes))
    response = office_client.post(reverse("web:import_discard", kwargs={"pk": draft.pk}))
    assert response["Location"] == reverse("web:import")
    assert not ImportDraft.objects.exists() and counts() == (0, 0, 0)


def test_a_link_from_a_round_preselects_it(office_client, make_round):
    make_round()
    other = make_round(name="十五届县委第四轮巡察", number=4)
    page = html.fromstring(office_client.get(reverse("web:import") + f"?round={other.pk}").content.decode())
    assert page.xpath("//select[@name='round']/option[@selected]/@value") == [str(other.pk)]


def test_a_report_without_a_specific_problem_cannot_be_confirmed(office_client, make_round):
    """The audit: a report whose problems the parser missed was imported as an empty inspection."""
    round_ = make_round()
    draft = draft_of(upload(office_client, round_, EMPTY_REPORT))
    page = office_client.get(reverse("web:import_preview", kwargs={"pk": draft.pk})).content.decode()
    tree = html.fromstring(page)
    assert "未识别出任何具体问题" in tree.get_element_by_id("import-empty").text_content()
    assert not tree.xpath('//*[@id="confirm-import"]')  # nothing to confirm
    before = counts()
    response = office_client.post(reverse("web:import_confirm", kwargs={"pk": draft.pk}))  # posted anyway
    assert response.status_code == 400
    assert (
        "未识别出任何具体问题"
        in html.fromstring(response.content.decode()).get_element_by_id("import-error").text_content()
    )
    assert counts() == before and not Inspection.objects.exists()
    assert ImportDraft.objects.filter(pk=draft.pk).exists()  # kept for the office to look at or discard


def test_the_corrected_import_fills_an_empty_inspection_from_before(
    office_client, make_round, make_unit, office, report_bytes
):
    """An older database holds the empty inspection of this very file: importing the file again is not
    refused as a duplicate of it; the problems go into it."""
    round_ = make_round()
    unit = make_unit("青溪县水利局党组", committee=round_.committee)
    empty = legacy_empty_inspection(round=round_, unit=unit, source=report_bytes, actor=office)
    draft = draft_of(upload(office_client, round_, report_bytes, unit=unit.pk))
    done = office_client.post(reverse("web:import_confirm", kwargs={"pk": draft.pk}))
    assert done.status_code == 302 and done["Location"] == f"/inspections/{empty.pk}/"
    assert Inspection.objects.count() == 1 and Finding.objects.filter(inspection=empty).exists()


def test_a_table_ledger_uploaded_keeps_each_measures_responsibility_through_the_preview(office_client, make_round):
    """Removing a measure in the preview removes its responsibility with it: the rest stay with their measures."""
    from zhenggai.fiction.table_out import ledger_table, to_table_xlsx_bytes

    table = ledger_table(generate_report(1))
    draft = draft_of(upload(office_client, make_round(), to_table_xlsx_bytes(table), "整改台账.xlsx"))
    leaves = [(path, leaf) for path, leaf in _leaf_paths(draft.document["findings"]) if len(leaf["measures"]) >= 2]
    path, leaf = leaves[0]
    kept = leaf["responsibilities"][1]
    node_url = reverse("web:import_node", kwargs={"pk": draft.pk})
    removed = office_client.post(node_url, {"path": path, "measure": "0", "text": ""}, **HX)
    assert removed.status_code == 200
    confirm = office_client.post(reverse("web:import_confirm", kwargs={"pk": draft.pk}))
    assert confirm.status_code == 302
    task = Task.objects.get(finding__title=leaf["title"], position=0)
    assert task.text == leaf["measures"][1]
    assert (task.responsible_leader, task.department, task.handler_name) == (
        kept["leader"],
        kept["department"],
        kept["person"],
    )
    assert Task.objects.exclude(department="").count() == Task.objects.count()


def _leaf_paths(nodes, prefix=""):
    for index, node in enumerate(nodes):
        path = f"{prefix}{index}"
        if node["children"]:
            yield from _leaf_paths(node["children"], f"{path}.")
        else:
            yield path, node
