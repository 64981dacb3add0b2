"""Checked by looking: every document type rendered to PDF matches its reference page images, and reads
back with the fonts, punctuation, headings and page numbers of a 公文 (see tests/outputs/looks.py)."""

from __future__ import annotations

import re

import pytest

from tests.outputs.conftest import NEEDS_POPPLER, NEEDS_SOFFICE
from tests.outputs.looks import (
    DOCUMENT_TYPES,
    HALF_WIDTH_BETWEEN_HAN,
    compare_with_references,
    composed_of,
    embedded_fonts,
    headings_at_page_foot,
    identical,
    lines_starting_with_closing_punctuation,
    page_images,
    page_numbers,
    pdf_pages_text,
    reference_paths,
    render_pdf,
)
from tests.support.browser import MARKS as BROWSER
from zhenggai.outputs import docx_layout

pytestmark = [NEEDS_SOFFICE, NEEDS_POPPLER]


def params(kinds) -> list:
    """The document types as parameters; the web page's printed by Chromium carry the browser marks."""
    return [pytest.param(kind, id=kind.name, marks=BROWSER if kind.medium == "html" else ()) for kind in kinds]


DOCX_TYPES = [kind for kind in DOCUMENT_TYPES if kind.medium == "docx"]
WEB_PAGE = next(kind for kind in DOCUMENT_TYPES if kind.medium == "html")


def fandol_installed() -> bool:
    import subprocess

    out = subprocess.run(["fc-list", ":family=FandolFang"], capture_output=True, text=True).stdout
    return bool(out.strip())


NEEDS_FANDOL = pytest.mark.skipif(not fandol_installed(), reason="Fandol fonts missing: bash scripts/install_fonts.sh")


@pytest.fixture(scope="module")
def pdfs():
    """Each document type rendered once, on first use (the web page only where Chromium runs)."""

    class Rendered(dict):
        def __missing__(self, name: str) -> bytes:
            self[name] = render_pdf(next(kind for kind in DOCUMENT_TYPES if kind.name == name))
            return self[name]

    return Rendered()


@NEEDS_FANDOL
@pytest.mark.parametrize("kind", params(DOCUMENT_TYPES))
def test_pages_match_the_reference_images(pdfs, kind):
    assert reference_paths(kind), "python -m tests.outputs.refresh_references"
    assert compare_with_references(kind, pdfs[kind.name]) == []


@NEEDS_FANDOL
@pytest.mark.parametrize("kind", params(DOCX_TYPES))  # Chromium's PDF keeps no font names
def test_pdf_embeds_fandol_fang_and_kai(pdfs, kind):
    fonts = embedded_fonts(pdfs[kind.name])
    names = {name for name, _ in fonts}
    assert {"FandolFang-Regular", "FandolKai-Regular", "FandolHei-Regular"} <= names, names
    assert all(embedded for _, embedded in fonts), fonts
    assert not any("DejaVu" in name or "Liberation" in name for name in names)


@pytest.mark.parametrize("kind", params(DOCUMENT_TYPES))
def test_pdf_text_follows_the_rules_of_a_gongwen(pdfs, kind):
    pages = pdf_pages_text(pdfs[kind.name])
    text = "".join(pages)
    assert "规则》，于7月19日完成整改：建立台账；逐项销号" in re.sub(r"\s+", "", text)  # planted half-width marks
    assert "通报（试行）" in re.sub(r"\s+", "", text)
    assert not HALF_WIDTH_BETWEEN_HAN.findall(text)
    assert page_numbers(pages) == list(range(1, len(pages) + 1))
    assert headings_at_page_foot(pages, composed_of(kind)) == []
    assert lines_starting_with_closing_punctuation(pages) == []


def test_an_overdue_task_without_a_reason_gets_no_made_up_sentence(pdfs):
    text = re.sub(r"\s+", "", "".join(pdf_pages_text(pdfs["progress-full"])))
    assert "原因：涉及跨部门协调，需待上级批复。" in text
    assert "未说明原因" not in text and text.count("原因：") == 1


@pytest.mark.parametrize("kind", params([DOCX_TYPES[0], WEB_PAGE]))
def test_two_renders_are_identical(pdfs, kind):
    first, second = page_images(pdfs[kind.name]), page_images(render_pdf(kind))
    assert identical(first, second)


@NEEDS_FANDOL
def test_the_image_check_fails_when_a_heading_style_changes(monkeypatch):
    """(一) headings set in 黑体 instead of 楷体: the comparison must report the pages that show them."""
    kind = DOCUMENT_TYPES[0]
    changed = {**docx_layout.STYLES["GbHeading2"], "font": docx_layout.FONT_LEVEL_1}
    monkeypatch.setitem(docx_layout.STYLES, "GbHeading2", changed)
    report = compare_with_references(kind, render_pdf(kind))
    assert report and all("pixels differ" in line for line in report), report
