"""The PDF reader: page furniture removed, lines re-joined by layout, encrypted/scanned/broken files refused."""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import pytest

from tests.conftest import SAMPLES
from zhenggai.ingest.errors import CorruptFile, EncryptedFile, IngestError, NoTextLayer, TooLarge
from zhenggai.ingest.options import ParseOptions
from zhenggai.ingest.readers.docx import DocxReader
from zhenggai.ingest.readers.pdf import Line, PdfReader, join_by_layout, remove_furniture, text_width

SAMPLE = SAMPLES / "002_edfa2734dba5d0d5.pdf"
OPTIONS = ParseOptions()
FOOTER = re.compile(r"^[-—―–\s]*\d+[-—―–\s]*$|^第\s*\d+\s*页|^\d+\s*/\s*\d+$")


def make_pdf(pages: list[list[tuple]], encrypt: bool = False) -> bytes:
    """A PDF whose pages hold the given (y, text) or (x, y, text) lines in Helvetica 11 pt; `encrypt`
    protects it with a password nobody knows."""
    objects: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    page_ids = [4 + 2 * i for i in range(len(pages))]
    kids = b" ".join(b"%d 0 R" % pid for pid in page_ids)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages))
    objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    for pid, lines in zip(page_ids, pages, strict=True):
        ops = []
        for entry in lines:
            x, y, text = entry if len(entry) == 3 else (72, *entry)
            raw = text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            ops.append(b"BT /F1 11 Tf %d %d Td (%s) Tj ET" % (x, y, raw))
        stream = b"\n".join(ops)
        objects[pid] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (pid + 1)
        )
        objects[pid + 1] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    trailer_extra = b""
    if encrypt:
        eid = max(objects) + 1
        objects[eid] = b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <%s> /U <%s> >>" % (b"11" * 32, b"22" * 32)
        trailer_extra = b" /Encrypt %d 0 R /ID [<%s><%s>]" % (eid, b"0f" * 16, b"0f" * 16)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for oid in sorted(objects):
        offsets[oid] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (oid, objects[oid])
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for oid in range(1, size):
        out += b"%010d 00000 n \n" % offsets[oid]
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer_extra, xref)
    return bytes(out)


def _page(number: int, body: list[str], header: str | None = "County Audit Office Bulletin") -> list[tuple[int, str]]:
    lines = [(800, header)] if header else []
    lines += [(700 - 14 * i, text) for i, text in enumerate(body)]
    lines.append((50, f"— {number} —"))
    return lines


def _body(n: int) -> list[str]:
    """Two lines of page n that differ from other pages in more than their digits."""
    word = "甲乙丙丁戊己庚辛"[n]
    return [f"某某单位正文{word}之一", f"某某单位正文{word}之二"]


def _read(data: bytes, options: ParseOptions = OPTIONS):
    return PdfReader().read(data, options)


def _error(data: bytes, options: ParseOptions = OPTIONS) -> IngestError:
    with pytest.raises(IngestError) as caught:
        PdfReader().read(data, options)
    message = caught.value.message
    assert re.search(r"[\u4e00-\u9fff]", message) and "\n" not in message
    return caught.value


# ---- the sample -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(samples_dir):
    return _read(SAMPLE.read_bytes())


def test_the_sample_pdf_is_rejoined_into_paragraphs_by_layout(sample):
    docx_count = len(DocxReader().read((SAMPLES / "002_edfa2734dba5d0d5.docx").read_bytes(), OPTIONS).paragraphs)
    assert sample.wrapped is False
    assert abs(len(sample.paragraphs) - docx_count) <= 2  # a centred title may stay in two lines
    assert all(line == line.strip() and line for line in sample.paragraphs)


def test_spaces_pdfium_invents_between_chinese_and_digits_are_removed(sample):
    assert not [p for p in sample.paragraphs if re.search(r"\d [年月日个]|[年月] \d", p)]


def test_the_sample_pdf_has_no_page_number_lines_left(sample):
    assert not [line for line in sample.paragraphs if FOOTER.match(line)]


def test_the_sample_pdf_keeps_its_labels_at_paragraph_starts(sample):
    numbers = [int(m.group(1)) for line in sample.paragraphs if (m := re.match(r"\((\d+)\)", line))]
    assert numbers == list(range(1, 31))
    assert {"一、", "二、", "三、"} <= {line[:2] for line in sample.paragraphs}
    assert not [p for p in sample.paragraphs if re.search(r".[(]\d+[)]针对", p)]  # none glued to a line before


def test_the_sample_pdf_is_sniffed_as_pdf(samples_dir):
    assert PdfReader().sniff(SAMPLE.read_bytes()[:8192])


# ---- page furniture ---------------------------------------------------------------------------------


def test_page_numbers_and_running_headers_are_removed_from_a_generated_pdf():
    words = ["alpha", "bravo", "charlie", "delta", "echo"]
    body = [[f"Body text {words[n]} line {words[i]}" for i in range(3)] for n in range(1, 5)]
    pages = [_page(n, lines) for n, lines in enumerate(body, start=1)]
    assert _read(make_pdf(pages)).paragraphs == [line for lines in body for line in lines]


@pytest.mark.parametrize("footer", ["— {n} —", "- {n} -", "―{n}―", "第{n}页", "第 {n} 页 共 9 页", "{n}/9", "{n}"])
def test_page_number_styles_at_the_page_edge_are_recognised(footer):
    body = [_body(n) for n in range(1, 4)]
    pages = [[*lines, footer.format(n=n)] for n, lines in enumerate(body, start=1)]
    assert remove_furniture(pages) == body


def test_page_numbers_may_sit_at_the_top_of_the_page():
    body = [_body(n) for n in range(1, 4)]
    pages = [[f"- {n} -", *lines] for n, lines in enumerate(body, start=1)]
    assert remove_furniture(pages) == body


