"""Which sections are findings, how deep they go, and what counts as a measure."""

from zhenggai.ingest.leaf import split_measures as split_pairs
from zhenggai.ingest.normalise import fold_width, normalise
from zhenggai.ingest.segment import segment
from zhenggai.ingest.tree import build_findings


def split_measures(paragraphs):
    return split_pairs([(p, fold_width(p)) for p in paragraphs])


def findings(*paragraphs):
    found, _, _ = build_findings(segment(normalise(list(paragraphs))))
    return found


def shape(nodes):
    return [(n.label, n.title, shape(n.children) if n.children else len(n.measures)) for n in nodes]


def test_findings_under_their_own_heading_skip_organisation_and_next_steps():
    result = findings(
        "一、组织整改落实情况",
        "(一)加强领导。成立了领导小组。",
        "二、巡察反馈问题整改情况",
        "(一)某某方面的问题",
        "1.学习不深入。",
        "整改情况:一是集中学习4次。二是检查笔记。",
        "2.会议不规范。",
        "整改情况:已修订会议制度。",
        "三、下一步工作打算",
        "(一)巩固成果。持续推进。",
    )
    assert shape(result) == [("(一)", "某某方面的问题", [("1", "学习不深入。", 2), ("2", "会议不规范。", 1)])]


def test_top_level_aspects_without_a_findings_heading():
    result = findings(
        "(一)党的政治建设方面",
        "1、制度落实不到位",
        "整改情况:完善制度。",
        "(二)党的作风建设方面",
        "2、形式主义依然存在",
        "整改情况:一是改进作风。二是加强调研。三是走访基层。",
        "(三)巩固整改成果",
        "一是持续抓好整改。二是健全长效机制。",
    )
    assert [n.title for n in result] == ["党的政治建设方面", "党的作风建设方面"]
    assert [len(leaf.measures) for n in result for leaf in n.leaves()] == [1, 3]


def test_four_levels_with_middle_problems_and_measures_on_their_own_lines():
    result = findings(
        "二、整改落实情况",
        "(一)关于某某方面",
        "1.关于学习不深入问题",
        "(1)针对“学习走过场”问题",
        "一是制定学习计划。",
        "二是每月集中学习1次。",
        "(2)针对“笔记不全”问题",
        "发放学习笔记本30本。",
        "2.关于会议问题",
        "(3)针对“记录混乱”问题",
        "一是分设记录本。二是专人管理。",
    )
    (aspect,) = result
    assert [p.title for p in aspect.children] == ["关于学习不深入问题", "关于会议问题"]
    assert [[len(leaf.measures) for leaf in p.children] for p in aspect.children] == [[2, 1], [2]]


def test_leaves_directly_under_aspects_and_under_problems_mix_in_one_report():
    result = findings(
        "(一)某某方面",
        "1.单独一项问题",
        "整改情况:已整改。",
        "2.一组问题",
        "(1)第一个具体问题",
        "整改情况:已完成。",
        "(2)第二个具体问题",
        "整改情况:正在推进。",
        "(二)另一方面",
        "3.又一项问题",
        "整改情况:已整改。",
    )
    assert [len(a.leaves()) for a in result] == [3, 1]


def test_rectification_written_on_the_heading_line_is_split_off():
    (aspect,) = findings("(一)某某方面", "1.会议记录不全。整改情况:一是补齐记录。二是专人负责。")
    (leaf,) = aspect.children
    assert leaf.title == "会议记录不全。"
    assert leaf.measures == ["补齐记录。", "专人负责。"]


def test_explicit_status_marks_are_read():
    (aspect,) = findings(
        "(一)某某方面", "1.问题甲(已完成)", "整改情况:已补齐。", "2.问题乙", "整改情况:正在修订。", "整改进度:基本完成"
    )
    assert [leaf.status for leaf in aspect.children] == ["完成整改", "基本完成"]
    assert aspect.children[0].title == "问题甲"


def test_enumeration_splits_in_sequence_only():
    text = "一是统一思想。二是建立制度。三是唯一是指这一项。"
    assert split_measures([text]) == ["统一思想。", "建立制度。", "唯一是指这一项。"]


def test_a_missing_first_enumerator_still_gives_the_first_measure():
    assert split_measures(["整改情况:一深化改革。二是优化结构。三是提升能力。"]) == [
        "一深化改革。",
        "优化结构。",
        "提升能力。",
    ]


def test_an_introduction_before_the_enumeration_stays_with_the_first_measure():
    measures = split_measures(["整改情况:采取以下措施:一是建立台账。二是定期检查。"])
    assert measures == ["采取以下措施:建立台账。", "定期检查。"]


def test_paragraphs_without_enumeration_are_one_measure_each():
    assert split_measures(["整改情况:修订制度。", "开展培训2次。"]) == ["修订制度。", "开展培训2次。"]


def test_no_rectification_text_gives_no_measures():
    assert split_measures([]) == []
