"""scripts/install_fonts.sh: run again where the fonts are, it does nothing; setup.sh runs it."""

from __future__ import annotations

import os
import subprocess

from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "install_fonts.sh"
FILES = ("FandolFang-Regular.otf", "FandolKai-Regular.otf", "FandolHei-Regular.otf", "FandolHei-Bold.otf",
         "FandolSong-Regular.otf", "FandolSong-Bold.otf")  # fmt: skip


def test_installed_fonts_are_left_alone(tmp_path):
    for name in FILES:
        (tmp_path / name).write_bytes(b"OTTO")
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    env = {**os.environ, "ZHENGGAI_FANDOL_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    run = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30)
    assert run.returncode == 0 and run.stdout == "" and run.stderr == ""
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before


def test_missing_fonts_that_cannot_be_installed_are_said_in_chinese(tmp_path):
    tools = tmp_path / "bin"  # a PATH with `id` and without apt-get, as a machine that cannot install
    tools.mkdir()
    (tools / "id").symlink_to("/usr/bin/id")
    env = {"ZHENGGAI_FANDOL_DIR": str(tmp_path / "fandol"), "PATH": str(tools)}
    run = subprocess.run(["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30)
    assert run.returncode == 0
    assert "缺少 Fandol 字体" in run.stdout and not (tmp_path / "fandol").exists()


def test_setup_installs_the_fonts():
    setup = (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert "source scripts/install_fonts.sh" in setup and "\ninstall_fandol\n" in setup
