"""The HTML reader: the article without the site's chrome, the page's title and posting time, hostile pages."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SAMPLES
from zhenggai.ingest.options import ParseOptions
from zhenggai.ingest.readers.html import HtmlReader

SAMPLE = SAMPLES / "002_edfa2734dba5d0d5.html"
OPTIONS = ParseOptions()
CHROME = ("首页", "当前位置", "上一篇", "下一篇", "分享到", "发布时间", "字号", "责任编辑", "ICP备", "主办单位", "打印")


def _read(data: bytes):
    return HtmlReader().read(data, OPTIONS)


def _without_chrome(paragraphs: list[str]) -> bool:
    return not [p for p in paragraphs if any(word in p for word in CHROME)]


# a fictional county site in GBK: toolbar, navigation, breadcrumbs, info line, share bar, prev/next, footer
GBK_PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某某县民政局党组关于巡察整改进展情况的通报_某某县人民政府</title></head>
<body>
<div class="top"><a href="/">首页</a> | <a href="/en/">English</a></div>
<ul class="nav"><li><a href="/a/">政务公开</a></li><li><a href="/b/">政务服务</a></li></ul>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xc/">巡察整改</a></div>
<div class="main">
  <h1>某某县民政局党组关于巡察整改进展情况的通报</h1>
  <div class="info">发布日期：2024年3月5日 09:30 &nbsp; 来源：某某县民政局 &nbsp; 【字号：大 中 小】【打印】</div>
  <div class="TRS_Editor"><div class="Custom_UnionStyle">
    <p>　　根据县委统一部署，县委第二巡察组对某某县民政局党组进行了巡察。</p>
    <p><strong>一、整改工作的总体情况</strong></p>
    <p>　　（一）关于某某方面的问题</p>
    <p>　　1.针对某某问题<br>整改情况：已完成整改。<br/>　　二是建立某某制度。</p>
    <table><tr><td>序号</td><td>问题</td></tr><tr><td>1</td><td>某某具体问题</td></tr></table>
    <ul><li>某某要点甲</li><li>某某要点乙</li></ul>
  </div></div>
  <div class="bdsharebuttonbox">分享到：<a class="bds_weixin">微信</a></div>
  <div class="pages">上一篇：<a href="1.html">某某通知</a><br>下一篇：<a href="2.html">某某公告</a></div>
</div>
<div class="footer">主办单位：某某县人民政府办公室 &nbsp; 某ICP备12345678号</div>
<script>document.write("某某脚本文字");</script>
</body></html>"""

# no known container names: the article must be found by its text
PLAIN_PAGE = """<html><head><meta charset="utf-8"><title>某某乡党委巡察整改情况 - 某某网</title></head><body>
<div id="menu"><a href="/">首页</a><a href="/x">新闻中心</a><a href="/y">通知公告</a><a href="/z">联系我们</a></div>
<div id="x1"><div id="x2">
<p>某某乡党委高度重视巡察反馈问题的整改工作，成立了整改工作领导小组。</p>
<p>一、关于某某方面，针对反馈的具体问题逐项制定了整改措施并抓好落实。</p>
<p>二、关于某某方面，建立健全了相关工作制度，推动整改工作走深走实。</p>
<p>欢迎广大干部群众对巡察整改落实情况进行监督，联系电话：0000-1234567。</p>
</div></div>
<div id="links"><a href="/1">某某乡召开党委会议研究部署工作</a><a href="/2">某某乡开展安全生产检查</a></div>
</body></html>"""


# ---- the sample -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(samples_dir):
    return _read(SAMPLE.read_bytes())


def test_the_sample_page_gives_its_article_without_site_chrome(sample):
    assert _without_chrome(sample.paragraphs)
    assert sample.paragraphs[0].startswith("根据")
    assert "一、" in [p[:2] for p in sample.paragraphs]


def test_the_sample_page_keeps_its_thirty_numbered_problems(sample):
    numbers = [int(m.group(1)) for p in sample.paragraphs if (m := re.match(r"\((\d+)\)", p))]
    assert numbers == list(range(1, 31))


def test_the_sample_page_states_its_title_and_posting_time(sample):
    assert sample.published == "2023-12-08T16:40"
    assert sample.title and not re.search(r"[-_|]", sample.title) and "纪检监察网" not in sample.title
    assert sample.title not in sample.paragraphs
    assert sample.wrapped is False


def test_the_sample_page_is_sniffed_as_html(samples_dir):
    assert HtmlReader().sniff(SAMPLE.read_bytes()[:8192])


# ---- synthetic pages --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gbk_page():
    return _read(GBK_PAGE.encode("gbk"))


def test_a_gbk_page_is_decoded_and_its_chrome_left_out(gbk_page):
    assert gbk_page.paragraphs[0] == "根据县委统一部署，县委第二巡察组对某某县民政局党组进行了巡察。"
    assert _without_chrome(gbk_page.paragraphs)
    assert not [p for p in gbk_page.paragraphs if "脚本" in p or "微信" in p]


