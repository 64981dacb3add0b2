"""Every sample report beside its gold file, scored with the shared scorer (../shared/tools)."""

from __future__ import annotations

import importlib.util
import json

import pytest

from tests.conftest import REPO, sample_files
from zhenggai.ingest import parse_file

SCORER = REPO.parent / "shared" / "tools" / "score_ledger.py"


def _scorer():
    spec = importlib.util.spec_from_file_location("score_ledger", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scorer():
    if not SCORER.exists():
        pytest.skip("../shared/tools/score_ledger.py is not present")
    return _scorer()


def _score(scorer, path):
    gold = json.loads((path.parent / f"{path.name}.gold.json").read_text(encoding="utf-8"))
    return scorer.score(gold, parse_file(path).to_dict())


@pytest.mark.parametrize("path", sample_files(".txt"), ids=lambda p: p.name)
def test_text_reports_are_rebuilt_exactly(scorer, path):
    result = _score(scorer, path)
    for key in ("leaf_f1", "ancestry", "meta", "claimed", "contact"):
        assert result[key] == 1.0, (key, result)
    assert result["measures"] >= 0.97, result


@pytest.mark.parametrize("path", sample_files(".docx", ".pdf", ".html"), ids=lambda p: p.name)
def test_other_formats_rebuild_the_same_findings(scorer, path):
    result = _score(scorer, path)
    assert result["leaf_f1"] >= 0.97, result
    assert result["ancestry"] >= 0.97, result


def test_the_same_report_in_every_format_gives_the_same_tree(samples_dir):
    stem = "002_edfa2734dba5d0d5"
    reference = parse_file(samples_dir / f"{stem}.txt")
    titles = [leaf.title for leaf in reference.leaves()]
    for suffix in (".docx", ".html", ".pdf"):
        doc = parse_file(samples_dir / f"{stem}{suffix}")
        assert [leaf.title for leaf in doc.leaves()] == titles, suffix
        assert doc.inspection == reference.inspection, suffix
