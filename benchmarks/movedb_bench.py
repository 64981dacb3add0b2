"""Moving a grown SQLite installation to PostgreSQL: how long `zhenggai move-db` takes and how much memory.

    python benchmarks/movedb_bench.py [--smoke] [--tasks 100000]

Builds a demo installation (`zhenggai demo`) in a temporary data folder and enlarges it with the
province generator of ledger_bench.py (texts from `zhenggai.fiction` reports, bulk inserts) until it
holds at least N tasks, then runs `zhenggai move-db --to …` as an operator would, into a database
`zhenggai_movedb_bench` created with C.UTF-8 on the server of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/postgres) and dropped at the end. Prints the wall time of the move
and the peak resident memory of the move-db process (getrusage of the child, which includes the
migrate process it starts). Skipped when no PostgreSQL server answers. `--smoke` uses 2,000 tasks.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

BENCH_DB = "zhenggai_movedb_bench"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
TASKS_PER_UNIT = 50  # the generator averages ~60 tasks per unit; 50 makes sure N is reached


def admin_sql(base_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(urlunparse(urlparse(base_url)._replace(scheme="postgresql")), autocommit=True) as conn:
        conn.execute(statement)


def server_answers(base_url: str) -> bool:
    try:
        admin_sql(base_url, "SELECT 1")
    except Exception:
        return False
    return True


def populate(tasks: int) -> int:
    """Child: migrate, load the demo, enlarge it; prints the sizes as JSON."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone
    from ledger_bench import Generator

    from zhenggai.ledger.models import Event, Task

    call_command("migrate", verbosity=0)
    call_command("demo", "--brief", verbosity=0)
    units = max(1, -(-(tasks - Task.objects.count()) // TASKS_PER_UNIT))
    Generator(units, 1, timezone.localdate()).run()
    print(json.dumps({"tasks": Task.objects.count(), "events": Event.objects.count(), "units": units}))
    return 0


def move(data_dir: str, target_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(ZHENGGAI_DATA_DIR=data_dir, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "zhenggai.cli", "move-db", "--to", target_url],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
        _, status, usage = os.wait4(child.pid, 0)  # the child's own rusage (its migrate child included)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if child.returncode != 0:
        raise SystemExit(f"move-db failed ({child.returncode}):\n{text}")
    return {"seconds": seconds, "summary": text.strip().splitlines()[-2], "usage": usage}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="2,000 tasks (seconds)")
    parser.add_argument("--tasks", type=int, default=100_000, help="at least this many tasks (default 100000)")
    parser.add_argument("--populate", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.populate is not None:
        return populate(args.populate)
    tasks = 2000 if args.smoke else args.tasks
    base = os.environ.get("DATABASE_URL", "")
    base = base if base.startswith(("postgres://", "postgresql://")) else DEFAULT_PG
    if not server_answers(base):
        print("movedb_bench: skipped (no PostgreSQL server answers; set DATABASE_URL=postgres://…)")
        return 0
    with tempfile.TemporaryDirectory(prefix="zhenggai-movedb-bench-") as data_dir:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(ZHENGGAI_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="zhenggai.settings")
        started = time.perf_counter()
        made = subprocess.run(
            [sys.executable, __file__, "--populate", str(tasks)], env=env, capture_output=True, text=True, check=False
        )
        if made.returncode != 0:
            print(made.stdout + made.stderr)
            return 1
        sizes = json.loads(made.stdout.strip().splitlines()[-1])
        size_mb = (Path(data_dir) / "db.sqlite3").stat().st_size / 2**20
        print(
            f"source: SQLite {size_mb:.0f} MB, {sizes['tasks']:,} tasks, {sizes['events']:,} events "
            f"(built in {time.perf_counter() - started:.1f} s)"
        )
        admin_sql(base, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        admin_sql(
            base,
            f"CREATE DATABASE {BENCH_DB} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'",
        )
        try:
            result = move(data_dir, urlunparse(urlparse(base)._replace(path=f"/{BENCH_DB}")))
        finally:
            admin_sql(base, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    peak_mb = result["usage"].ru_maxrss / 1024
    print(f"move-db: {result['seconds']:.1f} s, peak memory {peak_mb:.0f} MB")
    print(f"  {result['summary']}")
    record = {"tasks": sizes["tasks"], "events": sizes["events"], "seconds": round(result["seconds"], 1)}
    print("  json: " + json.dumps({**record, "peak_mb": round(peak_mb)}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
