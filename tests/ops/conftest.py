"""An installation of its own for each ops test: a data folder, a backup folder and, for PostgreSQL, a
database created for the test on the server of DATABASE_URL (dropped afterwards). Commands run
through the real entry point in subprocesses, as an operator would run them."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from zhenggai.ops import engines, tables
from zhenggai.settings import database_from_url

REPO = Path(__file__).resolve().parents[2]


def server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.split(":", 1)[0] in {"postgres", "postgresql"} else None


@dataclass
class Installation:
    root: Path
    engine: str
    database_url: str = ""
    env: dict[str, str] = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def backup_dir(self) -> Path:
        return self.root / "backups"

    @property
    def settings_dict(self) -> dict[str, Any]:
        return database_from_url(self.database_url, self.data_dir)

    def environment(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
        env.update(ZHENGGAI_DATA_DIR=str(self.data_dir), ZHENGGAI_BACKUP_DIR=str(self.backup_dir), **extra)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def run(self, *args: str, timeout: float = 300, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "zhenggai.cli", *args],
            cwd=REPO,
            env=self.environment(**extra),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def ok(self, *args: str, **extra: str) -> str:
        done = self.run(*args, **extra)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def digests(self) -> dict[str, tables.TableDigest]:
        if self.engine == engines.SQLITE:
            conn = engines.sqlite_connect(self.data_dir / "db.sqlite3")
            try:
                return tables.sqlite_digests(conn)
            finally:
                conn.close()
        return engines.postgres_describe(self.settings_dict)

    def query(self, sql: str) -> list[tuple]:
        if self.engine == engines.SQLITE:
            conn = engines.sqlite_connect(self.data_dir / "db.sqlite3")
            try:
                return conn.execute(sql).fetchall()
            finally:
                conn.close()
        conn = engines.pg_connect(self.settings_dict, autocommit=True)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    def media(self) -> dict[str, str]:
        """Every evidence file by its path under MEDIA_ROOT, with its SHA-256."""
        root = self.data_dir / "media"
        return {
            p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    def wipe(self) -> None:
        """Everything gone: the data folder and, on PostgreSQL, the database (recreated empty)."""
        import shutil

        shutil.rmtree(self.data_dir)
        if self.engine == engines.POSTGRESQL:
            _recreate(self.settings_dict["NAME"])


def _admin_connection():
    import psycopg

    url = server_url()
    assert url is not None
    settings = database_from_url(url, Path("."))
    return psycopg.connect(**engines.pg_params({**settings, "NAME": "postgres"}), autocommit=True)


def _recreate(name: str, *, drop_only: bool = False) -> None:
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            # C.UTF-8, as the README asks: pg_trgm reads Chinese only there
            conn.execute(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )


def make_installation(root: Path, engine: str) -> Installation:
    if engine == engines.SQLITE:
        return Installation(root, engine)
    url = server_url()
    if url is None:
        pytest.skip("DATABASE_URL does not name a PostgreSQL server")
    base = os.environ.get("ZHENGGAI_TEST_DB_NAME") or "test_zg"
    name = f"{base}_ops_{os.getpid()}_{root.name}"[:60]
    _recreate(name)
    return Installation(root, engine, database_url=url.rsplit("/", 1)[0].split("?", 1)[0] + "/" + name)


def drop_installation(installation: Installation) -> None:
    if installation.engine == engines.POSTGRESQL:
        _recreate(installation.settings_dict["NAME"], drop_only=True)


ENGINES = [engines.SQLITE, pytest.param(engines.POSTGRESQL, marks=pytest.mark.database)]


@pytest.fixture(params=ENGINES)
def installation(request, tmp_path):
    """A migrated installation with the demo data in it, on each database."""
    made = make_installation(tmp_path, request.param)
    try:
        made.ok("migrate", "--noinput", "-v", "0")
        made.ok("demo", "--brief")
        yield made
    finally:
        drop_installation(made)
