"""Labels of the official-document hierarchy, as real reports write them."""

import pytest

from zhenggai.ingest.normalise import Line, normalise
from zhenggai.ingest.segment import cn_number, segment, segment_line


def block(text):
    return segment_line(Line(text, text))


@pytest.mark.parametrize(
    ("text", "style", "label", "title"),
    [
        ("一、关于党的建设方面", "cn", "一", "关于党的建设方面"),
        ("十二、其他方面", "cn", "十二", "其他方面"),
        ("(三)财务管理不规范", "pcn", "(三)", "财务管理不规范"),
        ("(十一)选人用人方面", "pcn", "(十一)", "选人用人方面"),
        ("1.学习流于形式。", "num", "1", "学习流于形式。"),
        ("12、档案管理不善", "num", "12", "档案管理不善"),
        ("3. 会议记录不全", "num", "3", "会议记录不全"),
        ("(4)针对“台账不全”问题", "pnum", "(4)", "针对“台账不全”问题"),
        ("②制度上墙", "circ", "②", "制度上墙"),
    ],
)
def test_labels_of_every_style_are_recognised(text, style, label, title):
    b = block(text)
    assert (b.style, b.label, b.text) == (style, label, title)


@pytest.mark.parametrize(
    "text",
    ["2019年召开会议22次", "1.6%的收益率", "一是加强学习", "统一思想认识", "10000元以上开支应上会", "3.5万元已退回"],
)
def test_prose_that_starts_with_a_number_is_not_a_label(text):
    assert not block(text).is_heading


def test_full_width_labels_are_folded_before_matching():
    lines = normalise(["（二）关于某某方面", "２．某项问题"])
    blocks = segment(lines)
    assert [(b.style, b.label) for b in blocks] == [("pcn", "(二)"), ("num", "2")]


def test_a_dash_where_the_number_was_marks_a_lost_label():
    blocks = segment(normalise(["-学习不深入", "-", "会议不规范"]))
    assert [(b.lost, b.text) for b in blocks] == [(True, "学习不深入"), (True, "会议不规范")]


def test_headings_lost_without_trace_are_recovered_from_the_notes_after_them():
    lines = normalise(
        [
            "(一)某某方面",
            "学习不深入。",
            "整改情况:一是组织学习3次。二是建立制度。",
            "会议记录不全。",
            "整改情况:已补齐记录。",
        ]
    )
    blocks = segment(lines)
    assert [b.text for b in blocks if b.lost] == ["学习不深入。", "会议记录不全。"]


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("一百零三", 103), ("x", None)],
)
def test_chinese_numbers(text, value):
    assert cn_number(text) == value


@pytest.mark.parametrize(
    ("text", "title"),
    [("1.2019年以来未召开专题会议", "2019年以来未召开专题会议"), ("3.12月5日召开会议", "12月5日召开会议")],
)
def test_a_label_followed_by_a_date_is_still_a_label(text, title):
    b = block(text)
    assert (b.style, b.text) == ("num", title)
