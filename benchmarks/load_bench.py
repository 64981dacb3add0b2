"""Load: N simulated users browsing the real server for a while, then a burst of logins.

    python benchmarks/load_bench.py [--smoke] [--users 50] [--duration 180] [--database sqlite|postgres]
                                    [--burst 50] [--burst-seconds 5] [--workers 1] [--threads N]
                                    [--think 1.0] [--seed 1] [--attackers 0]

A fresh data folder gets the demo (`zhenggai migrate`, `zhenggai demo`); with `--database postgres`
(DATABASE_URL names the server, default postgres://postgres@127.0.0.1:5432/postgres) a uniquely
named database is created for the run and dropped after it. `zhenggai serve` then runs on a free
loopback port, exactly as an office would start it.

Each simulated user is a thread with its own cookies (http.client: no extra dependency, and the
numbers are the server's, not a load tool's) that logs in as one of the demo accounts and browses
the pages of its role — 巡察办: rounds, dashboard, red-light task list, an inspection's ledger, a
task; 纪委监委 and 巡察组: rounds, dashboard, ledger; 整改办: ledger, task, recording progress;
责任人: my tasks, task, recording progress — with a random pause (mean `--think` s) between
requests; one user in six is an anonymous visitor of the public pages. Any answer other than the
expected status (a 500, a refusal, a timeout) counts as an error. Then `--burst` fresh clients log
in evenly spread over `--burst-seconds`. `--attackers N` adds N anonymous wrong-login loops during
the browsing, to see what they cost the signed-in users. The server is told 127.0.0.1 is its
trusted proxy, and each simulated client sends an X-Forwarded-For address of its own, so the
login throttle sees fifty people, not one.

Prints per page: requests, error %, p50/p95/p99 (ms); overall requests/s; the login burst's median
and p95. Goals (issue 10): 0 % errors at 50 users for 3 minutes; 50 logins in 5 s with a median
under 3 s. Bounded: at most 200 users and 15 minutes; loopback only; everything started is stopped.
`--smoke` runs 6 users (one of each kind) for 5 s and a burst of 5.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
DEMO_PASSWORD = "demo12345"
MAX_USERS = 200
MAX_DURATION = 900
ERROR_GOAL = 0.0
LOGIN_MEDIAN_GOAL_S = 3.0
OWNERS = [f"owner{i}" for i in range(1, 10)]
# The mix of simulated users: one in six is an anonymous visitor of the public pages.
ROLE_CYCLE = ["office", "supervisor", "team1", "unit1", "owner", "public"]


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def run_cli(env: dict[str, str], *args: str, timeout: float = 600) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "zhenggai.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"zhenggai {' '.join(args)} failed:\n{done.stderr[-2000:]}")


@contextmanager
def postgres_database(base_url: str):
    """A database of our own for this run, dropped afterwards whatever happens."""
    import psycopg

    name = f"zhenggai_load_{os.getpid()}_{secrets.token_hex(4)}"
    parts = urlparse(base_url.replace("postgresql://", "postgres://"))
    admin = urlunparse(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def server(env: dict[str, str], workers: int, threads: int):
    port = free_port()
    command = [sys.executable, "-m", "zhenggai.cli", "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers), "--threads", str(threads)]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: stopping it reaches granian's workers too
    )
    try:
        deadline = time.monotonic() + 120
        while not _healthy(port):
            if process.poll() is not None:
                raise SystemExit(f"zhenggai serve stopped:\n{process.stderr.read()[-2000:]}")
            if time.monotonic() > deadline:
                raise SystemExit("zhenggai serve did not answer within 120 s")
            time.sleep(0.3)
        yield port
    finally:
        _stop(process)


def _healthy(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection(HOST, port, timeout=2)
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


# --- a browser, in miniature ---------------------------------------------------------------------


class Browser:
    """Cookies, the CSRF token, one keep-alive connection; no redirects followed (the status is checked)."""

    def __init__(self, port: int, address: str, timeout: float = 30):
        self.port, self.address, self.timeout = port, address, timeout
        self.cookies: dict[str, str] = {}
        self.location = ""
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        # the server trusts 127.0.0.1 as its proxy, so each simulated client has an address of its own
        headers = {"Host": f"{HOST}:{self.port}", "X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()  # a keep-alive connection the server closed: once more on a new one
                if attempt == 2:
                    raise
        self.location = response.getheader("Location") or ""
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, text

    def login(self, username: str, password: str = DEMO_PASSWORD) -> tuple[int, float, str]:
        """GET the form (for the CSRF cookie), then POST it; returns the POST's status, seconds and page."""
        self.request("GET", "/login/")
        start = time.perf_counter()
        status, text = self.request("POST", "/login/", {"username": username, "password": password})
        return status, time.perf_counter() - start, text

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


