"""Debian's chromium driven by Playwright, for the browser tests of every app."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@contextmanager
def chromium_browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            # Django keeps a connection per async context, and the test ran in Playwright's: close it
            # here, or it outlives the test and PostgreSQL cannot drop the test database afterwards
            from django.db import connections

            connections.close_all()
