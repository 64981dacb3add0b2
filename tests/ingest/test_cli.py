"""`zhenggai parse` through the real entry point: outputs, exit statuses and messages in Chinese."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import docx
import pytest

from tests.support import badfiles


def zhenggai(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "zhenggai.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_one_file_prints_its_ledger_document(samples_dir):
    result = zhenggai("parse", samples_dir / "004_3be8e22a5149781f.txt")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["format"] == "zhenggai.ledger/1"
    assert doc["report"]["source"] == "004_3be8e22a5149781f.txt"
    assert len(doc["findings"]) == 6


def test_with_an_output_folder_each_file_gets_its_own_json(samples_dir, tmp_path):
    files = sorted(samples_dir.glob("*.txt"))
    result = zhenggai("parse", *files, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == [f"{f.name}.json" for f in files]


def test_several_files_without_output_folder_give_one_json_per_line(samples_dir):
    files = sorted(samples_dir.glob("*.txt"))
    result = zhenggai("parse", *files)
    lines = result.stdout.strip().splitlines()
    assert [json.loads(line)["report"]["source"] for line in lines] == [f.name for f in files]


BAD_FILES = {
    "empty.txt": (b"", "文件是空的"),
    "blank.txt": (b"  \n\n \r\n", "文件是空的"),
    "binary.txt": (bytes(range(256)) * 20, "不是文本文件"),
    "random.bin": (b"\x89\x13\x00" * 100, "不支持的文件格式"),
    "notes.txt": ("今天天气很好,我们去公园散步,然后回家吃饭。".encode(), "未识别为巡察整改报告"),
    "truncated.docx": (None, "损坏"),
    "not-a-word-file.docx": (badfiles.zip_without_word_document(), "Word"),
    "encrypted.docx": (badfiles.encrypted_docx(), "加密"),
    "encrypted.pdf": (badfiles.encrypted_pdf(), "加密"),
    "scanned.pdf": (None, "文字层"),
    "truncated.pdf": (None, "不完整"),
    "bomb.docx": (badfiles.docx_bomb(), ""),
    "deflate-bomb.docx": (badfiles.docx_deflate_bomb(), "解压后过大"),
}


@pytest.fixture
def bad_file(request, tmp_path, samples_dir):
    name = request.param
    data, expected = BAD_FILES[name]
    if name == "truncated.docx":
        data = badfiles.truncated((samples_dir / "002_edfa2734dba5d0d5.docx").read_bytes())
    elif name == "truncated.pdf":
        data = badfiles.truncated((samples_dir / "002_edfa2734dba5d0d5.pdf").read_bytes(), 0.3)
    elif name == "scanned.pdf":
        data = badfiles.scanned_pdf()
    path = tmp_path / name
    path.write_bytes(data)
    return path, expected


@pytest.mark.parametrize("bad_file", sorted(BAD_FILES), indirect=True)
def test_a_bad_file_gets_one_chinese_line_naming_it_and_a_non_zero_exit(bad_file):
    path, expected = bad_file
    result = zhenggai("parse", path)
    assert result.returncode == 1
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"zhenggai: 错误:{path}:")
    assert expected in line
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("整改报告.docx", badfiles.docx_deflate_bomb(), "中的“word/document.xml”解压后过大"),
        ("实体.docx", None, "中的 XML 部件“word/document.xml”含有文档类型定义(DTD/实体)"),
    ],
)
def test_a_hostile_docx_is_refused_naming_it_with_a_non_zero_exit(tmp_path, name, data, expected):
    if data is None:
        buffer = io.BytesIO()
        docx.Document().save(buffer)
        parts = {i.filename: zipfile.ZipFile(buffer).read(i) for i in zipfile.ZipFile(buffer).infolist()}
        data = badfiles.with_doctype(parts, "word/document.xml", badfiles.BILLION_LAUGHS)
    path = tmp_path / name
    path.write_bytes(data)
    result = zhenggai("parse", path)
    assert result.returncode == 1
    assert f"文件“{name}”{expected}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)  # sparse: costs no disk
    result = zhenggai("parse", huge)
    assert result.returncode == 1
    assert "文件过大" in result.stderr and "50 MB" in result.stderr


def test_a_folder_stands_for_the_report_files_in_it(samples_dir, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for sample in samples_dir.glob("00[14]_*.txt"):
        (folder / sample.name).write_bytes(sample.read_bytes())
    (folder / "notes.json").write_text("{}", encoding="utf-8")  # not a report format: left alone
    (folder / ".hidden.txt").write_bytes(b"")
    (folder / "inner").mkdir()
    result = zhenggai("parse", folder, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["001_758074bb1886fac5.txt.json", "004_3be8e22a5149781f.txt.json"]


def test_a_folder_without_reports_is_an_error_naming_it(tmp_path):
    (tmp_path / "empty").mkdir()
    result = zhenggai("parse", tmp_path / "empty")
    assert result.returncode == 1
    assert "empty" in result.stderr and "没有可解析的报告文件" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_is_named(tmp_path):
    result = zhenggai("parse", tmp_path / "nowhere.pdf")
    assert result.returncode == 1
    assert "文件不存在" in result.stderr


def test_the_good_files_of_a_run_are_still_parsed_when_others_fail(samples_dir, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    good = samples_dir / "001_758074bb1886fac5.txt"
    result = zhenggai("parse", tmp_path / "empty.txt", good, "-o", tmp_path / "out")
    assert result.returncode == 1
    assert (tmp_path / "out" / f"{good.name}.json").exists()
    assert "empty.txt" in result.stderr


def test_gbk_and_utf8_with_bom_read_the_same(samples_dir, tmp_path):
    text = (samples_dir / "004_3be8e22a5149781f.txt").read_text(encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(text.encode("gb18030"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    docs = [json.loads(zhenggai("parse", tmp_path / name).stdout) for name in ("gbk.txt", "bom.txt")]
    assert docs[0]["findings"] == docs[1]["findings"]
    assert docs[0]["inspection"]["unit"]


def test_help_texts_are_in_chinese():
    result = zhenggai("parse", "--help")
    assert result.returncode == 0
    assert "zhenggai.ledger/1" in result.stdout and "输出目录" in result.stdout


def test_usage_errors_exit_with_2():
    assert zhenggai("parse").returncode == 2
