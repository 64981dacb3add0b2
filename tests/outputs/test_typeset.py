"""Full-width punctuation wherever it sits next to Chinese; numbers and Latin keep theirs."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import fictional_document
from zhenggai.outputs import LateItem, ReportContext, ReportKind, compose
from zhenggai.outputs.typeset import punctuate


@pytest.mark.parametrize(
    ("source", "printed"),
    [
        ("规则》,于12月19日印发", "规则》，于12月19日印发"),
        ("已完成整改,正在推进", "已完成整改，正在推进"),
        ("整改情况:一是建立台账", "整改情况：一是建立台账"),
        ("建立制度;开展培训", "建立制度；开展培训"),
        ("是否到位?是!", "是否到位？是！"),
        ("问题 , 其中", "问题，其中"),  # the spaces around a half-width comma go with it
        ("于12月19日,3个问题", "于12月19日，3个问题"),  # Chinese on one side is enough
        ("共计1,000元", "共计1,000元"),  # a thousands separator stays
        ("10:30前完成", "10:30前完成"),  # a time stays
        ("联系电话:0000-7654321", "联系电话：0000-7654321"),
        ("访问https://example.org/a?b=1", "访问https://example.org/a?b=1"),
        ("使用Excel,Word编制", "使用Excel,Word编制"),  # Latin on both sides
        ("修订(试行)办法", "修订（试行）办法"),
        ("问题(3个)", "问题（3个）"),
        ("导出Excel(xlsx)文件", "导出Excel（xlsx）文件"),  # touches Chinese: a Chinese bracket
        ("Excel (xlsx)", "Excel (xlsx)"),
        ("(a(中)b)", "（a（中）b）"),
        ('开展"回头看"活动', "开展“回头看”活动"),
        ('"Hello" world', '"Hello" world'),
        ('开展"回头看', '开展"回头看'),  # an unpaired quote is left alone
        ("“回头看”,防止反弹", "“回头看”，防止反弹"),
        ("已全部完成。", "已全部完成。"),
        ("", ""),
        ("3.14", "3.14"),
    ],
)
def test_punctuate(source, printed):
    assert punctuate(source) == printed
    assert punctuate(printed) == printed  # idempotent


def test_every_paragraph_of_a_document_is_punctuated():
    doc = fictional_document()
    doc.findings[0].title = "贯彻落实上级决策部署不够到位,执行有偏差"
    late = (LateItem((1, 0), "集体决策制度执行不严。", "修订(试行)规则,报党组审定。", 0, date(2024, 7, 31), 30),)
    composed = compose(doc, ReportContext(kind=ReportKind.PROGRESS, late=late, as_of=date(2024, 8, 30)))
    texts = [b.full_text for b in composed.blocks]
    assert "（一）贯彻落实上级决策部署不够到位，执行有偏差" in texts
    assert any("修订（试行）规则，报党组审定" in t for t in texts)
    assert not any(ch in t for t in texts for ch in ",;")
