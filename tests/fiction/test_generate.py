"""The fiction generator: deterministic, self-consistent (text ↔ truth), varied, and in our own words."""

from __future__ import annotations

import io
import json
import re
import time
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest

from zhenggai.fiction import (
    STYLES,
    generate_province,
    generate_report,
    generate_round,
    to_docx_bytes,
    to_html_bytes,
    to_text,
    to_traditional,
)
from zhenggai.fiction.__main__ import main
from zhenggai.fiction.blocks import blocks
from zhenggai.fiction.model import ARABIC, Problem
from zhenggai.ingest.ledgerdoc import STATUSES, LedgerDocument

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
SEEDS = range(200)


@pytest.fixture(scope="module")
def reports():
    return [generate_report(s) for s in SEEDS]


@pytest.fixture(scope="module")
def texts(reports):
    return [to_text(r) for r in reports]


def test_same_seed_same_report():
    assert to_text(generate_report(42)) == to_text(generate_report(42))
    assert generate_report(42).to_ledger().to_json() == generate_report(42).to_ledger().to_json()
    assert to_text(generate_report(42)) != to_text(generate_report(43))
    assert [to_text(r) for r in generate_round(5, units=4)] == [to_text(r) for r in generate_round(5, units=4)]


def test_claimed_counts_agree_with_the_tree(reports, texts):
    claiming = 0
    for report, text in zip(reports, texts, strict=True):
        c = report.claimed
        if c.items is None:
            continue
        claiming += 1
        leaves = report.leaves()
        by = Counter(leaf.status for leaf in leaves)
        assert c.items == len(leaves)
        assert c.completed == by["完成整改"]
        for field, status in (
            ("basically_completed", "基本完成"),
            ("in_progress", "正在推进"),
            ("long_term", "长期坚持"),
        ):
            assert getattr(c, field) in (None, by[status])
        if c.aspects is not None:
            assert c.aspects == len(report.aspects)
        if c.problems is not None:
            assert c.problems == sum(isinstance(x, Problem) for a in report.aspects for x in a.children)
        content = report.style.content
        assert re.search(rf"{c.items}(个具体问题|项整改任务)", text), content("claims sentence missing")
    assert claiming > 100


def test_text_contains_everything_the_truth_says(reports, texts):
    for report, text in zip(reports, texts, strict=True):
        doc = report.to_ledger()
        for aspect in doc.findings:
            assert aspect.title in text
            for leaf in aspect.leaves():
                assert leaf.title in text
                assert leaf.measures and all(m in text for m in leaf.measures)
                assert leaf.status in (None, *STATUSES)
        assert report.contact.phones[0] in text and report.contact.emails[0] in text
        assert LedgerDocument.from_json(doc.to_json()).to_dict() == doc.to_dict()


def test_labels_follow_the_text_and_lost_ones_are_null(reports, texts):
    lost_seen = 0
    for report, text in zip(reports, texts, strict=True):
        st = report.style
        lines = text.splitlines()
        for b in blocks(report):
            if b.role in ("aspect", "problem", "leaf"):
                line = st.indent + st.label(b.level, b.number) + st.content(b.text)
                assert line in lines
        labels = [f.label for a in report.to_ledger().findings for f in [a, *a.children, *a.leaves()]]
        if st.lost_levels:
            lost_seen += labels.count(None) > 0
        assert all(
            label is None or re.fullmatch(r"[一二三四五六七八九十]+|\([一二三四五六七八九十]+\)|\(?\d+\)?", label)
            for label in labels
        )
    assert lost_seen > 5


def _depth(report) -> int:
    """Numbering levels the findings use, counting the findings section's own heading."""
    levels = {a.level for a in report.aspects}
    for a in report.aspects:
        levels |= {x.level for x in a.children} | {leaf.level for leaf in a.leaves()}
    return len(levels) + (1 if report.findings_heading else 0)


def test_variety_across_seeds(reports, texts):
    assert {_depth(r) for r in reports} >= {2, 3, 4}
    mixed = [r for r in reports if any(isinstance(x, Problem) for a in r.aspects for x in a.children)]
    assert any(any(not isinstance(x, Problem) for a in r.aspects for x in a.children) for r in mixed)
    assert {r.style.dot for r in reports} == {".", "、", "．"}
    assert {r.style.paren for r in reports} == {"full", "half"}
    assert {r.style.lost_mark for r in reports if r.style.lost_levels} == {"", "-"}
    assert {r.layout.inline_measures for r in reports} == {True, False}
    assert {r.layout.omit_years for r in reports} == {True, False}
    assert {r.findings_heading is None for r in reports} == {True, False}
    assert {r.org is None for r in reports} == {True, False}
    assert {r.closing is None for r in reports} == {True, False}
    assert sum("整改情况：一是" in t or "整改情况:一是" in t for t in texts) > 10
    assert any(leaf.status_text for r in reports for leaf in r.leaves())
    assert len({r.publisher for r in reports}) > 150 and len({r.place for r in reports}) > 50
    concrete = [c for r in reports for leaf in r.leaves() for c in leaf.concrete]
    assert 0.4 < sum(concrete) / len(concrete) < 0.95


