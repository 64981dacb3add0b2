"""The report's paragraphs: opening, counts, the official hierarchy, measures, the public version's
omissions, the progress report's late list, and what the parser reads back from the plain text."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import fictional_document
from zhenggai.ingest import parse_bytes
from zhenggai.ingest.ledgerdoc import Finding, LedgerDocument
from zhenggai.outputs import Counts, LateItem, ReportContext, ReportKind, Sections, Version, compose
from zhenggai.outputs.docx_gbt import signature_indents
from zhenggai.outputs.numbering import cn_date, cn_numeral, heading_label, ordinal
from zhenggai.outputs.plain import to_text, to_text_bytes

AS_OF = date(2024, 8, 30)


def texts(composed, role=None):
    return [b.full_text for b in composed.blocks if role is None or b.role == role]


@pytest.mark.parametrize(
    ("n", "numeral"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三"), (99, "九十九")]
)
def test_cn_numerals(n, numeral):
    assert cn_numeral(n) == numeral


def test_labels_follow_gbt_9704():
    assert [heading_label(level, 2) for level in (1, 2, 3, 4, 5)] == ["二、", "（二）", "2.", "（2）", "②"]
    assert heading_label(3, 1, "2019年以来") == "1.\u2009"  # not read as 1.2019
    assert ordinal(3) == "三是" and ordinal(12) == "十二是"
    assert cn_date(date(2024, 3, 5)) == "2024年3月5日"


def test_opening_sentence_from_the_inspection_fields():
    composed = compose(fictional_document(), ReportContext(as_of=AS_OF, version=Version.PUBLIC))
    opening = texts(composed, "para")[0]
    assert opening.startswith(
        "根据县委统一部署，2024年3月4日至4月19日，县委第二巡察组对青溪县水利局党组进行了常规巡察。"
        "2024年5月20日，县委第二巡察组向青溪县水利局党组反馈了巡察意见。"
    )
    assert opening.endswith("现将巡察整改情况予以公布。")


def test_counts_are_computed_from_the_ledger():
    composed = compose(fictional_document(), ReportContext(as_of=AS_OF))
    assert composed.counts == Counts(
        aspects=2, problems=1, items=5, completed=2, basically=0, in_progress=1, long_term=1, not_done=1
    )
    assert (
        "截至2024年8月30日，巡察反馈的2方面1个问题5个具体问题，已完成整改2个，正在推进整改1个，长期坚持1个，"
        "尚未完成整改1个，整改完成率40.00%。"
    ) in texts(composed)


def test_all_done_is_said_as_such():
    doc = fictional_document()
    for leaf in doc.leaves():
        leaf.status = "完成整改"
    assert "截至2024年8月30日，巡察反馈的2方面1个问题5个具体问题，已全部完成整改。" in texts(
        compose(doc, ReportContext(as_of=AS_OF))
    )


def test_findings_in_the_official_hierarchy_with_measures_and_status():
    composed = compose(fictional_document(), ReportContext(as_of=AS_OF))
    headings = texts(composed, "heading")
    assert headings == [
        "一、整改工作开展情况",
        "二、巡察反馈问题整改落实情况",
        "（一）贯彻落实上级决策部署不够到位",
        "1.河湖长制落实不扎实",
        "（1）部分河段巡河记录流于形式。",
        "（2）河道采砂监管存在空档。",
        "2.防汛物资储备管理不规范。",
        "（二）全面从严治党主体责任落实不到位",
        "1.集体决策制度执行不严。",
        "2.项目资金拨付审核把关不严。",
        "三、下一步工作打算",
    ]
    body = texts(composed)
    at = body.index("（1）部分河段巡河记录流于形式。")
    assert body[at + 1 : at + 4] == [
        "整改情况：一是修订巡河制度，明确每月巡河次数。",
        "二是对全县河段巡河记录开展专项检查。",
        "整改状态：完成整改。",
    ]
    assert composed.blocks[-2].text == "中共青溪县水利局党组" and composed.blocks[-1].text == "2024年8月30日"
    # the in-party version (the default) is addressed to the committee and closes as a 通报; the
    # public one ends with the supervision contacts instead
    assert "特此通报。" in body and "联系电话：0000-7654321" not in body
    public = texts(compose(fictional_document(), ReportContext(as_of=AS_OF, version=Version.PUBLIC)))
    assert "联系电话：0000-7654321" in public and "电子邮箱：zhenggai@example.org" in public


def test_public_version_leaves_out_exempt_items_and_says_how_many():
    doc = fictional_document()
    ctx = dict(as_of=AS_OF, exempt_findings=frozenset({(0, 0)}), exempt_measures=frozenset({((1, 0), 1)}))
    full = compose(doc, ReportContext(version=Version.FULL, **ctx))
    public = compose(doc, ReportContext(version=Version.PUBLIC, **ctx))
    assert "河湖长制落实不扎实" in " ".join(texts(full))
    public_text = " ".join(texts(public))
    for hidden in ("河湖长制", "巡河记录", "河道采砂", "开展制度执行情况自查"):
        assert hidden not in public_text
    assert "另有2个问题按规定不予公开；已公开问题中另有1项整改措施按规定不予公开。" in texts(public)
    assert (public.withheld_items, public.withheld_measures) == (2, 1)
    # the counts are the approved report's, in both versions
    assert public.counts == full.counts
    count_line = next(t for t in texts(full) if t.startswith("截至"))
    assert count_line in texts(public)
    # renumbered without gaps: the remaining problem of the first aspect is 1.
    assert "1.防汛物资储备管理不规范。" in texts(public, "heading")
    assert "整改情况：一是修订党组议事规则。" in texts(public) and "二是将执行情况纳入年度考核。" in texts(public)


def test_a_grouping_left_empty_is_left_out():
    ctx = ReportContext(version=Version.PUBLIC, as_of=AS_OF, exempt_findings=frozenset({(1, 0), (1, 1)}))
    public = compose(fictional_document(), ctx)
    assert not any("全面从严治党" in t for t in texts(public))
    assert "另有2个问题按规定不予公开。" in texts(public)


def test_progress_report_lists_what_is_late_and_why():
    late = (
        LateItem((0, 0, 1), "河道采砂监管存在空档。", "联合开展执法两次。", 0, date(2024, 6, 30), 61, "正在推进",
                 "执法大队", "分管副局长", "汛期执法力量抽调防汛"),
        LateItem((1, 0), "集体决策制度执行不严。", "修订党组议事规则。", 0, date(2024, 7, 31), 30),
    )  # fmt: skip
    ctx = dict(kind=ReportKind.PROGRESS, as_of=AS_OF, late=late, exempt_findings=frozenset({(1,)}))
    full = compose(fictional_document(), ReportContext(**ctx))
    assert (full.blocks[1].role, full.blocks[1].text) == ("addressee", "县委：")
    assert "三、逾期未完成整改任务及原因" in texts(full, "heading")
    assert "截至2024年8月30日，共有2项整改任务超过整改时限尚未完成销号，具体如下：" in texts(full)
    items = texts(full, "item")
    assert items[0] == (
        "（一）“河道采砂监管存在空档”的整改任务“联合开展执法两次”，责任科室为执法大队，"
        "整改时限为2024年6月30日，已逾期61天。原因：汛期执法力量抽调防汛。"
    )
    assert items[1].endswith("已逾期30天。")  # no reason given: none made up
    assert "原因" not in items[1]
    assert texts(full)[-3] == "特此报告。" and not any("欢迎" in t for t in texts(full))
    public = compose(fictional_document(), ReportContext(version=Version.PUBLIC, **ctx))
    assert len(texts(public, "item")) == 1


def test_no_late_tasks_is_said():
    composed = compose(fictional_document(), ReportContext(kind=ReportKind.PROGRESS, as_of=AS_OF))
    assert "截至2024年8月30日，所有整改任务均在整改时限内推进，无逾期未完成的整改任务。" in texts(composed)


def test_edited_sections_replace_the_defaults():
    sections = Sections(
        title="关于巡察整改情况的通报",
        organisation="第一段。\n\n第二段。",
        next_steps="继续抓好整改。",
        publisher="青溪县水利局",
        phones=("0000-1234567",),
    )
    composed = compose(
        fictional_document(),
        ReportContext(as_of=AS_OF, sections=sections, dated=date(2024, 9, 2), version=Version.PUBLIC),
    )
    body = texts(composed)
    assert composed.title == "关于巡察整改情况的通报"
    assert "第一段。" in body and "第二段。" in body and "继续抓好整改。" in body
    assert "联系电话：0000-1234567" in body
    assert body[-2:] == ["青溪县水利局", "2024年9月2日"]


def test_plain_text_reads_back_as_the_same_ledger():
    doc = fictional_document()
    back = parse_bytes(to_text_bytes(compose(doc, ReportContext(as_of=AS_OF, version=Version.PUBLIC))), "report.txt")
    assert [(f.title, f.measures, f.status) for f in back.leaves()] == [
        (f.title, f.measures, f.status) for f in doc.leaves()
    ]
    assert back.inspection == doc.inspection
    assert back.report.publisher == "中共青溪县水利局党组" and back.report.date == "2024-08-30"
    assert back.contact.phones == ["0000-7654321"] and back.contact.emails == ["zhenggai@example.org"]


def test_a_flat_list_of_findings_stays_at_the_top():
    doc = LedgerDocument(
        inspection=fictional_document().inspection,
        findings=[
            Finding("1", "公务接待审批不严。", measures=["修订公务接待办法。", "开展专项检查。"], status="完成整改"),
            Finding("2", "固定资产账实不符。", measures=["全面清查固定资产。"], status="正在推进"),
        ],
    )
    composed = compose(doc, ReportContext(as_of=AS_OF))
    assert texts(composed, "heading")[:2] == ["一、公务接待审批不严。", "二、固定资产账实不符。"]
    back = parse_bytes(to_text(composed).encode("utf-8"), "flat.txt")
    assert [(f.title, len(f.measures)) for f in back.findings] == [(f.title, len(f.measures)) for f in doc.findings]


def test_signature_and_date_follow_gbt_9704():
    # a date shorter than the signature starts two characters right of it
    assert signature_indents("中共青溪县水利局党组", "2024年8月30日") == (2.0, 3.5)
    # a longer date keeps two characters from the right and pushes the signature left
    assert signature_indents("水利局", "2024年12月30日") == (8.0, 2.0)
