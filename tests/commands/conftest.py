"""Commands through the real entry point: `python -m zhenggai.cli …` in a subprocess with its own data
folder (a fresh SQLite database, migrated once per session and copied per test), never DATABASE_URL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_cli(
    data_dir: Path, *args: str, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}} | (env or {})
    env["ZHENGGAI_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "zhenggai.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("template-data")
    done = run_cli(folder, "migrate", "--noinput", "-v", "0")
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def data_dir(migrated_template, tmp_path) -> Path:
    """A data folder of its own with the migrated database in it."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm", "secret_key"):
        if (migrated_template / name).exists():
            shutil.copy2(migrated_template / name, folder / name)
    return folder


@pytest.fixture
def cli(data_dir):
    def run(*args: str, timeout: float = 180, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return run_cli(data_dir, *args, timeout=timeout, env=env)

    return run
