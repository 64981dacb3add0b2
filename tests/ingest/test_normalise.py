"""Normalisation: widths, Traditional copies, furniture, lines broken by PDF extraction."""

from zhenggai.ingest.normalise import is_traditional, normalise, unwrap


def test_text_is_kept_as_written_and_the_key_folds_widths_position_by_position():
    written = "\uff08一\uff09关于\uff12\uff10\uff12\uff13年的问题\uff1a整改"
    (line,) = normalise([written])
    assert line.text == written
    assert line.key == "(一)关于2023年的问题:整改"
    assert len(line.key) == len(line.text)


def test_page_numbers_and_blank_lines_are_dropped():
    lines = normalise(["正文第一段。", "— 3 —", "", "- 4 -", "第5页", "正文第二段。"])
    assert [line.text for line in lines] == ["正文第一段。", "正文第二段。"]


def test_web_furniture_after_the_signature_is_cut_off():
    lines = normalise(["某某局党组", "2024年3月5日", "来源:某某网", "编辑:张三", "本文链接:http://example.invalid/1"])
    assert [line.text for line in lines] == ["某某局党组", "2024年3月5日"]


def test_traditional_copies_keep_their_text_and_get_a_simplified_key():
    text = "整改情況:一是組織學習。關於黨組織建設問題的整改進展,現將有關情況報告如下。"
    (line,) = normalise([text])
    assert is_traditional(text)
    assert line.text == text
    assert line.key.startswith("整改情况:一是组织学习")


def test_simplified_text_is_not_taken_for_traditional():
    assert not is_traditional("关于党组织建设问题的整改进展,现将有关情况报告如下。")


def test_lines_that_fill_the_width_are_rejoined_until_a_new_block_starts():
    width = "某" * 28
    lines = [
        "(1)针对某某问题",
        width,
        "某某结束。",
        "二是另一项措施。",
    ]
    assert unwrap(lines) == ["(1)针对某某问题", width + "某某结束。", "二是另一项措施。"]


def test_a_heading_that_happens_to_fill_the_line_is_not_joined_to_its_body():
    heading = "(11)针对" + "某" * 20 + "问题"
    body = "出台了制度" + "某" * 23
    lines = [body, heading, body, "结束。"]
    assert unwrap(lines)[1] == heading
