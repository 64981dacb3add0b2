"""Shared fixtures. The sample reports are read from ../shared/samples, never copied into the repo."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples"


def sample_files(*suffixes: str) -> list[Path]:
    """The sample reports with a gold file beside them, optionally only those with the given endings."""
    files = sorted(p for p in SAMPLES.glob("*") if (p.parent / f"{p.name}.gold.json").exists())
    return [p for p in files if not suffixes or p.suffix in suffixes]


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is not present")
    return SAMPLES


_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server", "client", "admin_client"}


def pytest_collection_modifyitems(config, items):
    """Mark every test that touches the database, so the PostgreSQL pass can select them (-m database)."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & _DATABASE_FIXTURES:
            item.add_marker(pytest.mark.database)
