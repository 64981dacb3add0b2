"""Property tests: whatever bytes arrive, the parser answers with a ledger or a clear IngestError."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import sample_files
from zhenggai.ingest import IngestError, LedgerDocument, parse_bytes

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXTENSIONS = [".txt", ".docx", ".pdf", ".html", ".htm", ".bin", ""]

# Pieces of the genre's vocabulary, so random text exercises labels, notes and enumerations.
PIECES = [
    "一、",
    "二、",
    "(一)",
    "(二)",
    "(十二)",
    "1.",
    "2、",
    "12.",
    "(1)",
    "(3)",
    "①",
    "-",
    "•",
    "整改情况:",
    "一是",
    "二是",
    "三是",
    "针对“",
    "”问题",
    "方面",
    "关于",
    "已完成整改",
    "(已完成)",
    "根据县委统一部署,",
    "2023年5月6日",
    "至9月1日,",
    "县委第二巡察组对某某局党组进行了巡察。",
    "10月12日反馈了巡察意见。",
    "3个方面20个具体问题,已完成整改18个",
    "联系电话:0871-1234567",
    "电子邮箱:a@b.cn",
    "某某局党组",
    "2024年1月2日",
    "。",
    ",",
    ";",
    "\n",
    "\n",
    "\n",
    " ",
    "学习不深入",
    "制度不健全",
    "已修订制度3项",
    "— 3 —",
    "來源:",
    "關於黨組織問題",
]


def assert_answer(data: bytes, name: str) -> None:
    try:
        doc = parse_bytes(data, name)
    except IngestError as exc:
        assert exc.message and "\n" not in exc.message
        assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.message), exc.message
        return
    text = doc.to_json()
    again = LedgerDocument.from_json(text)
    assert again.to_dict() == json.loads(text)
    for leaf in doc.leaves():
        assert isinstance(leaf.title, str)
        assert all(isinstance(m, str) and m for m in leaf.measures)


@SETTINGS
@given(data=st.binary(max_size=4096), ext=st.sampled_from(EXTENSIONS))
def test_random_bytes_never_crash_the_parser(data, ext):
    assert_answer(data, f"random{ext}")


@SETTINGS
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=300), encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_genre_shaped_text_always_gives_a_consistent_ledger_or_a_clear_error(pieces, encoding):
    text = "".join(pieces)
    assert_answer(text.encode(encoding), "report.txt")


@SETTINGS
@given(text=st.text(max_size=2000))
def test_any_unicode_text_is_handled(text):
    assert_answer(text.encode("utf-8", "surrogatepass"), "any.txt")


def _mutations():
    return st.tuples(
        st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=20),
        st.floats(0.05, 1.0),
    )


@pytest.mark.parametrize("path", sample_files(".txt", ".docx", ".pdf", ".html"), ids=lambda p: p.name)
def test_mutated_sample_files_never_crash_the_parser(path):
    original = path.read_bytes()

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mutation=_mutations())
    def check(mutation):
        flips, keep = mutation
        data = bytearray(original[: max(1, int(len(original) * keep))])
        for where, value in flips:
            data[int(where * (len(data) - 1))] = value
        assert_answer(bytes(data), path.name)

    check()


def test_a_flood_of_labels_is_parsed_without_blowing_up():
    lines = "\n".join(f"{i % 999 + 1}.问题{i}\n整改情况:一是甲。二是乙。" for i in range(20000))
    doc = parse_bytes(("根据县委统一部署,县委第一巡察组对某局进行了巡察。\n(一)某方面\n" + lines).encode(), "flood.txt")
    assert len(doc.leaves()) == 20000


def test_one_enormous_line_is_parsed():
    doc_or_error = None
    try:
        doc_or_error = parse_bytes(("整改" + "某" * 5_000_000).encode(), "long.txt")
    except IngestError as exc:
        doc_or_error = exc
    assert doc_or_error is not None
