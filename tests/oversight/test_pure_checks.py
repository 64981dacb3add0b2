"""Repeated problems, copied measures, claimed counts and classification, as pure functions."""

from __future__ import annotations

from zhenggai.oversight.analysis import copies, counts, repeats
from zhenggai.oversight.analysis.classify import CategorySpec, Classifier
from zhenggai.oversight.analysis.rules import STOCK_PHRASES


def test_a_finding_of_an_earlier_inspection_of_the_same_unit_is_a_repeat():
    items = [
        repeats.Item("old-1", "水利局", (2019,), "末位表态制度执行不到位。"),
        repeats.Item("old-2", "水利局", (2019,), "党费收缴不规范"),
        repeats.Item("new-1", "水利局", (2023,), "针对“未严格执行‘一把手’末位表态制”问题"),
        repeats.Item("new-2", "水利局", (2023,), "公务用车管理不规范"),
        repeats.Item("other", "林业局", (2023,), "党费收缴不规范"),
    ]
    found = repeats.find(items)
    assert [(r.finding, r.earlier) for r in found] == [("new-1", "old-1")]
    assert found[0].similarity >= 75


def test_findings_of_the_same_inspection_never_repeat_each_other():
    items = [repeats.Item(i, "u", (2023,), "党费收缴不规范") for i in range(3)]
    assert repeats.find(items) == []


def test_copies_between_problems_units_and_from_stock_phrases():
    measures = [
        copies.Measure(1, "a", "f1", "举一反三、引以为戒，坚决防止类似问题再次发生。"),
        copies.Measure(2, "a", "f2", "修订完善《财务管理制度》，于5月3日经党组会审议印发。"),
        copies.Measure(3, "a", "f3", "修订完善《财务管理制度》,于5月3日经党组会审议印发"),
        copies.Measure(4, "b", "f9", "二是修订完善《财务管理制度》，于5月3日经党组会审议印发。"),
        copies.Measure(5, "c", "f7", "清退违规发放的补贴12800元，已缴回财政专户。"),
        copies.Measure(6, "c", "f7", "修订完善《财务管理制度》，于5月3日经党组会审议印发。"),
        copies.Measure(7, "d", "f8", "短句。"),
    ]
    found = copies.find_copies(measures, STOCK_PHRASES)
    assert [c.kind for c in found[1]] == [copies.STOCK]
    assert {c.kind for c in found[2]} == {copies.PROBLEM, copies.UNIT}
    assert {c.kind for c in found[4]} == {copies.UNIT}
    assert 5 not in found and 7 not in found
    # a measure repeated under the same problem is not a copy between problems
    assert all(c.kind != copies.PROBLEM for c in found[6])


def test_claimed_counts_against_the_ledger():
    ledger = {"aspects": 5, "problems": 0, "items": 38, "completed": 30, "basically_completed": 3}
    ledger |= {"in_progress": 5, "long_term": 0}
    found = counts.mismatches({"problems": 14, "items": 38, "completed": 35, "basically_completed": 3}, ledger)
    assert [m.field for m in found] == ["completed"]
    assert found[0].message == "报告称已完成整改35个，台账记录30个"
    over = counts.mismatches({"items": 10, "completed": 9, "in_progress": 3}, ledger | {"items": 10, "completed": 9})
    assert [m.field for m in over] == ["in_progress", "parts"]


def test_classification_by_keywords_with_the_heading_as_context():
    classifier = Classifier(
        [
            CategorySpec("org", "组织建设", ("三会一课", "党费", "发展党员")),
            CategorySpec("conduct", "作风建设", ("公务用车", "八项规定")),
        ]
    )
    by_words = classifier.classify("部分支部“三会一课”记录不全")
    assert (by_words.code, by_words.method, by_words.matched) == ("org", "keyword", ("三会一课",))
    by_heading = classifier.classify("记录不全", ["党的组织建设方面存在的问题"])
    assert by_heading.code == "org" and "组织建设" in by_heading.explanation
    by_grams = classifier.classify("公务车辆用车登记不全")
    assert by_grams.code == "conduct" and by_grams.method == "ngram"
    assert classifier.classify("某某某").code is None