def test_a_bare_number_that_does_not_count_the_pages_is_kept():
    pages = [["正文甲", "合计", "30"], ["正文乙", "小计", "2"], ["正文丙", "总数", "7"]]
    assert remove_furniture(pages) == pages


def test_a_running_header_with_changing_digits_is_removed():
    body = [_body(n) for n in range(1, 5)]
    pages = [[f"某某县纪委 2023年第{n}期", *lines, f"第{n}页"] for n, lines in enumerate(body, start=1)]
    assert remove_furniture(pages) == body


def test_a_short_line_repeated_on_few_pages_is_content():
    pages = [["整改情况:", "正文甲", "正文乙"], ["整改情况:", "正文丙", "正文丁"]]
    pages += [_body(n) for n in range(3, 7)]
    assert remove_furniture(pages) == pages


def test_decorated_numbers_in_the_middle_of_a_page_are_kept():
    pages = [["正文甲", "正文乙", "3/4", "正文丙", "正文丁"]]
    assert remove_furniture(pages) == pages


# ---- re-joining lines by layout ---------------------------------------------------------------------

LEFT, RIGHT, EM = 80.0, 520.0, 16.0


def _at(text: str, indent: float = 0.0, full: bool = False) -> Line:
    """A line set in 16 pt type at `indent` ems from the left margin, running to the right one if `full`."""
    x0 = LEFT + indent * EM
    return Line.at(text, x0, RIGHT if full else x0 + text_width(text) * EM)


def _official_page() -> list[Line]:
    return [
        _at("某某单位关于巡察整改情况的通报", indent=6),  # centred title
        _at("一、总体情况", indent=2),
        _at("某某单位高度重视巡察整改工作,成立领", indent=2, full=True),
        _at("导小组,逐项制定整改措施。"),
        _at("(1)针对某某问题的整改情况,已经", indent=2, full=True),
        _at("完成整改并建立长效机制,今后将持续", full=True),
    ]


def test_lines_are_joined_where_they_start_at_the_left_margin():
    second_page = [_at("抓好落实。"), _at("某某单位党委", indent=20)]
    assert join_by_layout([_official_page(), second_page]) == [
        "某某单位关于巡察整改情况的通报",
        "一、总体情况",
        "某某单位高度重视巡察整改工作,成立领导小组,逐项制定整改措施。",
        "(1)针对某某问题的整改情况,已经完成整改并建立长效机制,今后将持续抓好落实。",  # across the page break
        "某某单位党委",  # the right-aligned signature stands alone
    ]


def test_a_short_line_that_ends_a_sentence_ends_the_paragraph():
    page = [*_official_page(), _at("某某单位另起一段但没有缩进的文字")]
    page[-2] = _at("完成整改并建立长效机制。")
    assert join_by_layout([page])[-2:] == [
        "(1)针对某某问题的整改情况,已经完成整改并建立长效机制。",
        "某某单位另起一段但没有缩进的文字",
    ]


def test_a_layout_without_first_line_indents_is_left_to_the_next_steps():
    page = [_at(f"某某单位没有缩进的第{i}行文字内容") for i in range(10)]
    assert join_by_layout([page]) is None
    assert join_by_layout([[Line.at(f"某某单位位置未知的第{i}行") for i in range(10)]]) is None


def test_a_generated_pdf_with_indented_paragraphs_comes_back_as_paragraphs():
    lines = [
        (92, 700, "First paragraph of the bulletin begins here and runs"),
        (72, 686, "on to the second line."),
        (92, 672, "Second paragraph starts with its own indent and it runs"),
        (72, 658, "across a line as well."),
        (92, 644, "Third paragraph, which is only one line."),
        (72, 630, "tail of the third paragraph, wrapped at the margin once more"),
    ]
    extracted = _read(make_pdf([lines]))
    assert extracted.wrapped is False
    assert extracted.paragraphs[0] == "First paragraph of the bulletin begins here and runs on to the second line."


# ---- errors and limits ------------------------------------------------------------------------------


def test_a_pdf_without_text_layer_is_refused_with_ocr_advice():
    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    error = _error(buffer.getvalue())
    assert isinstance(error, NoTextLayer)
    assert "OCR" in error.message


def test_a_few_scanned_pages_among_text_pages_are_noted():
    pages = [
        _page(n, [f"Body text {word}", f"and another {word} line"]) for n, word in enumerate(["ab", "cd", "ef"], 1)
    ]
    pages.append([])
    extracted = _read(make_pdf(pages))
    assert extracted.paragraphs
    assert extracted.notes and "4" in extracted.notes[0]


def test_an_encrypted_pdf_is_refused():
    error = _error(make_pdf([_page(1, ["secret text"])], encrypt=True))
    assert isinstance(error, EncryptedFile)
    assert "加密" in error.message


def test_a_truncated_pdf_is_corrupt(samples_dir):
    data = SAMPLE.read_bytes()
    assert isinstance(_error(data[: len(data) // 2]), CorruptFile)


def test_garbage_behind_a_pdf_header_is_corrupt():
    assert isinstance(_error(b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF\n"), CorruptFile)


def test_more_pages_than_allowed_are_refused():
    data = make_pdf([_page(n, ["Body text"]) for n in range(1, 4)])
    assert isinstance(_error(data, ParseOptions(max_pages=2)), TooLarge)


def test_sniff_finds_the_pdf_signature_only_near_the_start():
    reader = PdfReader()
    assert reader.sniff(b"%PDF-1.4\n")
    assert reader.sniff(b"\r\n" * 100 + b"%PDF-1.7")
    assert not reader.sniff(b" " * 2000 + b"%PDF-1.7")
    assert not reader.sniff(b"PK\x03\x04word/")
