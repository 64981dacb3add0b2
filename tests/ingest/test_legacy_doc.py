"""Old Word .doc and WPS .wps: converted by LibreOffice (in a throwaway profile, under a time limit), then
read as .docx. The .doc files are made in the test from generated .docx files by LibreOffice itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from zhenggai.fiction import generate_report
from zhenggai.fiction.table_out import ledger_table, to_table_docx_bytes
from zhenggai.ingest import IngestError, ParseOptions, parse_bytes
from zhenggai.ingest.errors import CorruptFile, EncryptedFile, UnsupportedFormat

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed; scripts/setup.sh installs it"
)


def _soffice(tmp: Path, target: str, source: Path) -> Path:
    """Convert with LibreOffice in a profile of the test's own (never the user's)."""
    profile = (tmp / "test-profile").as_uri()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    return tmp / f"{source.stem}.{target.split(':')[0]}"


@pytest.fixture(scope="module")
def ledger_doc(tmp_path_factory):
    """A generated ledger table saved by LibreOffice as an old binary .doc (by way of .odt, which keeps
    the table where a direct .docx → .doc export flattens it)."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed; scripts/setup.sh installs it")
    tmp = tmp_path_factory.mktemp("doc")
    table = ledger_table(generate_report(3))
    source = tmp / "台账.docx"
    source.write_bytes(to_table_docx_bytes(table))
    odt = _soffice(tmp, "odt", source)
    doc = _soffice(tmp, "doc:MS Word 97", odt)
    return table, doc.read_bytes()


def _one_line(error: IngestError) -> str:
    assert error.message and "\n" not in error.message and "Traceback" not in error.message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error.message)
    return error.message


@needs_soffice
def test_an_old_doc_ledger_is_converted_and_parsed(ledger_doc):
    table, data = ledger_doc
    assert data.startswith(b"\xd0\xcf\x11\xe0")
    started = time.perf_counter()
    doc = parse_bytes(data, "台账.doc")
    elapsed = time.perf_counter() - started
    assert doc.findings == table.truth.findings
    assert doc.inspection.unit == table.truth.inspection.unit
    assert elapsed < 120, elapsed  # a conversion takes seconds; generous for a loaded two-core machine


@needs_soffice
def test_the_same_file_named_wps_is_read_the_same_way(ledger_doc):
    table, data = ledger_doc
    assert parse_bytes(data, "台账.wps").findings == table.truth.findings


@needs_soffice
def test_a_truncated_doc_is_refused_in_one_chinese_line(ledger_doc):
    _, data = ledger_doc
    with pytest.raises(IngestError) as caught:
        parse_bytes(data[:1500], "残缺.doc")
    _one_line(caught.value)


@pytest.mark.parametrize(
    "data", [b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, "这只是一段文字,不是文档".encode("gbk") + b"\x00\x01\x02" * 50]
)
def test_a_doc_that_is_really_something_else_is_refused(data):
    with pytest.raises(IngestError) as caught:
        parse_bytes(data, "报告.doc")
    assert isinstance(caught.value, CorruptFile | UnsupportedFormat)
    _one_line(caught.value)


def test_an_encrypted_wps_is_named_encrypted_before_anything_runs():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2000
    with pytest.raises(EncryptedFile) as caught:
        parse_bytes(data, "加密.wps", ParseOptions(convert_timeout=1))
    assert "加密" in _one_line(caught.value)


@needs_soffice
def test_a_garbage_wps_is_refused_in_one_chinese_line():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096)
    with pytest.raises(IngestError) as caught:
        parse_bytes(data, "乱码.wps")
    _one_line(caught.value)


@needs_soffice
def test_the_time_limit_kills_the_conversion_and_leaves_nothing_running(ledger_doc):
    _, data = ledger_doc
    with pytest.raises(CorruptFile) as caught:
        parse_bytes(data, "台账.doc", ParseOptions(convert_timeout=0.05))
    assert "秒" in _one_line(caught.value)
    time.sleep(0.5)
    assert not _conversions_running()


def _conversions_running() -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\x00", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if "zhenggai-convert-" in command:
                found.append(command)
    return found


def test_without_libreoffice_the_message_says_so(monkeypatch):
    monkeypatch.setenv("ZHENGGAI_SOFFICE", "")
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000 + "WordDocument".encode("utf-16-le") + b"\x00" * 1000
    with pytest.raises(UnsupportedFormat) as caught:
        parse_bytes(data, "旧报告.doc")
    assert "LibreOffice" in _one_line(caught.value)


@pytest.mark.parametrize("name", ["残缺.doc", "乱码.wps"])
def test_cli_parse_of_a_bad_old_document_fails_in_one_line(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 300)
    env = {**os.environ, "ZHENGGAI_SOFFICE": os.environ.get("ZHENGGAI_SOFFICE", "soffice")}
    done = subprocess.run(
        [sys.executable, "-m", "zhenggai.cli", "parse", str(path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
