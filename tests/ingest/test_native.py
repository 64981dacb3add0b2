"""The compiled text steps parse exactly as their Python sources do, and are in use where they can be."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from zhenggai.fiction.generate import generate_report
from zhenggai.fiction.render import to_text, to_traditional
from zhenggai.ingest import native, parse_bytes

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT.parent / "shared" / "samples"

_PARSE_ALL = """
import json, sys
from zhenggai.ingest import native, parse_bytes
docs = json.load(sys.stdin)
out = {name: parse_bytes(text.encode("utf-8"), name).to_dict() for name, text in docs.items()}
json.dump({"compiled": native.compiled(), "ledgers": out}, sys.stdout, ensure_ascii=False)
"""


def _documents() -> dict[str, str]:
    docs = {}
    for path in sorted(SAMPLES.glob("*.txt")):
        docs[path.name] = path.read_text(encoding="utf-8")
    for seed in range(40):
        text = to_text(generate_report(seed))
        docs[f"fiction-{seed}.txt"] = text if seed % 8 else to_traditional(text)
    return docs


def _parse_in_subprocess(docs: dict[str, str], **env: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _PARSE_ALL],
        input=json.dumps(docs, ensure_ascii=False),
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=ROOT,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.skipif(not native.libraries(), reason="the text steps are not compiled (no C compiler)")
def test_compiled_and_source_steps_give_the_same_ledgers():
    docs = _documents()
    source = _parse_in_subprocess(docs, ZHENGGAI_PURE_PARSER="1")
    assert source["compiled"] is False
    compiled = _parse_in_subprocess(docs)
    assert compiled["compiled"] is native.compiled()
    differing = [name for name in docs if source["ledgers"][name] != compiled["ledgers"][name]]
    assert differing == []


def test_the_source_is_used_when_asked_for():
    result = _parse_in_subprocess({}, ZHENGGAI_PURE_PARSER="1")
    assert result["compiled"] is False


def test_a_stale_library_is_never_used(tmp_path):
    """A compiled module older than its source would run old code: the sources are used instead."""
    if not native.libraries():
        pytest.skip("the text steps are not compiled (no C compiler)")
    copy = tmp_path / "zhenggai"
    shutil.copytree(ROOT / "zhenggai", copy, ignore=shutil.ignore_patterns("__pycache__"))
    edited = copy / "ingest" / "cues.py"
    later = max(p.stat().st_mtime for p in native.libraries()) + 60
    os.utime(edited, (later, later))
    probe = "from zhenggai.ingest import native; print(native.stale(), native.compiled())"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=True, env=os.environ
    )
    assert result.stdout.split() == ["True", "False"]


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="checked on CI, where setup compiles the steps")
def test_the_steps_are_compiled_on_ci():
    if not shutil.which("cc"):
        pytest.skip("no C compiler on this machine")
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").exists():
        pytest.skip("no Python headers on this machine")
    assert native.compiled(), "scripts/setup.sh should have compiled the parser (see .venv/native-build.log)"


def test_parsing_works_whichever_steps_are_loaded():
    ledger = parse_bytes(to_text(generate_report(7)).encode("utf-8"), "fiction-7.txt")
    assert ledger.leaves()
