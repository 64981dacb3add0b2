"""The .docx reader: document order, tables, automatic numbering rebuilt, hostile and broken files."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from docx.oxml import parse_xml

from tests.conftest import SAMPLES
from zhenggai.ingest.archive import ArchiveLimits, ArchiveRejected
from zhenggai.ingest.errors import CorruptFile, EncryptedFile, IngestError, TooLarge, UnsupportedFormat
from zhenggai.ingest.options import ParseOptions
from zhenggai.ingest.readers import docx as docx_module
from zhenggai.ingest.readers.docx import DocxReader
from zhenggai.ingest.readers.docx_numbering import format_number

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SAMPLE = SAMPLES / "002_edfa2734dba5d0d5.docx"
OPTIONS = ParseOptions()

# the official-document hierarchy 一、 → (一) → 1. → (1), as a county office would set it up in Word
OFFICIAL_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "(%2)"), ("decimal", "%3."), ("decimal", "(%4)")]


def _abstract(abstract_id: int, levels: list[tuple[str, str]], start: int = 1) -> str:
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    return f'<w:abstractNum {W_NS} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'


def _num(num_id: int, abstract_id: int, start_override: int | None = None) -> str:
    override = ""
    if start_override is not None:
        override = f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start_override}"/></w:lvlOverride>'
    return f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'


def _document(definitions: list[str]) -> docx.document.Document:
    document = docx.Document()
    numbering = document.part.numbering_part.element
    for xml in definitions:
        numbering.append(parse_xml(xml))
    return document


def _numbered(document, text: str, num_id: int, ilvl: int = 0) -> None:
    paragraph = document.add_paragraph(text)
    num_pr = f'<w:numPr {W_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
    paragraph._p.get_or_add_pPr().append(parse_xml(num_pr))


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _read(data: bytes, options: ParseOptions = OPTIONS) -> list[str]:
    return DocxReader().read(data, options).paragraphs


def _is_chinese_one_liner(message: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", message)) and "\n" not in message


# ---- the sample -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_paragraphs(samples_dir) -> list[str]:
    return _read(SAMPLE.read_bytes())


def test_the_sample_docx_gets_its_automatic_labels_back(sample_paragraphs):
    starts = [
        re.match(r"[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.|\(\d+\)", p) for p in sample_paragraphs
    ]
    labels = [m.group(0) for m in starts if m]
    assert labels[:4] == ["一、", "二、", "(一)", "1."]
    assert "三、" in labels
    assert {"(二)", "(三)"} <= set(labels)


def test_the_sample_docx_numbers_its_thirty_specific_problems_in_one_run(sample_paragraphs):
    numbers = [int(m.group(1)) for p in sample_paragraphs if (m := re.match(r"\((\d+)\)", p))]
    assert numbers == list(range(1, 31))


def test_a_list_with_a_start_override_restarts_in_the_sample(sample_paragraphs):
    chinese = [m.group(0) for p in sample_paragraphs if (m := re.match(r"\([一二三四]\)", p))]
    assert chinese == ["(一)", "(二)", "(三)", "(一)", "(二)", "(三)"]


def test_the_sample_docx_keeps_its_title_and_drops_empty_paragraphs(sample_paragraphs):
    assert sample_paragraphs[0] and not re.match(r"[一(]", sample_paragraphs[0])
    assert all(p == p.strip() and p for p in sample_paragraphs)


def test_the_sample_docx_is_sniffed_as_docx(samples_dir):
    assert DocxReader().sniff(SAMPLE.read_bytes()[:8192])


# ---- numbering --------------------------------------------------------------------------------------


def test_nested_automatic_numbering_follows_the_official_hierarchy():
    document = _document([_abstract(90, OFFICIAL_LEVELS), _num(90, 90)])
    for text, level in [
        ("某某单位党委关于第一方面", 0),
        ("关于某问题", 1),
        ("关于某具体表现", 2),
        ("针对某甲问题", 3),
        ("针对某乙问题", 3),
        ("关于另一表现", 2),
        ("针对某丙问题", 3),
        ("关于另一问题", 1),
        ("关于再一表现", 2),
        ("某某单位党委关于第二方面", 0),
        ("关于第二方面的问题", 1),
    ]:
        _numbered(document, text, 90, level)
    labels = [re.match(r"^(.*?)[某关针]", p).group(1) for p in _read(_bytes(document))]
    assert labels == ["一、", "(一)", "1.", "(1)", "(2)", "2.", "(1)", "(二)", "1.", "二、", "(一)"]


def test_chinese_counting_labels_go_past_ten():
    document = _document([_abstract(91, [("chineseCounting", "%1、")]), _num(91, 91)])
    for i in range(21):
        _numbered(document, f"某某事项{i}", 91)
    labels = [p.split("某")[0] for p in _read(_bytes(document))]
    assert labels[8:12] == ["九、", "十、", "十一、", "十二、"]
    assert labels[19:] == ["二十、", "二十一、"]


def test_the_level_start_value_is_honoured():
    document = _document([_abstract(92, [("decimal", "%1.")], start=5), _num(92, 92)])
    _numbered(document, "某某第一项", 92)
    _numbered(document, "某某第二项", 92)
    assert _read(_bytes(document)) == ["5.某某第一项", "6.某某第二项"]


def test_instances_of_one_list_continue_unless_they_override_the_start():
    document = _document([_abstract(93, [("decimal", "(%1)")]), _num(93, 93), _num(94, 93), _num(95, 93, 1)])
    _numbered(document, "甲", 93)
    _numbered(document, "乙", 93)
    _numbered(document, "丙", 94)  # same list, no override: continues
    _numbered(document, "丁", 95)  # startOverride: starts again
    _numbered(document, "戊", 95)
    assert _read(_bytes(document)) == ["(1)甲", "(2)乙", "(3)丙", "(1)丁", "(2)戊"]


def test_numbering_carried_by_the_paragraph_style_is_restored():
    document = _document([_abstract(96, [("chineseCounting", "(%1)")]), _num(96, 96)])
    style = parse_xml(
        f'<w:style {W_NS} w:type="paragraph" w:styleId="FindingHeading"><w:name w:val="Finding Heading"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="96"/></w:numPr></w:pPr></w:style>'
    )
    document.styles.element.append(style)
    document.add_paragraph("某某问题甲", style="Finding Heading")
    document.add_paragraph("整改措施正文")
    document.add_paragraph("某某问题乙", style="Finding Heading")
    assert _read(_bytes(document)) == ["(一)某某问题甲", "整改措施正文", "(二)某某问题乙"]


def test_bullets_give_no_label_and_number_zero_removes_numbering():
    document = _document([_abstract(97, [("bullet", "\uf0b7")]), _num(97, 97)])
    _numbered(document, "某某要点", 97)
    _numbered(document, "不编号的段落", 0)
    assert _read(_bytes(document)) == ["某某要点", "不编号的段落"]


def test_empty_numbered_paragraphs_are_dropped_but_still_counted():
    document = _document([_abstract(98, [("decimal", "%1.")]), _num(98, 98)])
    _numbered(document, "某某第一项", 98)
    _numbered(document, "", 98)
    _numbered(document, "某某第三项", 98)
    assert _read(_bytes(document)) == ["1.某某第一项", "3.某某第三项"]


@pytest.mark.parametrize(
    ("number", "fmt", "expected"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCountingThousand", "十一"),
        (20, "japaneseCounting", "二十"),
        (105, "chineseCounting", "一百零五"),
        (110, "chineseCounting", "一百一十"),
        (11, "chineseLegalSimplified", "壹拾壹"),
        (10, "ideographDigital", "一〇"),
        (2, "ideographTraditional", "乙"),
        (3, "decimalEnclosedCircle", "③"),
        (12, "decimalFullWidth", "１２"),
        (27, "lowerLetter", "aa"),
        (4, "upperRoman", "IV"),
        (7, "someFutureFormat", "7"),
    ],
)
def test_word_number_formats_render_as_word_draws_them(number, fmt, expected):
    assert format_number(number, fmt) == expected


# ---- text and order ---------------------------------------------------------------------------------


def test_table_cells_come_in_document_order_row_by_row():
    document = docx.Document()
    document.add_paragraph("表前段落")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"单元格{r}{c}"
    table.cell(1, 0).add_paragraph("单元格10第二段")
    document.add_paragraph("表后段落")
    assert _read(_bytes(document)) == [
        "表前段落",
        "单元格00",
        "单元格01",
        "单元格10",
        "单元格10第二段",
        "单元格11",
        "表后段落",
    ]


def test_merged_cells_are_read_once():
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "合并单元格"
    table.cell(0, 2).text = "单独单元格"
    assert _read(_bytes(document)) == ["合并单元格", "单独单元格"]


def test_manual_line_breaks_split_paragraphs_and_whitespace_is_stripped():
    document = docx.Document()
    paragraph = document.add_paragraph("  第一行内容 ")
    paragraph.add_run().add_break()
    paragraph.add_run("第二行内容\t")
    document.add_paragraph("   ")
    assert _read(_bytes(document)) == ["第一行内容", "第二行内容"]


def test_hidden_and_deleted_text_is_not_read():
    document = docx.Document()
    paragraph = document.add_paragraph("可见文字")
    hidden = paragraph.add_run("隐藏文字")
    hidden.font.hidden = True
    deleted = parse_xml(f'<w:del {W_NS} w:id="1" w:author="x"><w:r><w:delText>删除文字</w:delText></w:r></w:del>')
    paragraph._p.append(deleted)
    assert _read(_bytes(document)) == ["可见文字"]


def test_title_style_paragraphs_are_returned_as_paragraphs():
    document = docx.Document()
    document.add_heading("某某单位关于巡察整改情况的通报", level=0)
    document.add_paragraph("正文")
    extracted = DocxReader().read(_bytes(document), OPTIONS)
    assert extracted.paragraphs == ["某某单位关于巡察整改情况的通报", "正文"]
    assert extracted.title is None
    assert extracted.wrapped is False


# ---- sniffing ---------------------------------------------------------------------------------------


def test_sniff_claims_docx_but_not_xlsx_pdf_or_plain_zip():
    reader = DocxReader()
    assert reader.sniff(_bytes(docx.Document())[:8192])
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    assert not reader.sniff(xlsx.getvalue()[:8192])
    assert not reader.sniff(b"%PDF-1.7\n")
    assert not reader.sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200)


# ---- errors -----------------------------------------------------------------------------------------


def _error(data: bytes, options: ParseOptions = OPTIONS) -> IngestError:
    with pytest.raises(IngestError) as caught:
        DocxReader().read(data, options)
    assert _is_chinese_one_liner(caught.value.message)
    return caught.value


def test_a_truncated_docx_is_corrupt():
    data = _bytes(docx.Document())
    assert isinstance(_error(data[: len(data) // 2]), CorruptFile)


def test_bytes_that_are_not_a_zip_are_corrupt():
    assert isinstance(_error(b"PK\x03\x04 this is not really a zip archive"), CorruptFile)


def test_a_zip_that_is_not_a_word_document_is_unsupported():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "某某说明")
    assert isinstance(_error(buffer.getvalue()), UnsupportedFormat)


def test_a_password_protected_docx_is_reported_as_encrypted():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000
    ole += "EncryptionInfo".encode("utf-16-le") + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le")
    error = _error(ole + b"\x00" * 2000)
    assert isinstance(error, EncryptedFile)
    assert "加密" in error.message


def test_an_old_binary_doc_read_as_docx_is_unsupported_with_advice_to_save_as_docx():
    """Sniffing hands an old .doc to the legacy reader (LibreOffice); the docx reader itself still refuses it."""
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000 + "WordDocument".encode("utf-16-le")
    assert not DocxReader().sniff(ole)
    error = _error(ole + b"\x00" * 2000)
    assert isinstance(error, UnsupportedFormat)
    assert ".docx" in error.message


def test_a_zip_bomb_document_part_is_refused_before_it_is_inflated():
    document = docx.Document()
    document.add_paragraph("某" * 400_000)  # ~1.2 MB of XML that compresses to almost nothing
    error = _error(_bytes(document))
    assert isinstance(error, ArchiveRejected)
    assert error.code == "archive_ratio"


def test_a_document_part_over_the_xml_limit_is_refused_even_at_a_plain_ratio(monkeypatch):
    document = docx.Document()
    document.add_paragraph("某" * 400_000)
    monkeypatch.setattr(docx_module, "MAX_PART_BYTES", 1024 * 1024)
    error = _error(_bytes(document), ParseOptions(archive=ArchiveLimits(max_ratio=100_000)))
    assert isinstance(error, ArchiveRejected)
    assert "XML 部件“word/document.xml”" in error.message


def test_too_many_paragraphs_are_refused():
    document = docx.Document()
    for i in range(30):
        document.add_paragraph(f"某某段落{i}")
    assert isinstance(_error(_bytes(document), ParseOptions(max_paragraphs=10)), TooLarge)


def test_entity_declarations_in_the_document_xml_are_not_expanded():
    data = _bytes(docx.Document())
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    laughs = (
        '<!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    body = f"<w:document {W_NS}><w:body><w:p><w:r><w:t>正文&c;</w:t></w:r></w:p></w:body></w:document>"
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            blob = source.read(item)
            if item.filename == "word/document.xml":
                blob = ('<?xml version="1.0" encoding="UTF-8"?>' + laughs + body).encode()
            target.writestr(item, blob)
    try:
        paragraphs = _read(buffer.getvalue())
    except (CorruptFile, ArchiveRejected):
        return  # refusing the file is as good as not expanding it
    assert all(len(p) < 100 for p in paragraphs)
