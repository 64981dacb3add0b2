"""`zhenggai serve` starts granian on a free port, answers `/`, and stops cleanly on Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from tests.commands.conftest import REPO, run_cli


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def status_of(url: str) -> int | None:
    request = urllib.request.Request(url, method="GET")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def test_serve_answers_and_stops_on_ctrl_c(data_dir):
    assert run_cli(data_dir, "demo", "--brief").returncode == 0
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["ZHENGGAI_DATA_DIR"] = str(data_dir)
    server = subprocess.Popen(
        [sys.executable, "-m", "zhenggai.cli", "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so Ctrl-C reaches it and its workers as in a terminal
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while status_of(f"{base}/healthz") != 200:
            assert server.poll() is None, server.communicate()
            assert time.monotonic() < deadline, "serve did not answer within 60 s"
            time.sleep(0.3)
        root = status_of(f"{base}/")
        assert root is not None and root < 500
        assert status_of(f"{base}/api/v1/openapi.json") == 200
        assert status_of(f"{base}/api/v1/me") == 401
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            out, err = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            out, err = server.communicate()
            raise AssertionError("serve did not stop within 30 s of Ctrl-C") from None
    assert server.returncode == 0, err
    assert f"整改系统已启动:http://127.0.0.1:{port}/" in out
    assert "demo12345" in out and "owner1" in out
    assert "Traceback" not in err


def test_serve_refuses_an_unmigrated_database(tmp_path):
    done = run_cli(tmp_path, "serve", "--port", str(free_port()), timeout=60)
    assert done.returncode == 1
    assert "zhenggai migrate" in done.stderr and "Traceback" not in done.stderr


def test_serve_refuses_a_busy_port(data_dir):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        done = run_cli(data_dir, "serve", "--port", str(busy.getsockname()[1]), timeout=60)
    assert done.returncode == 1 and "已被占用" in done.stderr


def test_ctrl_c_while_starting_still_stops(data_dir):
    """An interrupt in the moment between the start line and granian's own signal handlers is not lost."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["ZHENGGAI_DATA_DIR"] = str(data_dir)
    server = subprocess.Popen(
        [sys.executable, "-m", "zhenggai.cli", "serve", "--port", str(free_port()), "--threads", "2"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so Ctrl-C reaches it and its workers as in a terminal
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stdout], daemon=True).start()
    try:
        deadline = time.monotonic() + 60
        while not lines.get(timeout=max(0.1, deadline - time.monotonic())).startswith("整改系统已启动"):
            pass
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)
    except (subprocess.TimeoutExpired, queue.Empty):
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        raise AssertionError("serve did not start, or did not stop within 30 s of an early Ctrl-C") from None
    assert server.returncode == 0
