"""Fixtures of the output tests: the shared scorer, LibreOffice (skipped with a reason when absent) and
one PDF conversion per sample and session (LibreOffice takes about two seconds a document)."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.web.conftest import _plain_static_files, login, world  # noqa: F401 (the web tests' world of roles)

SCORER = REPO.parent / "shared" / "tools" / "score_ledger.py"
NEEDS_SOFFICE = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui (CI installs it)",
)
NEEDS_POPPLER = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils (pdftoppm, pdffonts) is not installed",
)


@pytest.fixture(scope="session")
def scorer():
    if not SCORER.exists():
        pytest.skip("../shared/tools/score_ledger.py is not present")
    spec = importlib.util.spec_from_file_location("score_ledger", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_of(path: Path) -> dict:
    return json.loads((path.parent / f"{path.name}.gold.json").read_text(encoding="utf-8"))
