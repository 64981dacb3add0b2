"""The README's promises stay true: two quick-start commands, CI runs the test command, help texts."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO


def quick_start_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.split("#", 1)[0].strip()]


def test_the_quick_start_has_exactly_two_commands_and_their_scripts_exist():
    commands = quick_start_commands()
    assert commands == ["bash scripts/start.sh", "bash scripts/test.sh"]
    for command in commands:
        assert (REPO / command.split()[1]).is_file()


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/test.sh" in ci


def test_the_test_command_installs_the_debian_packages_the_suite_needs():
    setup = (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
    for package in ("chromium", "libreoffice-writer-nogui", "fonts-noto-cjk", "poppler-utils", "postgresql-client"):
        assert package in setup
    assert "apt-get update" in setup


def test_the_command_line_help_lists_the_commands_in_chinese():
    result = subprocess.run(
        [sys.executable, "-m", "zhenggai.cli", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "parse" in result.stdout and "解析整改报告" in result.stdout
