"""`zhenggai analyze common|repeats|quality|refresh` through the real entry point, tables and JSON."""

from __future__ import annotations

import json

import pytest

from tests.conftest import fictional_document
from zhenggai.cli import main

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_connection")]


@pytest.fixture
def rounds(world, make_round, make_inspection):
    """A later round in which unit A's old problem returns, worded differently."""
    later = make_round(name="十五届县委第五轮巡察", year=2025, number=5)
    doc = fictional_document()
    doc.inspection.feedback_date = "2025-05-20"
    doc.inspection.start, doc.inspection.end = "2025-03-04", "2025-04-19"
    doc.findings[0].children[1].title = "针对“防汛物资储备管理不够规范”问题"
    return {**world, "later": make_inspection(doc, round=later, unit=world["a"].unit)}


def run(capsys, *args: str) -> str:
    assert main(["analyze", *args]) == 0
    return capsys.readouterr().out


def test_common_json_has_the_documented_shape(world, capsys):
    groups = json.loads(run(capsys, "common", "--round", str(world["round"].pk), "--json"))
    assert groups, "both units hold the same ledger: every problem is common"
    for group in groups:
        assert set(group) == {"size", "units", "representative", "findings"}
        assert sorted(group["units"]) == ["青溪县林业局党组", "青溪县水利局党组"]
        assert group["size"] == len(group["findings"])
        assert all(set(f) == {"inspection", "unit", "title"} for f in group["findings"])


def test_common_table_by_round_name(world, capsys):
    out = run(capsys, "common", "--round", world["round"].name)
    assert "代表性表述" in out and "组共性问题" in out


def test_repeats_link_the_earlier_finding_and_its_closure(rounds, capsys):
    matches = json.loads(run(capsys, "repeats", "--json"))
    assert matches
    for match in matches:
        assert set(match) == {"finding", "earlier", "similarity"}
        assert match["finding"]["inspection"] == rounds["later"].pk
        assert match["earlier"]["inspection"] == rounds["a"].pk
        assert {"closed", "evidence", "round", "title"} <= set(match["earlier"])
    storage = next(m for m in matches if "防汛物资" in m["finding"]["title"])
    assert "防汛物资储备" in storage["earlier"]["title"]
    closed = [m for m in matches if m["earlier"]["closed"]]
    assert closed and any("已修订党组议事规则" in n for m in closed for n in m["earlier"]["notes"])
    table = run(capsys, "repeats", "--round", str(rounds["later"].round_id))
    assert "以往问题" in table


def test_quality_json_has_one_object_per_measure_and_the_mismatches(world, capsys):
    data = json.loads(run(capsys, "quality", "--round", str(world["round"].pk), "--json"))
    assert len(data["measures"]) == 14
    for m in data["measures"]:
        assert {"inspection", "unit", "finding", "index", "text", "words_only", "rules"} <= set(m)
        assert m["rules"]
    assert {m["field"] for m in data["mismatches"]} >= {"completed"} or data["mismatches"] == []
    assert "mismatches" in data and "closed_on_words" in data


def test_quality_table_and_rules_file(world, capsys, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    out = run(capsys, "quality")
    assert "表态式整改" in out
    run(capsys, "quality", "--write-rules")
    assert json.loads((tmp_path / "quality_rules.json").read_text(encoding="utf-8"))["facts"]
    assert main(["analyze", "quality", "--write-rules"]) == 1


def test_refresh_and_unknown_round(world, capsys):
    assert "已刷新2次巡察的统计" in run(capsys, "refresh")
    assert main(["analyze", "common", "--round", "没有这一轮"]) == 1
    assert "未找到轮次" in capsys.readouterr().err


def test_the_offices_rules_file_takes_effect(settings, tmp_path):
    from zhenggai.oversight.analysis import quality
    from zhenggai.oversight.analysis.rules import default_rules
    from zhenggai.oversight.rulesfile import current_rules

    settings.DATA_DIR = tmp_path
    text = "召开全体干部职工大会，通报巡察反馈问题。"
    assert not quality.check(text, current_rules()).words_only
    data = default_rules()
    data["facts"] = [r for r in data["facts"] if r["id"] != "meeting_held"]
    (tmp_path / "quality_rules.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert quality.check(text, current_rules()).words_only
