"""The parser on reports it has never seen: our generator's fictional reports in every numbering style,
format and encoding, compared with the truth the generator knows."""

from __future__ import annotations

import shutil
import statistics
import subprocess

import pytest

from tests.support.compare import agreement
from zhenggai.fiction.generate import generate_report
from zhenggai.fiction.render import to_docx_bytes, to_html_bytes, to_text
from zhenggai.ingest import parse_bytes
from zhenggai.ingest.normalise import display_width

SEEDS = range(1000, 1080)

RENDERINGS = {
    "txt-utf8": (lambda r: to_text(r).encode("utf-8"), "txt", {}),
    "txt-gb18030": (lambda r: to_text(r).encode("gb18030"), "txt", {}),
    "docx-auto-numbering": (lambda r: to_docx_bytes(r, auto_numbering=True), "docx", {}),
    "html-gbk": (lambda r: to_html_bytes(r, encoding="gbk"), "html", {}),
    "html-traditional": (lambda r: to_html_bytes(r, traditional=True), "html", {"traditional": True}),
}


@pytest.mark.parametrize("rendering", sorted(RENDERINGS))
def test_generated_reports_are_rebuilt_as_their_truth(rendering):
    render, container, truth_options = RENDERINGS[rendering]
    results = []
    for seed in SEEDS:
        report = generate_report(seed)
        parsed = parse_bytes(render(report), f"fiction-{seed}.{container}")
        results.append(agreement(report.to_ledger(container=container, **truth_options), parsed))
    mean = {
        k: statistics.fmean(getattr(r, k) for r in results)
        for k in ("leaves", "ancestry", "measures", "statuses", "fields")
    }
    exact = sum(r.exact for r in results) / len(results)
    assert mean["leaves"] >= 0.97, mean
    assert mean["ancestry"] >= 0.95, mean
    assert mean["measures"] >= 0.95, mean
    assert mean["statuses"] >= 0.95, mean
    assert mean["fields"] >= 0.98, mean
    assert exact >= 0.85, (exact, mean)


@pytest.fixture(scope="module")
def generated_pdfs(tmp_path_factory):
    """Generated reports as Word writes them, printed to PDF by LibreOffice (one conversion run)."""
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed; scripts/setup.sh installs it")
    folder = tmp_path_factory.mktemp("pdf")
    seeds = range(2000, 2010)
    for seed in seeds:
        (folder / f"f{seed}.docx").write_bytes(to_docx_bytes(generate_report(seed), auto_numbering=True))
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder)]
        + [str(folder / f"f{seed}.docx") for seed in seeds],
        capture_output=True,
        timeout=300,
        check=True,
    )
    return {seed: (folder / f"f{seed}.pdf").read_bytes() for seed in seeds}


def test_generated_reports_printed_to_pdf_are_rebuilt_as_their_truth(generated_pdfs):
    for seed, data in generated_pdfs.items():
        report = generate_report(seed)
        parsed = parse_bytes(data, f"f{seed}.pdf")
        result = agreement(report.to_ledger(container="docx"), parsed)
        assert result.exact, (seed, result)


def hard_wrapped(text: str, width: float = 28) -> str:
    """The text as a fixed-width copy from a PDF: every paragraph broken at `width` ems."""
    lines = []
    for paragraph in text.splitlines():
        line, used = "", 0.0
        for ch in paragraph:
            w = display_width(ch)
            if used + w > width:
                lines.append(line)
                line, used = "", 0.0
            line, used = line + ch, used + w
        lines.append(line)
    return "\n".join(lines)


def test_plain_text_broken_at_a_fixed_width_is_rejoined():
    results = []
    for seed in range(3000, 3040):
        report = generate_report(seed)
        parsed = parse_bytes(hard_wrapped(to_text(report)).encode(), f"wrapped-{seed}.txt")
        results.append(agreement(report.to_ledger(container="txt"), parsed))
    assert statistics.fmean(r.leaves for r in results) >= 0.9
    assert statistics.fmean(r.fields for r in results) >= 0.9
