"""`zhenggai backup --verify` accepts a good archive and refuses a damaged, truncated or foreign one
with one Chinese line and exit 1; `zhenggai restore` refuses the same and leaves the data untouched."""

from __future__ import annotations

import io
import re
import shutil
import tarfile
from dataclasses import dataclass

import pytest

from tests.ops.conftest import Installation, drop_installation, make_installation
from zhenggai.cli import main
from zhenggai.ops import engines

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One SQLite installation with the demo data and two good archives of it (.tar and .tar.gz)."""
    made = make_installation(tmp_path_factory.mktemp("verify"), engines.SQLITE)
    made.ok("migrate", "--noinput", "-v", "0")
    made.ok("demo", "--brief")
    made.ok("backup", "-o", str(made.root / "good.tar"))
    made.ok("backup", "-o", str(made.root / "good.tar.gz"))
    yield made
    drop_installation(made)


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def verify_in_process(path, capsys) -> Done:
    """`zhenggai backup --verify` through the entry point, in this process (it needs no database)."""
    code = main(["backup", "--verify", str(path)])
    out, err = capsys.readouterr()
    return Done(code, out, err)


def copy_of(site, root) -> Installation:
    """An installation holding the same data as `site` (a copy of its data folder)."""
    target = Installation(root, engines.SQLITE)
    shutil.copytree(site.data_dir, target.data_dir)
    return target


def one_chinese_error(done) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    line = done.stderr.strip()
    assert "\n" not in line and "Traceback" not in line, done.stderr
    assert line.startswith("zhenggai: 错误:") and CHINESE.search(line.removeprefix("zhenggai: 错误:")), line
    return line


def flipped(source, target, member_name):
    """A copy of an uncompressed archive with bytes flipped inside one member's data."""
    with tarfile.open(source) as tar:
        member = tar.getmember(member_name)
        offset, size = member.offset_data, member.size
    data = bytearray(source.read_bytes())
    for i in range(offset + size // 2, offset + size // 2 + min(8, size)):
        data[i] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def truncated(source, target, fraction=0.6):
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])
    return target


def foreign_tar(target):
    with tarfile.open(target, "w") as tar:
        payload = "不是备份".encode()
        info = tarfile.TarInfo("notes.txt")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    return target


def bad_archives(site, folder):
    with tarfile.open(site.root / "good.tar") as tar:
        media = next(n for n in tar.getnames() if n.startswith("media/"))
    text = folder / "report.txt"
    text.write_text("这是一份普通的文本文件,不是备份。", encoding="utf-8")
    return {
        "a flipped evidence file": (flipped(site.root / "good.tar", folder / "evidence.tar", media), "已损坏"),
        "a flipped database": (
            flipped(site.root / "good.tar", folder / "db.tar", "database/db.sqlite3"),
            "已损坏",
        ),
        "a flipped compressed byte": (_flip_middle(site.root / "good.tar.gz", folder / "flip.tar.gz"), "损坏"),
        "a truncated .tar.gz": (truncated(site.root / "good.tar.gz", folder / "cut.tar.gz"), "不完整"),
        "a truncated .tar": (truncated(site.root / "good.tar", folder / "cut.tar", 0.5), "不完整"),
        "a text file": (text, "不是整改系统的备份文件"),
        "another program's tar": (foreign_tar(folder / "other.tar"), "备份"),
        "a missing file": (folder / "nowhere.tar.gz", "找不到备份文件"),
    }


def _flip_middle(source, target):
    data = bytearray(source.read_bytes())
    middle = len(data) // 2
    for i in range(middle, middle + 16):
        data[i] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def test_verify_accepts_good_archives(site, capsys):
    for name in ("good.tar", "good.tar.gz"):
        done = verify_in_process(site.root / name, capsys)
        assert done.returncode == 0, done.stderr
        assert "备份完整" in done.stdout and "校验无误" in done.stdout


def test_verify_and_restore_refuse_bad_archives_with_one_chinese_line(site, tmp_path, capsys):
    target = copy_of(site, tmp_path / "target")
    before = target.digests()
    for case, (path, words) in bad_archives(site, tmp_path).items():
        line = one_chinese_error(verify_in_process(path, capsys))
        assert words in line, (case, line)
        line = one_chinese_error(target.run("restore", "--force", str(path)))
        assert words in line, (case, line)
    # the target kept its data, and no half-restored folder was left beside it
    assert target.digests() == before
    assert sorted(p.name for p in target.root.iterdir()) == ["data"]


def test_restore_refuses_a_target_with_data_without_force(site, tmp_path):
    target = copy_of(site, tmp_path)
    target.ok("token", "create", "office", "--name", "恢复前的数据")
    before = target.digests()
    line = one_chinese_error(target.run("restore", str(site.root / "good.tar.gz")))
    assert "已有数据" in line and "--force" in line
    assert target.digests() == before


def test_restore_with_force_keeps_the_replaced_data_beside_it(site, tmp_path):
    target = copy_of(site, tmp_path)
    target.ok("token", "create", "office", "--name", "恢复后应不见")
    assert target.digests() != site.digests()
    out = target.ok("restore", "--force", str(site.root / "good.tar"))
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("data.before-restore-")]
    assert len(kept) == 1 and f"原数据文件夹已移到 {kept[0]}" in out
    assert target.digests() == site.digests()
    assert target.media() == site.media()


def test_a_damaged_database_is_replaced_only_with_force(site, tmp_path):
    """The disaster a restore is for: the database file is garbage; it still counts as data to protect."""
    target = copy_of(site, tmp_path)
    (target.data_dir / "db.sqlite3").write_bytes(b"\x00garbage" * 4096)
    for name in ("db.sqlite3-wal", "db.sqlite3-shm"):
        (target.data_dir / name).unlink(missing_ok=True)
    assert "已有数据" in one_chinese_error(target.run("restore", str(site.root / "good.tar.gz")))
    target.ok("restore", "--force", str(site.root / "good.tar.gz"))
    assert target.digests() == site.digests()
    assert oct((target.data_dir / "secret_key").stat().st_mode & 0o777) == "0o600"
