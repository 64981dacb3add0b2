"""`zhenggai serve` with ZHENGGAI_BACKUP_HOUR set takes the day's backup in its own process while it
answers requests, and still stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.commands.test_serve import free_port, status_of
from tests.ops.conftest import REPO, Installation
from zhenggai.ops import engines
from zhenggai.ops.backup import list_backups
from zhenggai.ops.restore import verify


def test_serve_takes_the_scheduled_backup(tmp_path):
    site = Installation(tmp_path, engines.SQLITE)
    site.ok("migrate", "--noinput", "-v", "0")
    port = free_port()
    env = site.environment(ZHENGGAI_BACKUP_HOUR="0", ZHENGGAI_BACKUP_DAILY="3", ZHENGGAI_BACKUP_MONTHLY="2")
    log = tmp_path / "serve.log"  # the server's own words, quoted when it does not do what is asked
    with log.open("w") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "zhenggai.cli", "serve", "--port", str(port), "--workers", "2", "--threads", "2"],
            cwd=REPO,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        answer = None
        while not list_backups(site.backup_dir) or answer != 200:
            answer = status_of(f"http://127.0.0.1:{port}/healthz")
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, (
                f"no backup or no answer (healthz {answer}) within 90 s:\n{log.read_text()}"
            )
            time.sleep(0.3)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            raise AssertionError("serve did not stop within 30 s of Ctrl-C") from None
    out = err = log.read_text()
    assert server.returncode == 0, err
    assert f"每天 0 点后自动备份到 {site.backup_dir}(保留最近 3 天、2 个月的备份)" in out
    [backup] = list_backups(site.backup_dir)  # two workers, one scheduler: one backup
    assert verify(backup.path)["database"]["engine"] == engines.SQLITE
