"""Oversight at province scale: common-problem grouping of 200,000 findings, and the dashboard's latency.

    python benchmarks/oversight_bench.py [--smoke] [--findings 200000] [--units 8000] [--requests 100]
                                         [--backend sqlite|postgres] [--skip-dashboard] [--skip-grouping]
                                         [--data-dir DIR]

1. Grouping: specific problems of a generated province (`zhenggai.fiction.generate_province`) are
   grouped into common problems (3-gram MinHash LSH + rapidfuzz + union-find) on one core; prints the
   time of each step against the 60 s goal, and the groups' purity by the generator's topic keys.
2. Dashboard: the province-scale ledger of `benchmarks/ledger_bench.py` (its dataset builder is
   imported), the stored per-inspection counts and the classification filled in, then the office's
   overview, a round's dashboard and the task list behind a number are requested N times each
   through the full middleware stack; prints p50/p95/p99 against the 300 ms goal. SQLite runs in a
   temporary data folder; with DATABASE_URL naming PostgreSQL the same runs in a scratch database.

`--smoke` runs both parts on a few hundred findings and 20 units, so CI runs it in seconds.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GROUPING_GOAL_S = 60
P95_GOAL_MS = 300
BENCH_DB = "zhenggai_oversight_bench"


# --- 1. grouping --------------------------------------------------------------------------------------


def grouping(findings: int, seed: int) -> None:
    from zhenggai.fiction import generate_province
    from zhenggai.oversight.analysis import common
    from zhenggai.oversight.analysis.similar import lsh_pairs, signatures

    t0 = time.perf_counter()
    statements, topics = [], {}
    for unit, report in enumerate(generate_province(seed, units=max(20, findings // 10))):
        for index, leaf in enumerate(report.leaves()):
            statements.append(common.Statement((unit, index), unit, leaf.title))
            topics[(unit, index)] = leaf.topic
        if len(statements) >= findings:
            break
    statements = statements[:findings]
    generated = time.perf_counter() - t0
    print(f"\n== common problems: {len(statements):,} generated specific problems ({generated:.1f} s to generate)")

    t1 = time.perf_counter()
    cut = {s.key: common.phrases(s.text) for s in statements}
    distinct = list(dict.fromkeys(p for ps in cut.values() for p in ps))
    t2 = time.perf_counter()
    sigs = signatures(distinct)
    t3 = time.perf_counter()
    pairs = sum(1 for _ in lsh_pairs(sigs, threshold=common.THRESHOLD))
    t4 = time.perf_counter()
    print(
        f"  steps: phrases {t2 - t1:.1f} s ({len(distinct):,} distinct), MinHash {t3 - t2:.1f} s, LSH {t4 - t3:.1f} s ({pairs:,} candidate pairs)"
    )

    t5 = time.perf_counter()
    groups = common.group(statements)
    total = time.perf_counter() - t5
    grouped = sum(g.size for g in groups)
    pure = sum(Counter(topics[k] for k in g.keys).most_common(1)[0][1] for g in groups)
    flag = "ok" if total < GROUPING_GOAL_S else f"← over the {GROUPING_GOAL_S} s goal"
    print(
        f"  group(): {total:.1f} s for {len(statements):,} findings ({len(statements) / total:,.0f}/s) {flag}; "
        f"{len(groups):,} groups holding {grouped:,} findings, purity {pure / max(1, grouped):.3f}"
    )


# --- 2. dashboard -------------------------------------------------------------------------------------


def run_child(backend: str, args: argparse.Namespace, env_extra: dict[str, str]) -> int:
    with tempfile.TemporaryDirectory(prefix=f"zhenggai-oversight-bench-{backend}-") as scratch:
        data_dir = args.data_dir if args.data_dir and backend == "sqlite" else scratch
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(env_extra)
        env.update(
            ZHENGGAI_DATA_DIR=data_dir,
            DJANGO_SETTINGS_MODULE="zhenggai.settings",
            DEBUG="0",
            ZHENGGAI_ALLOWED_HOSTS="testserver,localhost",
        )
        command = [sys.executable, __file__, "--child", backend, "--units", str(args.units)]
        command += ["--requests", str(args.requests), "--seed", str(args.seed)]
        command += ["--smoke-child"] if args.smoke else []
        return subprocess.run(command, env=env, check=False).returncode


def dashboard(args: argparse.Namespace) -> int:
    from benchmarks.ledger_bench import admin_sql

    backends = [args.backend] if args.backend else ["sqlite", "postgres"]
    database_url = os.environ.get("DATABASE_URL", "")
    failed = 0
    for backend in backends:
        if backend == "sqlite":
            failed |= run_child("sqlite", args, {})
            continue
        if not database_url.startswith(("postgres://", "postgresql://")):
            print("\n== postgres: skipped (set DATABASE_URL=postgres://… to run it)")
            continue
        admin_sql(database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        admin_sql(database_url, f"CREATE DATABASE {BENCH_DB}")
        try:
            bench_url = urlunparse(urlparse(database_url)._replace(path=f"/{BENCH_DB}"))
            failed |= run_child("postgres", args, {"DATABASE_URL": bench_url})
        finally:
            admin_sql(database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    return failed


def pages(rng: random.Random) -> list:
    from django.test import Client
    from django.urls import reverse

    from benchmarks.ledger_bench import Page
    from zhenggai.ledger.models import Round
    from zhenggai.org.models import User

    office = Client()
    office.force_login(User.objects.get(username="bench-office"))
    supervisor = Client()
    supervisor.force_login(User.objects.get(username="bench-supervisor"))
    rounds = list(Round.objects.values_list("pk", flat=True))
    return [
        Page("整改仪表板·各轮次 (oversight:overview, 巡察办)", lambda r: (office, reverse("oversight:overview"))),
        Page(
            "整改仪表板·本轮 (oversight:round, 纪委监委)",
            lambda r: (supervisor, reverse("oversight:round", args=[r.choice(rounds)])),
        ),
        Page(
            "红灯任务清单 (oversight:tasks, 巡察办)",
            lambda r: (office, reverse("oversight:tasks") + f"?round={r.choice(rounds)}&light=red"),
        ),
        Page(
            "共性问题·本轮 (oversight:common, 巡察办)",
            lambda r: (office, reverse("oversight:common") + f"?round={r.choice(rounds)}"),
        ),
    ]


def main_child(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from benchmarks.ledger_bench import Generator, analyze, existing_sizes, measure
    from zhenggai.ledger.management.static_files import collect_if_needed
    from zhenggai.oversight.services import classification, figures

    print(f"\n== dashboard on {args.child} ({connection.vendor})")
    call_command("migrate", verbosity=0)
    collect_if_needed()
    t0 = time.perf_counter()
    sizes = existing_sizes()
    if sizes is None:
        sizes = Generator(args.units, args.seed, timezone.localdate()).run()
    t1 = time.perf_counter()
    refreshed = figures.refresh_all()
    t2 = time.perf_counter()
    classified = classification.reclassify()
    t3 = time.perf_counter()
    analyze()
    print(
        f"  dataset: {sizes['rounds']} rounds, {sizes['units']} units, {sizes['items']:,} specific problems, "
        f"{sizes['tasks']:,} tasks (built in {t1 - t0:.1f} s by ledger_bench's Generator)"
    )
    print(
        f"  stored counts of {refreshed:,} inspections {t2 - t1:.1f} s; {classified:,} classifications {t3 - t2:.1f} s"
    )
    rng = random.Random(args.seed)
    results = [measure(page, args.requests, rng) for page in pages(rng)]
    print(f"  {'page':<46}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    slow = 0
    for row in results:
        target = not row["page"].startswith("共性问题")
        flag = f"  ← p95 ≥ {P95_GOAL_MS} ms" if target and row["p95"] >= P95_GOAL_MS else ""
        slow += bool(flag)
        print(
            f"  {row['page']:<46}{row['n']:>5}{row['p50']:>9.1f}{row['p95']:>9.1f}{row['p99']:>9.1f}{row['max']:>9.1f}{flag}"
        )
    return 1 if slow and not args.smoke_child else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    parser.add_argument("--findings", type=int, default=200_000)
    parser.add_argument("--units", type=int, default=8000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backend", choices=["sqlite", "postgres"])
    parser.add_argument("--skip-dashboard", action="store_true")
    parser.add_argument("--skip-grouping", action="store_true")
    parser.add_argument("--data-dir", help="keep the SQLite dataset in this folder and reuse it on the next run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--smoke-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return main_child(args)
    if args.smoke:
        args.findings, args.units, args.requests = 400, 20, 3
        args.backend = args.backend or "sqlite"
    if not args.skip_grouping:
        grouping(args.findings, args.seed)
    return 0 if args.skip_dashboard else dashboard(args)


if __name__ == "__main__":
    sys.exit(main())