def test_br_lines_table_cells_and_list_items_become_paragraphs(gbk_page):
    assert gbk_page.paragraphs[3:] == [
        "1.针对某某问题",
        "整改情况：已完成整改。",
        "二是建立某某制度。",
        "序号",
        "问题",
        "1",
        "某某具体问题",
        "某某要点甲",
        "某某要点乙",
    ]


def test_the_info_line_gives_the_posting_time_when_there_is_no_meta(gbk_page):
    assert gbk_page.published == "2024-03-05T09:30"
    assert gbk_page.title == "某某县民政局党组关于巡察整改进展情况的通报"


def test_an_article_without_known_containers_is_found_by_its_text():
    extracted = _read(PLAIN_PAGE.encode("utf-8"))
    assert len(extracted.paragraphs) == 4
    assert extracted.paragraphs[1].startswith("一、")
    assert not [p for p in extracted.paragraphs if "首页" in p or "安全生产" in p]
    assert extracted.title == "某某乡党委巡察整改情况"
    assert extracted.published is None


@pytest.mark.parametrize(
    "title",
    [
        "某某局关于巡察整改情况的通报_某某县人民政府",
        "某某局关于巡察整改情况的通报-某某网",
        "某某局关于巡察整改情况的通报 | 某某网",
    ],
)
def test_the_site_name_is_cut_from_the_page_title(title):
    page = f"<html><head><title>{title}</title></head><body><p>某某局巡察整改正文内容。</p></body></html>"
    assert _read(page.encode("utf-8")).title == "某某局关于巡察整改情况的通报"


def test_a_hyphen_between_digits_stays_in_the_title():
    page = "<html><head><title>某某局2023-2024年度整改通报</title></head><body><p>正文内容。</p></body></html>"
    assert _read(page.encode("utf-8")).title == "某某局2023-2024年度整改通报"


def test_an_info_line_inside_the_article_container_is_dropped():
    page = (
        '<html><body><div class="content"><h1>某某通报</h1>'
        "<p>发布时间：2024-01-02 来源：某某局 浏览次数：12</p>"
        "<p>某某局党组认真落实巡察整改工作，取得了阶段性成效。</p>"
        "<p>来源：某某局</p><p>责任编辑：某某</p></div></body></html>"
    )
    extracted = _read(page.encode("utf-8"))
    assert extracted.paragraphs == ["某某通报", "某某局党组认真落实巡察整改工作，取得了阶段性成效。"]
    assert extracted.published == "2024-01-02"


def test_a_utf8_page_that_claims_gb2312_is_read_as_utf8():
    page = '<html><head><meta charset="gb2312"></head><body><p>某某单位巡察整改情况的正文内容。</p></body></html>'
    assert _read(page.encode("utf-8")).paragraphs == ["某某单位巡察整改情况的正文内容。"]


def test_source_line_breaks_inside_chinese_text_do_not_become_spaces():
    page = "<html><body><div class='article-content'><p>某某单位巡察\n  整改情况的\n正文内容。</p></div></body></html>"
    assert _read(page.encode("utf-8")).paragraphs == ["某某单位巡察整改情况的正文内容。"]


# ---- hostile pages ----------------------------------------------------------------------------------


def test_entity_declarations_are_not_expanded():
    entities = (
        '<!ENTITY a "哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">'
    )
    page = f"<!DOCTYPE html [{entities}]><html><body><p>正文&c;&c;&c;</p></body></html>"
    paragraphs = _read(page.encode("utf-8")).paragraphs
    assert sum(len(p) for p in paragraphs) < 100


def test_deep_nesting_does_not_blow_the_stack():
    page = "<html><body>" + "<div>" * 100_000 + "某某正文" + "</div>" * 100_000 + "</body></html>"
    _read(page.encode("utf-8"))  # libxml2 stops nesting at 256 levels; nothing here may recurse


def test_huge_attribute_values_are_harmless():
    page = f'<html><body><div class="{"x" * 5_000_000}"><p>某某单位巡察整改正文内容。</p></div></body></html>'
    assert _read(page.encode("utf-8")).paragraphs == ["某某单位巡察整改正文内容。"]


# ---- sniffing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"<!DOCTYPE html><html>", True),
        (b"\xef\xbb\xbf  \r\n<HTML lang='zh'>", True),
        (b"<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>", True),
        (b"<!-- saved from url -->\n<head><title>x</title></head>", True),
        ("<!DOCTYPE html>".encode("utf-16"), True),
        ("某某单位关于巡察整改情况的通报\n一、总体情况".encode(), False),
        (b"%PDF-1.7\n", False),
    ],
)
def test_sniff_recognises_html_by_its_opening_tags(head, expected):
    assert HtmlReader().sniff(head) is expected
