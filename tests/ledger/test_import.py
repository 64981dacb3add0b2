"""Importing a ledger document: the tree as written, all or nothing, never twice; export gives it back."""

import pytest

from tests.support.empty_import import legacy_empty_inspection
from zhenggai.ingest.ledgerdoc import Finding as DocFinding
from zhenggai.ingest.ledgerdoc import LedgerDocument
from zhenggai.ledger.errors import DuplicateImport, EmptyImport, Forbidden, ValidationFailed
from zhenggai.ledger.models import Event, Finding, FindingKind, Inspection, Status, Task
from zhenggai.ledger.services.import_ledger import export_document, import_document, tree_fingerprint
from zhenggai.org.models import InspectionTeam, Unit

SOURCE = "巡察整改进展情况通报（虚构样本）".encode()


def _counts():
    return (Inspection.objects.count(), Finding.objects.count(), Task.objects.count(), Unit.objects.count())


def test_import_builds_the_tree_in_order(make_inspection):
    inspection = make_inspection()
    aspects = list(Finding.objects.filter(inspection=inspection, level=1).order_by("position"))
    assert [(f.label, f.title, f.kind) for f in aspects] == [
        ("一", "贯彻落实上级决策部署不够到位", FindingKind.ASPECT),
        ("二", "全面从严治党主体责任落实不到位", FindingKind.ASPECT),
    ]
    middle = Finding.objects.get(inspection=inspection, title="河湖长制落实不扎实")
    assert (middle.level, middle.kind, middle.parent_id) == (2, FindingKind.PROBLEM, aspects[0].pk)
    leaf = Finding.objects.get(title="部分河段巡河记录流于形式。")
    assert (leaf.level, leaf.kind, leaf.status, leaf.status_pinned) == (3, FindingKind.ITEM, Status.COMPLETED, False)
    assert list(leaf.tasks.values_list("position", "text", "status")) == [
        (0, "修订巡河制度，明确每月巡河次数。", Status.COMPLETED),
        (1, "对全县河段巡河记录开展专项检查。", Status.COMPLETED),
    ]


def test_a_leaf_without_measures_has_no_tasks_and_unknown_statuses_stay_unknown(make_inspection):
    make_inspection()
    leaf = Finding.objects.get(title="项目资金拨付审核把关不严。")
    assert (leaf.kind, leaf.status, leaf.tasks.count()) == (FindingKind.ITEM, None, 0)


def test_parents_roll_up_from_their_children(make_inspection):
    make_inspection()
    # 一: 完成整改 + 正在推进 + 完成整改 → 正在推进; 二: 长期坚持 + unknown → 正在推进
    assert Finding.objects.get(title="河湖长制落实不扎实").status == Status.IN_PROGRESS
    assert Finding.objects.get(label="二").status == Status.IN_PROGRESS


def test_import_resolves_unit_and_team_within_the_committee_and_keeps_the_wording(make_inspection):
    inspection = make_inspection()
    assert inspection.unit.name == "青溪县水利局党组"
    assert inspection.unit.committee == inspection.round.committee
    assert inspection.team == InspectionTeam.objects.get(name="县委第二巡察组")
    assert (inspection.committee_name, inspection.team_name) == ("县委", "县委第二巡察组")
    assert str(inspection.feedback_date) == "2024-05-20"
    assert inspection.claimed["items"] == 5
    assert inspection.contact["phones"] == ["0000-7654321"]
    assert inspection.warnings == ["第二方面第(二)项没有整改情况"]


def test_a_chosen_unit_overrides_the_name_in_the_document(make_inspection, make_unit):
    unit = make_unit(name="青溪县水利局")
    inspection = make_inspection(unit=unit)
    assert inspection.unit == unit
    assert inspection.unit_name == "青溪县水利局党组"


def test_a_unit_of_another_committee_is_refused(make_inspection, make_unit, make_committee):
    stranger = make_unit(name="远方单位", committee=make_committee(name="远方市委"))
    with pytest.raises(ValidationFailed):
        make_inspection(unit=stranger)


def test_export_gives_back_the_imported_document(make_inspection, make_doc, office):
    inspection = make_inspection()
    exported = export_document(inspection, actor=office)
    assert exported.to_dict() == make_doc().to_dict()
    assert LedgerDocument.from_json(exported.to_json()).to_dict() == make_doc().to_dict()


def test_the_same_source_twice_is_refused(make_inspection, make_doc):
    first = make_inspection(source_bytes=SOURCE)
    renamed = make_doc()
    renamed.inspection.unit = "青溪县林业局党组"  # even under another name: the file is the same
    before = _counts()
    with pytest.raises(DuplicateImport) as refused:
        make_inspection(renamed, round=first.round, source_bytes=SOURCE)
    assert refused.value.inspection_id == first.pk
    assert str(first.pk) in refused.value.message
    assert _counts() == before