def test_knobs_are_honoured():
    r = generate_report(
        7, aspects=3, items=4, middle="none", measures=2, inline_measures=False, prefix=False, claims=True,
        findings_heading=True, org_section=True, next_steps=True, omit_years=True, statuses="done",
        show_status="all", style="standard",
    )  # fmt: skip
    text = to_text(r)
    assert len(r.aspects) == 3 and all(len(a.children) == 4 for a in r.aspects)
    assert all(len(leaf.measures) == 2 and leaf.status == "完成整改" and leaf.status_text for leaf in r.leaves())
    assert "整改情况" not in text and "一是" in text and r.findings_heading and r.org and r.closing
    fb = r.feedback_date
    assert f"{fb.year}年{fb.month}月{fb.day}日" not in text.splitlines()[0]
    assert r.claimed.items == 12 and r.claimed.completed == 12
    deep = generate_report(8, middle="all", findings_heading=True, problems=2, items=2)
    assert _depth(deep) == 4 and deep.claimed.problems in (None, 2 * len(deep.aspects))
    assert generate_report(9, style="lost_dash").style.lost_levels == (ARABIC, 3)
    assert "- " in to_text(generate_report(9, style="lost_dash", middle="none", findings_heading=True))


def test_docx_opens_and_numbers_automatically():
    report = generate_report(11, middle="all", findings_heading=True)
    data = to_docx_bytes(report, auto_numbering=True)
    document = docx.Document(io.BytesIO(data))
    numbering = zipfile.ZipFile(io.BytesIO(data)).read("word/numbering.xml").decode()
    auto = [b for b in blocks(report) if b.level in report.auto_levels and b.number is not None]
    numbered = [p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert auto and len(numbered) == len(auto)
    formats = {0: ("chineseCounting", "%1、"), 1: ("chineseCounting", "%1"), 2: ("decimal", "%1"), 3: ("decimal", "%1")}
    for level in report.auto_levels:
        fmt, text = formats[level]
        assert f'w:numFmt w:val="{fmt}"' in numbering and text in numbering
    assert "startOverride" in numbering
    for p, b in zip(numbered, auto, strict=True):
        assert p.text == report.style.content(b.text)  # the label is Word's, not in the text
    plain = docx.Document(io.BytesIO(to_docx_bytes(report, auto_numbering=False)))
    assert not any(p._p.pPr is not None and p._p.pPr.numPr is not None for p in plain.paragraphs)
    assert report.to_ledger(container="docx").report.title == report.title


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_html_decodes_in_its_declared_charset(encoding):
    report = generate_report(12)
    data = to_html_bytes(report, encoding=encoding)
    declared = re.search(rb'charset=([\w-]+)"', data).group(1).decode()
    page = data.decode(declared)
    assert declared == encoding and 'class="TRS_Editor"' in page
    for piece in ("发布时间：", "来源：", "打印本页", "网站标识码", "ICP备", report.title):
        assert piece in page
    assert all(leaf.title in page for a in report.to_ledger(container="html").findings for leaf in a.leaves())


def test_traditional_mirror():
    report = generate_report(13)
    text = to_traditional(to_text(report))
    assert "巡察組" in text and "县" not in text
    truth = report.to_ledger(traditional=True)
    assert truth.inspection.team in text and all(leaf.title in text for leaf in truth.leaves())


def test_round_shares_common_problems_in_different_words():
    round_reports = list(generate_round(21, units=12, common=4))
    assert len({(r.committee, r.place, r.round_name) for r in round_reports}) == 1
    by_topic: dict[str, set[str]] = {}
    for r in round_reports:
        for leaf in r.leaves():
            by_topic.setdefault(leaf.topic, set()).add(leaf.title)
    units_per_topic = Counter(leaf.topic for r in round_reports for leaf in {x.topic: x for x in r.leaves()}.values())
    common = [t for t, n in units_per_topic.items() if n >= 4]
    assert common and any(len(by_topic[t]) >= 3 for t in common)


def test_province_is_lazy_and_fast():
    stream = generate_province(3, units=1000)
    assert iter(stream) is stream
    started = time.perf_counter()
    count = sum(len(r.leaves()) > 0 for r in stream)
    elapsed = time.perf_counter() - started
    assert count == 1000
    assert elapsed < 2.0  # about 0.45 s here (≈ 2,300 reports/s); generous for slower CI machines


def test_cli_writes_reports_and_truth(tmp_path):
    assert main(["--seed", "3", "--count", "2", "--format", "txt", "-o", str(tmp_path)]) == 0
    truth = LedgerDocument.from_json((tmp_path / "fiction_3.txt.truth.json").read_text(encoding="utf-8"))
    assert truth.report.source == "fiction_3.txt" and truth.leaves()
    assert (tmp_path / "fiction_4.txt").read_text(encoding="utf-8") == to_text(generate_report(4))
    main(["--seed", "3", "--count", "1", "--format", "html", "--encoding", "gbk", "-o", str(tmp_path)])
    assert (tmp_path / "fiction_3.html").read_bytes().decode("gbk")
    assert json.loads((tmp_path / "fiction_3.html.truth.json").read_text(encoding="utf-8"))["report"]["published"]


def _shingles(text: str, k: int = 12) -> set[str]:
    out = set()
    for line in unicodedata.normalize("NFKC", text).splitlines():
        out.update(line[i : i + k] for i in range(len(line) - k + 1))
    return out


_DATE_ONLY = re.compile(r"[\d年月日至\-—.]+")  # a date range is a fact, not wording


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared samples not present")
def test_no_sample_text_leaks_into_generated_reports(texts):
    sample = set()
    for path in SAMPLES.glob("*.txt"):
        sample |= _shingles(path.read_text(encoding="utf-8"))
    generated = set()
    for text in texts:
        generated |= _shingles(text)
    for name in STYLES:
        generated |= _shingles(to_text(generate_report(1, style=name)))
    leaked = {s for s in generated & sample if not _DATE_ONLY.fullmatch(s)}
    assert not leaked, sorted(leaked)[:20]
