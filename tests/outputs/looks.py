"""The documents as a reader sees them: each document type rendered to PDF, then to small page images
compared with reference PNGs kept in tests/outputs/references, and read back as text for the rules of
公文 typesetting. Shared by test_looks.py and the command that updates the references on purpose:

    python -m tests.outputs.refresh_references

The documents are made from fixed fictional data (a seeded `zhenggai.fiction` report with fixed dates
and a few half-width marks planted in its text), so a render changes only when the layout does.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from PIL import Image, ImageChops

from zhenggai.ingest.ledgerdoc import LedgerDocument
from zhenggai.outputs import Composed, LateItem, ReportContext, ReportKind, Sections, Version, compose
from zhenggai.outputs.context import ResultLine
from zhenggai.outputs.docx_gbt import to_docx
from zhenggai.outputs.html_page import to_html
from zhenggai.outputs.pdf import docx_to_pdf

REFERENCES = Path(__file__).resolve().parent / "references"
DPI = 40  # A4 at 40 dpi is 331 × 468 pixels, about 20 KB a greyscale page
AS_OF = date(2025, 3, 31)
SEED = 7
# A pixel differs when its grey level moved by more than INK_STEP; a page differs when more than
# PAGE_SHARE of its pixels do (a heading set in another face moves 0.3 % to 0.6 % of a page, two renders none).
INK_STEP = 48
PAGE_SHARE = 0.001


@dataclass(frozen=True)
class DocumentType:
    """One document the system prints: a report kind in a version."""

    name: str
    kind: ReportKind
    version: Version
    medium: str = "docx"  # docx: the .docx through LibreOffice; html: the web page printed by Chromium


DOCUMENT_TYPES = (
    DocumentType("public-full", ReportKind.PUBLIC, Version.FULL),  # 整改情况公布稿, 党内版(全文)
    DocumentType("public-public", ReportKind.PUBLIC, Version.PUBLIC),  # 整改情况公布稿, 公开版
    DocumentType("progress-full", ReportKind.PROGRESS, Version.FULL),  # 整改进展情况报告
    DocumentType("web-page", ReportKind.PUBLIC, Version.PUBLIC, "html"),  # 网页版, printed from the browser
)


def demo_ledger() -> LedgerDocument:
    """A fictional inspection's ledger, the same on every run, with half-width punctuation planted
    between Chinese characters as units' spreadsheets carry it."""
    from zhenggai.fiction import generate_report

    doc = generate_report(SEED, aspects=2, middle="none", items=(3, 3), measures=(2, 2), statuses="mixed",
                          show_status="all", year=2024).to_ledger()  # fmt: skip
    first = doc.findings[0].children[0] if doc.findings[0].children else doc.findings[0]
    first.title = first.title.rstrip("。") + ",已于6月19日通报(试行)。"
    first.measures[0] = "依据《议事规则》,于7月19日完成整改:建立台账;逐项销号。"
    return doc


def demo_context(kind: ReportKind, version: Version) -> ReportContext:
    """Fixed dates; the second aspect exempt from the public version; two late tasks, one without a reason."""
    doc = demo_ledger()
    late_leaf = doc.findings[1].children[0] if doc.findings[1].children else doc.findings[1]
    first_leaf = doc.findings[0].children[1] if doc.findings[0].children else doc.findings[0]
    late = (
        LateItem((0, 1), first_leaf.title, first_leaf.measures[0], 0, date(2025, 2, 28), 31, department="办公室",
                 reason="涉及跨部门协调,需待上级批复"),
        LateItem((1, 0), late_leaf.title, late_leaf.measures[0], 0, date(2025, 1, 31), 59),
    )  # fmt: skip
    return ReportContext(
        kind=kind,
        version=version,
        as_of=AS_OF,
        late=late,
        exempt_findings=frozenset({(1,)}),
        results=DEMO_RESULTS,
        sections=Sections(
            mark="内部资料 注意保存",
            doc_number="示例党〔2025〕3号",
            copy_to="县纪委监委、县委巡察办",
            issuer="示例单位党组办公室",
            issued_on=date(2025, 4, 2),
        ),
    )


# one result of every kind, the amounts with the decimals a unit typed
DEMO_RESULTS = (
    ResultLine("rule", "建立制度", "巡河工作制度"),
    ResultLine("rule", "修订制度", "党组议事规则"),
    ResultLine("money", "退缴资金", "退缴津贴补贴", amount=Decimal("12.345")),
    ResultLine("money", "追回资金", "追回工程款", amount=Decimal("0.50")),
    ResultLine("money", "挽回损失", "挽回采砂损失", amount=Decimal("3")),
    ResultLine("people", "党纪政务处分", "违规发放津贴补贴问题", count=1),
    ResultLine("people", "组织处理", "巡河记录造假问题", count=2),
    ResultLine("people", "诫勉谈话", "采砂监管不力问题", count=1),
    ResultLine("people", "批评教育/提醒谈话", "防汛物资管理问题", count=3),
    ResultLine("meeting", "专题会议", "整改专题会议", count=2),
)


def composed_of(kind: DocumentType) -> Composed:
    return compose(demo_ledger(), demo_context(kind.kind, kind.version))


