"""PDF through LibreOffice: CJK fonts embedded (Fandol for 仿宋, 楷体 and 黑体, Noto CJK for the rest), a page count that fits 28 × 22, the first
two pages rendered to PNG, clear errors without LibreOffice or on a timeout."""

from __future__ import annotations

import math
import struct
import subprocess
from datetime import date

import pytest

from tests.conftest import sample_files
from tests.outputs.conftest import NEEDS_POPPLER, NEEDS_SOFFICE, gold_of
from tests.outputs.looks import HALF_WIDTH_BETWEEN_HAN
from zhenggai.ingest import parse_bytes, parse_file
from zhenggai.outputs import PdfFailed, PdfUnavailable, ReportContext, compose
from zhenggai.outputs import pdf as pdf_module
from zhenggai.outputs.docx_gbt import to_docx

LARGEST = max(sample_files(".txt"), key=lambda p: p.stat().st_size) if sample_files(".txt") else None


@pytest.fixture(scope="module")
def largest_pdf(tmp_path_factory):
    if LARGEST is None:
        pytest.skip("../shared/samples is not present")
    composed = compose(parse_file(LARGEST), ReportContext(as_of=date(2024, 8, 30)))
    data = pdf_module.docx_to_pdf(to_docx(composed))
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(data)
    return composed, path


def expected_pages(composed) -> float:
    """Pages at 28 characters × 22 lines: each paragraph's lines (two characters of indent, ASCII
    half a character), the title's two lines at 2号, one blank line under the title and above the signature."""
    lines = 4
    for block in composed.blocks:
        width = sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in block.full_text) + 2
        lines += math.ceil(width / (20 if block.role == "title" else 28))
    return lines / 22


@NEEDS_SOFFICE
@NEEDS_POPPLER
def test_fonts_are_embedded_fandol_and_noto_cjk(largest_pdf):
    """仿宋 and 楷体 in Fandol (with FandolHei for 黑体), the 小标宋 title and 宋体 page numbers in Noto
    Serif CJK; all embedded. Without the Fandol fonts installed the PDF falls back to Noto for all."""
    _, path = largest_pdf
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    names = [row[0].split("+", 1)[-1] for row in rows]
    assert all(name.startswith(("Fandol", "NotoSerifCJK", "NotoSansCJK")) for name in names), names
    fandol = subprocess.run(["fc-list", ":family=FandolFang"], capture_output=True, text=True).stdout.strip()
    if fandol:
        assert {"FandolFang-Regular", "FandolKai-Regular", "FandolHei-Regular"} <= set(names), names
    assert any(name.startswith("NotoSerifCJK") for name in names)  # the title
    # columns: name type encoding emb sub uni object ID (type may be two words)
    assert all(row[-5] == "yes" for row in rows), out


@NEEDS_SOFFICE
@NEEDS_POPPLER
def test_no_half_width_punctuation_between_chinese_in_the_sample_pdf(largest_pdf):
    _, path = largest_pdf
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert not HALF_WIDTH_BETWEEN_HAN.findall(text)


@NEEDS_SOFFICE
@NEEDS_POPPLER
def test_page_count_fits_28_characters_by_22_lines(largest_pdf):
    composed, path = largest_pdf
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    assert "595" in size and "841" in size  # A4 in points
    expected = expected_pages(composed)
    # headings kept with their text leave a few lines empty at the foot of some pages
    assert expected * 0.95 <= pages <= expected * 1.3 + 1, (pages, expected)


@NEEDS_SOFFICE
@NEEDS_POPPLER
def test_first_two_pages_render_to_png(largest_pdf, tmp_path):
    _, path = largest_pdf
    subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "2", "-png", str(path), str(tmp_path / "page")], check=True
    )
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == 2
    for png in pngs:
        head = png.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", head[16:24])
        assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi


@NEEDS_SOFFICE
def test_pdf_reads_back_as_the_same_ledger(largest_pdf, scorer):
    _, path = largest_pdf
    result = scorer.score(gold_of(LARGEST), parse_bytes(path.read_bytes(), "report.pdf").to_dict())
    assert (result["leaf_f1"], result["ancestry"], result["measures"]) == (1.0, 1.0, 1.0), result


def test_without_libreoffice_the_message_says_what_to_do(monkeypatch):
    monkeypatch.setenv("ZHENGGAI_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(PdfUnavailable) as caught:
        pdf_module.docx_to_pdf(b"PK")
    assert "LibreOffice" in caught.value.message and ".docx" in caught.value.message


def test_a_conversion_that_hangs_is_killed(monkeypatch, tmp_path):
    slow = tmp_path / "soffice"
    slow.write_text("#!/bin/sh\nsleep 30\n")
    slow.chmod(0o755)
    monkeypatch.setenv("ZHENGGAI_SOFFICE", str(slow))
    with pytest.raises(PdfFailed) as caught:
        pdf_module.docx_to_pdf(b"PK", timeout=0.5)
    assert "超时" in caught.value.message


def test_a_failed_conversion_is_reported(monkeypatch, tmp_path):
    failing = tmp_path / "soffice"
    failing.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    failing.chmod(0o755)
    monkeypatch.setenv("ZHENGGAI_SOFFICE", str(failing))
    with pytest.raises(PdfFailed) as caught:
        pdf_module.docx_to_pdf(b"PK")
    assert "source file could not be loaded" in caught.value.message


def test_fontconfig_includes_the_system_and_the_aliases(tmp_path):
    config = pdf_module.fontconfig_file(tmp_path).read_text(encoding="utf-8")
    assert "/etc/fonts/fonts.conf" in config and str(pdf_module.ALIASES) in config
    aliases = pdf_module.ALIASES.read_text(encoding="utf-8")
    for name in ("仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"):
        assert f"<string>{name}</string>" in aliases