# --- what each role does -------------------------------------------------------------------------


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: dict[str, str] = field(default_factory=dict)

    def add(self, page: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.times[page].append(seconds)
            if not ok:
                self.errors[page] += 1
                self.samples.setdefault(page, detail)


def links(text: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(pattern, text)))


class User:
    def __init__(self, index: int, port: int, stats: Stats, deadline: float, think: float, seed: int):
        self.role = ROLE_CYCLE[index % len(ROLE_CYCLE)]
        self.username = OWNERS[(index // len(ROLE_CYCLE)) % len(OWNERS)] if self.role == "owner" else self.role
        self.browser = Browser(port, f"10.10.{index // 250}.{index % 250 + 1}")
        self.stats, self.deadline, self.think = stats, deadline, think
        self.rng = random.Random(seed * 1000 + index)
        self.known: dict[str, list[str]] = defaultdict(list)

    def hit(self, page: str, method: str, path: str, expected: tuple[int, ...], form: dict | None = None) -> str:
        start = time.perf_counter()
        try:
            status, text = self.browser.request(method, path, form)
        except OSError as error:
            self.stats.add(page, time.perf_counter() - start, False, f"{path}: {error!r}")
            self.browser.close()
            return ""
        self.stats.add(page, time.perf_counter() - start, status in expected, f"{path}: HTTP {status}")
        if status == 302 and self.browser.location.startswith("/") and method == "GET":
            return self.hit(page, "GET", self.browser.location, (200,))  # home sends each role to its page
        return text

    def learn(self, text: str) -> None:
        for kind, pattern in (
            ("round", r'href="(/rounds/\d+/)"'),
            ("inspection", r'href="(/inspections/\d+/)"'),
            ("task", r'href="(/tasks/\d+/)"'),
            ("report", r'href="(/gongkai/reports/\d+/)"'),
        ):
            found = links(text, pattern)
            if found:
                self.known[kind] = found

    def pick(self, kind: str) -> str | None:
        return self.rng.choice(self.known[kind]) if self.known[kind] else None

    def run(self) -> None:
        if self.role != "public":
            status, seconds, _ = self.browser.login(self.username)
            self.stats.add("登录 POST /login/", seconds, status == 302, f"login {self.username}: HTTP {status}")
            self.learn(self.hit("首页 /", "GET", "/", (200, 302)))
        steps = getattr(self, f"_{self.role}", self._office)
        while time.monotonic() < self.deadline:
            steps()
            time.sleep(min(max(0.0, self.deadline - time.monotonic()), self.rng.expovariate(1 / self.think)))
        self.browser.close()

    def _ledger_and_task(self) -> None:
        inspection = self.pick("inspection")
        if inspection:
            self.learn(self.hit("台账 /inspections/<id>/", "GET", inspection, (200,)))
        task = self.pick("task")
        if task:
            self.hit("任务详情 /tasks/<id>/", "GET", task, (200,))

    def _office(self) -> None:
        choice = self.rng.random()
        if choice < 0.2 or not self.known["round"]:
            self.learn(self.hit("巡察总览 /rounds/", "GET", "/rounds/", (200,)))
            round_ = self.pick("round")
            if round_:
                self.learn(self.hit("轮次 /rounds/<id>/", "GET", round_, (200,)))
        elif choice < 0.4 and self.role in ("office", "supervisor"):
            self.hit("仪表板 /oversight/", "GET", "/oversight/", (200,))
        elif choice < 0.55 and self.role in ("office", "supervisor"):
            self.learn(self.hit("任务清单 /oversight/tasks/", "GET", "/oversight/tasks/?light=red", (200,)))
        else:
            self._ledger_and_task()

    _supervisor = _office
    _team1 = _office

    def _unit1(self) -> None:
        if not self.known["task"] or self.rng.random() < 0.3:
            self.learn(self.hit("首页 /", "GET", "/", (200, 302)))
            inspection = self.pick("inspection")
            if inspection:
                self.learn(self.hit("台账 /inspections/<id>/", "GET", inspection, (200,)))
        elif self.rng.random() < 0.25:
            self._progress()
        else:
            self._ledger_and_task()

    def _owner(self) -> None:
        if not self.known["task"] or self.rng.random() < 0.4:
            self.learn(self.hit("我的任务 /my/tasks/", "GET", "/my/tasks/", (200,)))
        elif self.rng.random() < 0.3:
            self._progress()
        else:
            self.hit("任务详情 /tasks/<id>/", "GET", self.pick("task"), (200,))

    def _progress(self) -> None:
        task = self.pick("task")
        note = {"text": f"压力测试记录的进展 {self.rng.randrange(10**6)}"}
        self.hit("记录进展 POST /tasks/<id>/notes/", "POST", f"{task}notes/", (302,), note)

    def _public(self) -> None:
        choice = self.rng.random()
        if choice < 0.3:
            self.hit("公开首页 /gongkai/", "GET", "/gongkai/", (200,))
        elif choice < 0.55 or (choice < 0.75 and not self.known["report"]):
            self.learn(self.hit("公开报告 /gongkai/reports/", "GET", "/gongkai/reports/", (200,)))
        elif choice < 0.75:
            self.hit("公开报告 /gongkai/reports/<id>/", "GET", self.pick("report"), (200,))
        else:
            self.hit("公开搜索 /gongkai/search/", "GET", "/gongkai/search/?q=%E6%95%B4%E6%94%B9", (200,))


# --- the runs ----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def attack(port: int, index: int, deadline: float, outcomes: dict[str, int], lock: threading.Lock) -> None:
    """One anonymous wrong-login loop from one address, as fast as the server answers."""
    browser = Browser(port, f"10.66.0.{index + 1}")
    rng = random.Random(index)
    while time.monotonic() < deadline:
        try:
            _, _, text = browser.login(rng.choice([*ROLE_CYCLE[:4], *OWNERS]), f"guess-{rng.randrange(10**9)}")
        except OSError:
            text = ""
            browser.close()
        kind = "refused unchecked" if "登录失败次数过多" in text else "checked" if "不正确" in text else "other"
        with lock:
            outcomes[kind] += 1
    browser.close()


def browse(port: int, users: int, duration: float, think: float, seed: int, attackers: int) -> tuple[Stats, float]:
    stats = Stats()
    start = time.monotonic()
    deadline = start + duration
    people = [User(i, port, stats, deadline, think, seed) for i in range(users)]
    threads = [threading.Thread(target=p.run, daemon=True) for p in people]
    outcomes: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    for i in range(attackers):
        threads.append(threading.Thread(target=attack, args=(port, i, deadline, outcomes, lock), daemon=True))
    for thread in threads:
        thread.start()
        time.sleep(min(0.1, duration / max(1, users) / 4))  # a ramp, not a stampede
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic()) + 60)
    if attackers:
        print(f"\n== {attackers} wrong-login loops alongside: " + ", ".join(f"{n} {k}" for k, n in outcomes.items()))
    return stats, time.monotonic() - start