def render_pdf(kind: DocumentType) -> bytes:
    if kind.medium == "html":
        return print_page(to_html(composed_of(kind)))
    return docx_to_pdf(to_docx(composed_of(kind)))


def print_page(html: bytes) -> bytes:
    """The web page as Debian's chromium prints it (its print stylesheet: A4, margins, page numbers)."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser import ARGS, CHROMIUM

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = chromium.new_page()
            page.set_content(html.decode("utf-8"), wait_until="load")
            return page.pdf(prefer_css_page_size=True, print_background=False)
        finally:
            chromium.close()


def page_images(pdf: bytes) -> list[Image.Image]:
    """The pages as greyscale images at DPI."""
    with tempfile.TemporaryDirectory(prefix="zhenggai-looks-") as name:
        source = Path(name) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(source), f"{name}/page"], check=True)
        return [_load(png) for png in sorted(Path(name).glob("page-*.png"))]


def _load(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("L")


def identical(first: list[Image.Image], second: list[Image.Image]) -> bool:
    """Whether two renders have the same pages, pixel for pixel."""
    return len(first) == len(second) and all(
        a.size == b.size and ImageChops.difference(a, b).getbbox() is None for a, b in zip(first, second, strict=True)
    )


def reference_paths(kind: DocumentType) -> list[Path]:
    return sorted(REFERENCES.glob(f"{kind.name}-*.png"))


def save_references(kind: DocumentType, pages: list[Image.Image]) -> list[Path]:
    """Replace the reference images of `kind` by `pages`."""
    REFERENCES.mkdir(parents=True, exist_ok=True)
    for old in reference_paths(kind):
        old.unlink()
    paths = []
    for number, page in enumerate(pages, 1):
        path = REFERENCES / f"{kind.name}-{number:02d}.png"
        page.save(path, optimize=True)
        paths.append(path)
    return paths


def differences(pages: list[Image.Image], references: list[Image.Image]) -> list[str]:
    """What differs between a render and its references, one line a page; empty when they match."""
    if len(pages) != len(references):
        return [f"{len(pages)} pages instead of {len(references)}"]
    out = []
    for number, (page, reference) in enumerate(zip(pages, references, strict=True), 1):
        if page.size != reference.size:
            out.append(f"page {number}: {page.size} instead of {reference.size}")
            continue
        moved = sum(ImageChops.difference(page, reference).histogram()[INK_STEP + 1 :])
        share = moved / (page.size[0] * page.size[1])
        if share > PAGE_SHARE:
            out.append(f"page {number}: {share:.2%} of the pixels differ (at most {PAGE_SHARE:.2%})")
    return out


def compare_with_references(kind: DocumentType, pdf: bytes) -> list[str]:
    references = [_load(path) for path in reference_paths(kind)]
    if not references:
        return [f"no reference images for {kind.name}: run python -m tests.outputs.refresh_references"]
    return differences(page_images(pdf), references)


# Reading the PDF back as text.

HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
HALF_WIDTH_BETWEEN_HAN = re.compile(rf"[{HAN}]\s*[,:;]\s*[{HAN}]")
# Marks GB/T 15834 keeps from the start of a line (an ellipsis may start one).
CLOSING = tuple("，。；：、！？）》」』】”’")
PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")


def pdf_pages_text(pdf: bytes) -> list[str]:
    """The text of each page, in reading order (pdftotext; pages split at form feeds)."""
    with tempfile.TemporaryDirectory(prefix="zhenggai-looks-") as name:
        source = Path(name) / "doc.pdf"
        source.write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(source), "-"], capture_output=True, check=True).stdout
    pages = text.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def embedded_fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(base font name without the subset tag, embedded) for each font of the PDF (pdffonts)."""
    with tempfile.TemporaryDirectory(prefix="zhenggai-looks-") as name:
        source = Path(name) / "doc.pdf"
        source.write_bytes(pdf)
        out = subprocess.run(["pdffonts", str(source)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    # columns: name type (one or two words) encoding emb sub uni object ID
    return [(row[0].split("+", 1)[-1], row[-5] == "yes") for row in rows]


def lines_of(page: str) -> list[str]:
    return [re.sub(r"\s+", "", line) for line in page.splitlines() if line.strip()]


def page_numbers(pages: list[str]) -> list[int]:
    numbers = []
    for page in pages:
        found = [int(m.group(1)) for line in lines_of(page) if (m := PAGE_NUMBER.match(line))]
        numbers.append(found[-1] if found else 0)
    return numbers


def headings_at_page_foot(pages: list[str], composed: Composed) -> list[str]:
    """Lines that end a page (page number aside) and belong to a heading: a heading, or its first
    lines, left at the foot of a page."""
    headings = [re.sub(r"\s+", "", b.full_text) for b in composed.blocks if b.role == "heading"]
    others = [re.sub(r"\s+", "", b.full_text) for b in composed.blocks if b.role != "heading"]
    found = []
    for page in pages[:-1]:
        body = [line for line in lines_of(page) if not PAGE_NUMBER.match(line)]
        if not body:
            continue
        last = body[-1]
        if any(last in h for h in headings) and not any(last in o for o in others):
            found.append(last)
    return found


def lines_starting_with_closing_punctuation(pages: list[str]) -> list[str]:
    return [line for page in pages for line in lines_of(page) if line.startswith(CLOSING)]