def test_the_same_tree_for_the_same_unit_and_feedback_is_refused(make_inspection):
    first = make_inspection(source_bytes=SOURCE)
    with pytest.raises(DuplicateImport) as refused:
        make_inspection(round=first.round, source_bytes=SOURCE + b" (re-saved)")
    assert refused.value.inspection_id == first.pk
    assert Inspection.objects.count() == 1


def test_a_changed_tree_is_a_new_inspection(make_inspection, make_doc):
    first = make_inspection()
    changed = make_doc()
    changed.findings[1].children[1].measures = ["严格执行资金拨付审批流程。"]
    second = make_inspection(changed, round=first.round)
    assert second.pk != first.pk


def test_import_is_all_or_nothing(make_inspection, monkeypatch):
    """A failure while inserting the tasks — after the inspection and findings exist — leaves nothing."""
    before, events = _counts(), Event.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Task.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        make_inspection()
    assert _counts() == before
    assert Event.objects.count() == events


def test_a_constraint_violation_midway_leaves_nothing(make_inspection, make_doc):
    doc = make_doc()
    doc.findings[0].children[0].children[0].children = [
        DocFinding("(1)", "第四层", children=[DocFinding("①", "第五层", measures=["无"])])
    ]
    before = _counts()
    with pytest.raises(ValidationFailed) as refused:
        make_inspection(doc)
    assert "层级超过4级" in refused.value.message
    assert _counts() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: setattr(d.inspection, "feedback_date", "2024年5月20日"), "feedback_date"),
        (lambda d: setattr(d.inspection, "start", "2024-02-30"), "start"),
        (lambda d: setattr(d.findings[1].children[0], "status", "已完成"), "findings"),
        (lambda d: setattr(d.findings[0], "label", "一" * 21), "findings"),
        (lambda d: setattr(d.report, "title", "标" * 301), "report.title"),
    ],
)
def test_documents_the_ledger_cannot_hold_are_refused_up_front(make_inspection, make_doc, change, field):
    doc = make_doc()
    change(doc)
    with pytest.raises(ValidationFailed) as refused:
        make_inspection(doc)
    assert field in refused.value.errors
    assert Inspection.objects.count() == 0


def test_a_document_without_unit_needs_one_chosen(make_inspection, make_doc, make_unit):
    doc = make_doc()
    doc.inspection.unit = None
    with pytest.raises(ValidationFailed):
        make_inspection(doc)
    assert make_inspection(doc, unit=make_unit()).unit_name == ""


def test_only_the_office_imports(make_round, make_doc, make_user, make_unit):
    unit_office = make_user("unit_office", unit=make_unit())
    with pytest.raises(Forbidden):
        import_document(make_doc(), round=make_round(), actor=unit_office)
    assert Inspection.objects.count() == 0


def test_a_document_without_a_specific_problem_is_refused(make_round, make_doc, office):
    """The audit: a report whose problems the parser missed became an empty inspection ("已导入")."""
    doc = make_doc()
    doc.findings = []
    before, events = _counts(), Event.objects.count()
    with pytest.raises(EmptyImport, match="未识别出任何具体问题") as refused:
        import_document(doc, round=make_round(), actor=office, source_bytes=SOURCE)
    assert refused.value.code == "empty_import" and refused.value.errors == {"findings": ["未识别出任何具体问题"]}
    assert _counts() == before and Event.objects.count() == events


def test_a_refused_empty_import_does_not_block_the_corrected_one(make_round, make_doc, office):
    round_ = make_round()
    missed = make_doc()
    missed.findings = []
    with pytest.raises(EmptyImport):
        import_document(missed, round=round_, actor=office, source_bytes=SOURCE)
    inspection = import_document(
        make_doc(), round=round_, actor=office, source_bytes=SOURCE
    )  # the same file, read right
    assert inspection.findings.filter(kind=FindingKind.ITEM).count() == 5


def test_an_empty_inspection_from_before_is_filled_by_the_corrected_import(make_round, make_unit, make_doc, office):
    """An older database may hold the empty inspection: the same file, read right, fills it instead of
    being refused as a duplicate of it."""
    round_ = make_round()
    unit = make_unit("青溪县水利局党组", committee=round_.committee)
    empty = legacy_empty_inspection(round=round_, unit=unit, source=SOURCE, actor=office)
    inspection = import_document(make_doc(), round=round_, actor=office, source_bytes=SOURCE)
    assert inspection.pk == empty.pk and Inspection.objects.count() == 1
    assert inspection.findings.filter(kind=FindingKind.ITEM).count() == 5 and inspection.team is not None
    inspection.refresh_from_db()
    assert str(inspection.feedback_date) == "2024-05-20" and inspection.tree_sha256 == tree_fingerprint(
        make_doc().findings
    )
    assert Event.objects.filter(action="imported", inspection=inspection).latest("pk").after["refilled"] is True
    with pytest.raises(DuplicateImport) as again:  # filled now: a third import is a duplicate as before
        import_document(make_doc(), round=round_, actor=office, source_bytes=SOURCE)
    assert again.value.inspection_id == empty.pk
