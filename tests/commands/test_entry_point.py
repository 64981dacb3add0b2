"""`zhenggai import / export / token / demo` through the real entry point, on a fresh SQLite database."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from tests.conftest import sample_files
from tests.support.empty_import import EMPTY_REPORT
from zhenggai.fiction import generate_report, to_text
from zhenggai.ingest import parse_file

LINE = re.compile(
    r"^(?P<file>.+): 已导入,检查编号 (?P<id>\d+)\((?P<aspects>\d+)个方面,(?P<items>\d+)个具体问题,(?P<tasks>\d+)项任务\)$"
)


def imported_lines(stdout: str) -> list[re.Match]:
    return [m for m in map(LINE.match, stdout.splitlines()) if m]


def test_import_of_the_sample_reports_prints_their_ids(cli, samples_dir):
    files = sample_files(".txt")
    done = cli("import", *map(str, files), "--round", "样例轮次", "--committee", "样例市委")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = imported_lines(done.stdout)
    assert [m["file"] for m in lines] == [str(f) for f in files]
    assert len({m["id"] for m in lines}) == len(files)
    for match, path in zip(lines, files, strict=True):
        doc = parse_file(path)
        expected = (len(doc.findings), len(doc.leaves()), sum(len(leaf.measures) for leaf in doc.leaves()))
        assert (int(match["aspects"]), int(match["items"]), int(match["tasks"])) == expected

    again = cli("import", str(files[0]), "--round", "样例轮次")
    assert again.returncode == 1
    assert f"{files[0]}: 错误:该报告已导入过" in again.stdout


def test_a_bad_file_prints_the_chinese_error_and_exits_1(cli, tmp_path, samples_dir):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02\x03 binary rubbish \xff\xfe")
    missing = tmp_path / "missing.docx"
    good = sample_files(".txt")[0]
    done = cli("import", str(bad), str(good), str(missing), "--round", "第一轮", "--committee", "样例市委")
    assert done.returncode == 1
    out = done.stdout.splitlines()
    assert any(line.startswith(f"{bad}: 错误:") and re.search(r"[\u4e00-\u9fff]", line) for line in out)
    assert any(line.startswith(f"{missing}: 错误:") for line in out)
    assert len(imported_lines(done.stdout)) == 1  # the good file in between is still imported
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().startswith("zhenggai: 错误:")


def test_unknown_round_is_an_error_not_a_traceback(cli, samples_dir):
    done = cli("import", str(sample_files(".txt")[0]), "--round", "不存在的轮次")
    assert done.returncode == 1
    assert "zhenggai: 错误:未找到轮次“不存在的轮次”" in done.stderr and "Traceback" not in done.stderr


def test_export_writes_the_ledger_document(cli, tmp_path, samples_dir):
    path = sample_files(".txt")[0]
    inspection = imported_lines(cli("import", str(path), "--round", "r", "--committee", "c").stdout)[0]["id"]
    target = tmp_path / "out.json"
    done = cli("export", inspection, "--format", "json", "-o", str(target))
    assert done.returncode == 0, done.stderr
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported["format"] == "zhenggai.ledger/1"
    assert [f["title"] for f in exported["findings"]] == [f.title for f in parse_file(path).findings]
    assert cli("export", "9999", "-o", str(target)).returncode == 1


def test_token_create_list_revoke(cli):
    cli("demo", "--brief")
    created = cli("token", "create", "office", "--name", "报表")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert re.fullmatch(r"zg_[A-Za-z0-9_-]{40,}", token)
    assert "只显示这一次" in created.stderr
    listed = cli("token", "list", "office").stdout
    assert token[:8] in listed and token not in listed and "有效" in listed
    assert cli("token", "revoke", token).stdout.strip() == "已吊销 1 个令牌"
    assert "已吊销" in cli("token", "list").stdout
    assert cli("token", "revoke", token).returncode == 1
    assert cli("token", "create", "nobody").returncode == 1
    week = cli("token", "create", "office", "--days", "7")
    assert week.returncode == 0 and "有效期至" in week.stderr
    refused = cli("token", "create", "office", "--days", "0")
    assert refused.returncode == 1 and "有效天数" in refused.stderr


def _counts(data_dir) -> dict[str, int]:
    with sqlite3.connect(data_dir / "db.sqlite3") as db:
        tables = ("ledger_inspection", "ledger_finding", "ledger_task", "ledger_event", "org_user", "ledger_evidence")
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def test_demo_is_idempotent(cli, data_dir):
    first = cli("demo")
    assert first.returncode == 0, first.stderr
    assert "已载入演示数据" in first.stdout and "demo12345" in first.stdout
    for login in ("office", "supervisor", "team1", "unit1", "owner1"):
        assert re.search(rf"^  {login}\s", first.stdout, re.M)
    counts = _counts(data_dir)
    assert 8 <= counts["ledger_inspection"] <= 10

    second = cli("demo")
    assert second.returncode == 0
    assert "演示数据已存在" in second.stdout
    assert _counts(data_dir) == counts
    # the same summary line both times
    assert first.stdout.splitlines()[1] == second.stdout.splitlines()[1]


@pytest.fixture
def real_report(tmp_path):
    """A report that is not the demo's (the demo's sources are named fiction_…)."""
    path = tmp_path / "青溪县某局整改报告.txt"
    path.write_text(to_text(generate_report(11, middle="none", aspects=3, show_status="all")), encoding="utf-8")
    return path


def test_demo_reset_refuses_to_wipe_real_data(cli, data_dir, real_report):
    cli("demo", "--brief")
    assert cli("demo", "--reset", "--brief").returncode == 0  # a demo-only database may be reset
    assert cli("import", str(real_report), "--round", "r", "--committee", "c").returncode == 0
    counts = _counts(data_dir)
    for args in (["--reset"], ["--reset", "--force"]):
        refused = cli("demo", *args)
        assert refused.returncode == 1 and "--reset 只能清空纯演示数据库" in refused.stderr
    assert _counts(data_dir) == counts
    assert cli("demo", "--brief").returncode == 0  # the demo is there: nothing to add, nothing refused


def test_demo_refuses_a_real_database_unless_forced(cli, data_dir, real_report):
    """The audit's hole: `zhenggai demo` on a live database added office/demo12345 without asking."""
    assert cli("import", str(real_report), "--round", "r", "--committee", "c").returncode == 0
    counts = _counts(data_dir)
    refused = cli("demo")
    assert refused.returncode == 1 and "--force" in refused.stderr and "演示以外" in refused.stderr
    assert "Traceback" not in refused.stderr and _counts(data_dir) == counts
    forced = cli("demo", "--force", "--brief")
    assert forced.returncode == 0 and "已载入演示数据" in forced.stdout