def burst(port: int, logins: int, seconds: float) -> tuple[list[float], int]:
    times: list[float] = []
    failed = 0
    lock = threading.Lock()
    accounts = ["office", "supervisor", "team1", "unit1", *OWNERS]

    def one(i: int) -> None:
        nonlocal failed
        browser = Browser(port, f"10.20.{i // 250}.{i % 250 + 1}", timeout=60)
        try:
            status, took, _ = browser.login(accounts[i % len(accounts)])
        except OSError:
            status, took = 0, 60.0
        finally:
            browser.close()
        with lock:
            times.append(took)
            failed += status != 302

    threads = []
    start = time.monotonic()
    for i in range(logins):
        time.sleep(max(0.0, start + i * seconds / logins - time.monotonic()))
        threads.append(threading.Thread(target=one, args=(i,), daemon=True))
        threads[-1].start()
    for thread in threads:
        thread.join(timeout=120)
    return times, failed


def report(stats: Stats, elapsed: float, users: int) -> int:
    total = sum(len(v) for v in stats.times.values())
    errors = sum(stats.errors.values())
    print(f"\n== {users} users for {elapsed:.0f} s: {total:,} requests, {total / elapsed:.1f} requests/s")
    print(f"  {'page':<40} {'requests':>8} {'error %':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for page, values in sorted(stats.times.items()):
        rate = 100 * stats.errors[page] / len(values)
        cells = [percentile(values, q) * 1000 for q in (0.5, 0.95, 0.99)]
        print(f"  {page:<40} {len(values):>8} {rate:>8.2f} {cells[0]:>8.0f} {cells[1]:>8.0f} {cells[2]:>8.0f}")
    everything = [t for v in stats.times.values() for t in v]
    overall = [percentile(everything, q) * 1000 for q in (0.5, 0.95, 0.99)]
    rate = 100 * errors / max(1, total)
    flag = "ok" if rate <= ERROR_GOAL else "← errors (goal 0 %)"
    print(f"  {'all':<40} {total:>8} {rate:>8.2f} {overall[0]:>8.0f} {overall[1]:>8.0f} {overall[2]:>8.0f}  {flag}")
    for page, sample in stats.samples.items():
        print(f"  first error on {page}: {sample}")
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="6 users for 5 s, a burst of 5 logins")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=180, help="seconds of browsing")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--burst", type=int, default=50, help="logins in the burst")
    parser.add_argument("--burst-seconds", type=float, default=5)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--threads", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="threads per process")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a user's requests (s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--attackers", type=int, default=0, help="anonymous wrong-login loops during the browsing")
    args = parser.parse_args(argv)
    if args.smoke:
        args.users, args.duration, args.burst, args.burst_seconds = 6, 5, 5, 1
    if not (1 <= args.users <= MAX_USERS and 1 <= args.duration <= MAX_DURATION and 1 <= args.burst <= MAX_USERS):
        parser.error(f"users and burst within 1..{MAX_USERS}, duration within 1..{MAX_DURATION} s")
    if not 0 <= args.attackers <= 50:
        parser.error("attackers within 0..50")

    with tempfile.TemporaryDirectory(prefix="zhenggai-load-bench-") as data_dir:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG"}}
        env.update(ZHENGGAI_DATA_DIR=data_dir, PYTHONPATH=str(ROOT), ZHENGGAI_LOG_LEVEL="WARNING")
        env.update(ZHENGGAI_TRUSTED_PROXIES=HOST, ZHENGGAI_CLIENT_IP_HEADER="X-Forwarded-For")
        if args.database == "postgres":
            base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
            with postgres_database(base) as url:
                return run(args, {**env, "DATABASE_URL": url})
        return run(args, env)


def run(args: argparse.Namespace, env: dict[str, str]) -> int:
    t0 = time.perf_counter()
    run_cli(env, "migrate", "-v", "0")
    run_cli(env, "demo", "--brief")
    print(
        f"load: {args.database}, demo loaded in {time.perf_counter() - t0:.0f} s; "
        f"server: {args.workers} worker(s) × {args.threads} threads; {os.cpu_count()} CPUs"
    )
    with server(env, args.workers, args.threads) as port:
        stats, elapsed = browse(port, args.users, args.duration, args.think, args.seed, args.attackers)
        errors = report(stats, elapsed, args.users)
        times, failed = burst(port, args.burst, args.burst_seconds)
    median, p95 = statistics.median(times), percentile(times, 0.95)
    flag = "ok" if median < LOGIN_MEDIAN_GOAL_S and not failed else f"← goal: median under {LOGIN_MEDIAN_GOAL_S:.0f} s"
    print(
        f"\n== login burst: {args.burst} logins in {args.burst_seconds:.0f} s: median {median:.2f} s, "
        f"p95 {p95:.2f} s, max {max(times):.2f} s, {failed} failed  {flag}"
    )
    if args.smoke:  # the smoke run proves the machinery, not the machine
        return 1 if errors or failed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
