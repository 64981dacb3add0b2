"""The archive guard: bombs, entity tricks and unsafe names refused from the central directory,
fast and without memory; real files passed."""

from __future__ import annotations

import io
import random
import time
import tracemalloc
import zipfile
from datetime import date

import docx
import pytest
from openpyxl import Workbook

from tests.support import badfiles
from zhenggai.ingest import build as _build  # noqa: F401  (loaded up front: the time bound is on the refusal)
from zhenggai.ingest import parse_bytes
from zhenggai.ingest.archive import ArchiveLimits, ArchiveRejected, configure, defaults, inspect_archive, open_archive
from zhenggai.ingest.errors import CorruptFile, IngestError
from zhenggai.ingest.readers import readers
from zhenggai.outputs.errors import WorkbookRejected
from zhenggai.outputs.xlsx_read import read_workbook
from zhenggai.outputs.xlsx_write import LedgerWorkbook, TaskRow, to_xlsx

MiB = 1024 * 1024
readers()  # the readers and their libraries load once, before any timing
EVIDENCE = ArchiveLimits(max_depth=3)


def _refused_fast(action, data: bytes) -> Exception:
    """Run `action(data)`, expecting a refusal within 1 s and under 100 MB of Python allocations."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises((ArchiveRejected, WorkbookRejected, IngestError)) as caught:
            action(data)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 1.0, f"took {elapsed:.2f} s"
    assert peak < 100 * MiB, f"peak {peak / MiB:.0f} MB"
    return caught.value


def test_the_bombs_are_what_they_claim():
    for bomb in (badfiles.xlsx_bomb(), badfiles.docx_deflate_bomb(), badfiles.zip_bomb()):
        assert len(bomb) < 2.2 * MiB
        inflated = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist())
        assert inflated > 1500 * MiB


def test_an_xlsx_bomb_is_refused_by_the_workbook_reader_fast_and_small():
    error = _refused_fast(read_workbook, badfiles.xlsx_bomb())
    assert isinstance(error, WorkbookRejected)
    assert error.message.startswith("Excel 工作簿")
    assert "可能是恶意构造的压缩文件" in error.message


def test_a_docx_bomb_is_refused_by_the_parser_naming_the_file():
    error = _refused_fast(lambda data: parse_bytes(data, "某局整改报告.docx"), badfiles.docx_deflate_bomb())
    assert isinstance(error, ArchiveRejected)
    assert error.message.startswith("文件“某局整改报告.docx”")
    assert "word/document.xml" in error.message


def test_a_zip_bomb_is_refused_by_the_guard():
    error = _refused_fast(lambda data: inspect_archive(data, EVIDENCE, name="材料.zip"), badfiles.zip_bomb())
    assert error.message.startswith("文件“材料.zip”中的“data.txt”")
    assert error.code in ("archive_ratio", "archive_too_large")


@pytest.mark.parametrize(
    ("limits", "code"),
    [
        (ArchiveLimits(max_ratio=10_000, max_entry_bytes=100 * MiB), "archive_too_large"),
        (ArchiveLimits(max_ratio=10_000, max_total_bytes=100 * MiB), "archive_too_large"),
        (ArchiveLimits(max_ratio=10_000, max_xml_bytes=100 * MiB), "archive_too_large"),
        (
            ArchiveLimits(max_entry_bytes=4096 * MiB, max_total_bytes=4096 * MiB, max_xml_bytes=4096 * MiB),
            "archive_ratio",
        ),
    ],
)
def test_each_size_limit_refuses_on_its_own(limits, code):
    with pytest.raises(ArchiveRejected) as caught:
        inspect_archive(badfiles.xlsx_bomb(), limits)
    assert caught.value.code == code
    assert "MB" in caught.value.message or "倍" in caught.value.message


def test_too_many_entries_are_refused_before_zipfile_reads_the_directory():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(300):
            archive.writestr(f"{n}.txt", b"")
    with pytest.raises(ArchiveRejected) as caught:
        inspect_archive(buffer.getvalue(), ArchiveLimits(max_entries=200))
    assert "300 个条目" in caught.value.message


@pytest.mark.parametrize(
    "name", ["../../etc/cron.d/x", "/etc/passwd", "a/../../b.txt", "..\\..\\windows\\x.dll", "C:/x.txt"]
)
def test_path_traversal_names_are_refused(name):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(name), b"x")
    with pytest.raises(ArchiveRejected) as caught:
        inspect_archive(buffer.getvalue(), EVIDENCE, name="材料.zip")
    assert caught.value.code == "archive_path"
    assert "路径不安全" in caught.value.message


def test_a_symlink_entry_is_refused():
    info = zipfile.ZipInfo("link")
    info.external_attr = 0o120777 << 16
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(info, b"/etc/passwd")
    with pytest.raises(ArchiveRejected, match="符号链接"):
        inspect_archive(buffer.getvalue(), EVIDENCE)


def test_nested_archives_are_opened_to_the_allowed_depth_and_no_deeper():
    inspect_archive(badfiles.nested_zip(3), EVIDENCE)  # a zip holding a zip holding a zip
    with pytest.raises(ArchiveRejected) as caught:
        inspect_archive(badfiles.nested_zip(6), EVIDENCE)
    assert caught.value.code == "archive_nested"


def test_a_bomb_nested_inside_an_archive_is_found():
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("照片.zip", badfiles.zip_bomb(256 * 1024))
    with pytest.raises(ArchiveRejected) as caught:
        inspect_archive(outer.getvalue(), EVIDENCE)
    assert caught.value.code in ("archive_ratio", "archive_too_large")


@pytest.mark.parametrize("doctype", [badfiles.BILLION_LAUGHS, badfiles.EXTERNAL_ENTITY])
def test_an_xlsx_with_a_dtd_is_refused_before_openpyxl_parses_it(doctype):
    sheet = badfiles.SHEET_HEAD + b"<row><c t='inlineStr'><is><t>&lol9;</t></is></c></row>" + badfiles.SHEET_TAIL
    data = badfiles.with_doctype(badfiles.minimal_xlsx(sheet), "xl/worksheets/sheet1.xml", doctype)
    error = _refused_fast(read_workbook, data)
    assert "DTD" in error.message


@pytest.mark.parametrize("doctype", [badfiles.BILLION_LAUGHS, badfiles.EXTERNAL_ENTITY])
def test_a_docx_with_a_dtd_is_refused(doctype):
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    parts = {i.filename: zipfile.ZipFile(buffer).read(i) for i in zipfile.ZipFile(buffer).infolist()}
    data = badfiles.with_doctype(parts, "word/document.xml", doctype)
    error = _refused_fast(lambda d: parse_bytes(d, "报告.docx"), data)
    assert error.code == "archive_dtd"
    assert "报告.docx" in error.message


def test_a_dtd_hidden_behind_comments_or_utf16_is_still_found():
    for blob in (
        b'<?xml version="1.0"?><!-- a --><!-- b -->' + badfiles.EXTERNAL_ENTITY.encode() + b"<a/>",
        ('<?xml version="1.0" encoding="UTF-16"?>' + badfiles.EXTERNAL_ENTITY + "<a/>").encode("utf-16"),
    ):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("xl/workbook.xml", blob)
        with pytest.raises(ArchiveRejected, match="DTD"):
            inspect_archive(buffer.getvalue())


def test_not_a_zip_is_corrupt_not_a_crash():
    with pytest.raises(CorruptFile):
        inspect_archive(b"PK\x03\x04 not really")
    with pytest.raises(CorruptFile, match="坏了"):
        open_archive(b"plain text", corrupt="坏了")


def test_configure_replaces_the_defaults_and_can_restore_them():
    try:
        assert configure(max_entries=5).max_entries == 5
        assert defaults().max_entries == 5
    finally:
        configure()
    assert defaults() == ArchiveLimits()


def test_our_own_ledger_export_passes_and_reads():
    rows = tuple(
        TaskRow(task_id=n, aspect="一、党的建设方面", problem=f"问题{n}", item=f"具体问题{n}", measure=f"措施{n}")
        for n in range(1, 200)
    )
    data = to_xlsx(LedgerWorkbook("某单位", date(2026, 1, 1), (), rows))
    inspect_archive(data)
    parsed = read_workbook(data)
    assert sum(len(s.rows) for s in parsed.sheets) >= 199


def test_a_real_word_document_passes_and_reads():
    document = docx.Document()
    document.add_paragraph("一、关于党的建设方面")
    document.add_paragraph("1.某某问题。整改措施:建立制度。")
    buffer = io.BytesIO()
    document.save(buffer)
    inspect_archive(buffer.getvalue())


@pytest.mark.slow
def test_a_20_mb_ledger_of_100_000_rows_passes_the_guard():
    """Sized like the largest real ledger we accept: written by openpyxl (write-only) from varied text."""
    rng = random.Random(7)
    words = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    pool = ["".join(rng.choices(words, k=rng.randint(20, 60))) for _ in range(5000)]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("任务清单")
    sheet.append(["任务编号", "方面", "具体问题", "整改措施", "整改进展", "责任领导", "责任部门", "完成时限"])
    deadline = date(2026, 6, 30)
    for n in range(100_000):
        sheet.append(
            [n, pool[n % 97], pool[n % 4999], pool[(n * 7) % 5000], pool[(n * 13) % 4993], "张三", "办公室", deadline]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    assert len(data) > 15 * MiB
    summary = inspect_archive(data)
    assert summary.total_bytes > 50 * MiB