@pytest.mark.parametrize(
    "env,refused",
    [
        ({"ZHENGGAI_HTTPS": "1"}, True),
        ({"ZHENGGAI_PRODUCTION": "1"}, True),
        ({"ZHENGGAI_HTTPS": "1", "DEBUG": "1"}, False),  # a developer's HTTPS setup is not production
    ],
)
def test_demo_never_runs_on_production_settings(cli, data_dir, env, refused):
    done = cli("demo", "--force", "--brief", env={"DEBUG": "0", **env})
    assert (done.returncode != 0) is refused, done.stderr
    if refused:
        assert "生产环境" in done.stderr and "Traceback" not in done.stderr
        assert _counts(data_dir)["org_user"] == 0


@pytest.mark.parametrize("args", [["demo", "--help"], ["import", "--help"], ["serve", "--help"], ["token", "--help"]])
def test_help_is_chinese(cli, args):
    done = cli(*args)
    assert done.returncode == 0 and re.search(r"[\u4e00-\u9fff]", done.stdout)


def test_import_of_a_report_without_a_specific_problem_exits_1(cli, tmp_path, data_dir):
    empty = tmp_path / "未识别的报告.txt"
    empty.write_bytes(EMPTY_REPORT)
    done = cli("import", str(empty), "--round", "r", "--committee", "c")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{empty}: 错误:该文件中未识别出任何具体问题" in done.stdout
    assert _counts(data_dir)["ledger_inspection"] == 0
