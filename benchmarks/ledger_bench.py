"""Province-scale ledger: how fast the unit's ledger page and the office's round overview answer.

    python benchmarks/ledger_bench.py [--smoke] [--units 8000] [--requests 200] [--backend sqlite|postgres]

Generates a province's term of inspections (default 8,000 units, one inspection each, 10–40
specific problems per unit with 1–4 measures each: ≥ 200,000 specific problems and ≥ 500,000
tasks), with users, responsibilities, deadlines around today and some closed tasks, straight
into the database with bulk inserts in batches. Texts are drawn from a pool of `zhenggai.fiction`
reports. Then it requests each page N times through the full middleware stack (Django test
client, logged-in session or bearer token), each time for a random unit or round, and prints
p50/p95/p99 latency and requests per second.

SQLite runs in a temporary data folder. When DATABASE_URL names a PostgreSQL server, the same is
done in a database `zhenggai_bench` created next to it (and dropped at the end). Each backend
runs in a child process of this script, since Django is configured once per process.
`--smoke` uses 20 units and a few requests, so CI runs it in seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_DB = "zhenggai_bench"
P95_GOAL_MS = 200


# --- parent: one child process per backend ---------------------------------------------------------


def postgres_url(base: str, name: str) -> str:
    parts = urlparse(base)
    return urlunparse(parts._replace(scheme="postgresql", path=f"/{name}"))


def admin_sql(base_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(
        postgres_url(base_url, urlparse(base_url).path.lstrip("/") or "postgres"), autocommit=True
    ) as c:
        c.execute(statement)


def database_exists(base_url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(postgres_url(base_url, urlparse(base_url).path.lstrip("/") or "postgres")) as c:
        return c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def run_child(backend: str, args: argparse.Namespace, env_extra: dict[str, str]) -> int:
    if args.data_dir:
        Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    keep = args.data_dir and backend == "sqlite"
    with tempfile.TemporaryDirectory(prefix=f"zhenggai-bench-{backend}-") as scratch:
        data_dir = args.data_dir if keep else scratch
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
        return subprocess.run(command, env=env, check=False).returncode


def main_parent(args: argparse.Namespace) -> int:
    backends = [args.backend] if args.backend else ["sqlite", "postgres"]
    database_url = os.environ.get("DATABASE_URL", "")
    failed = 0
    for backend in backends:
        if backend == "sqlite":
            failed |= run_child("sqlite", args, {})
            continue
        if not database_url.startswith(("postgres://", "postgresql://")):
            print("PostgreSQL: skipped (set DATABASE_URL=postgres://… to run it)")
            continue
        if not args.keep_db:
            admin_sql(database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        if not database_exists(database_url, BENCH_DB):
            admin_sql(database_url, f"CREATE DATABASE {BENCH_DB}")
        try:
            bench_url = urlunparse(urlparse(database_url)._replace(path=f"/{BENCH_DB}"))
            failed |= run_child("postgres", args, {"DATABASE_URL": bench_url})
        finally:
            if not args.keep_db:
                admin_sql(database_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    return failed


# --- child: generate, then measure ----------------------------------------------------------------


@dataclass
class TextPool:
    """Titles and measures from fictional reports, reused round-robin so a big dataset costs no more text."""

    units: list[str]
    aspects: list[str]
    problems: list[str]
    items: list[str]
    measures: list[str]

    @classmethod
    def from_fiction(cls, reports: int, seed: int) -> TextPool:
        from zhenggai.fiction import generate_report

        pool = cls([], [], [], [], [])
        for n in range(reports):
            report = generate_report(seed * 1000 + n)
            doc = report.to_ledger()
            pool.units.append(report.unit)
            for aspect in doc.findings:
                pool.aspects.append(aspect.title)
                for child in aspect.children:
                    (pool.problems if child.children else pool.items).append(child.title)
                    for leaf in child.leaves() if child.children else []:
                        pool.items.append(leaf.title)
                for leaf in aspect.leaves():
                    pool.measures.extend(leaf.measures)
        return pool


def rollup(statuses):
    from zhenggai.ledger.rollup import rollup_status

    return rollup_status(statuses)


class Generator:
    """Writes the dataset with bulk inserts, one batch of inspections per transaction."""

    STATUSES = ("完成整改", "完成整改", "正在推进", "正在推进", "基本完成", "长期坚持", "未完成")

    def __init__(self, units: int, seed: int, today: date) -> None:
        from django.contrib.auth.hashers import make_password

        self.units, self.today, self.rng = units, today, random.Random(seed)
        self.text = TextPool.from_fiction(60 if units > 100 else 10, seed)
        self.password = make_password("bench-password-不用于登录")
        self.counter = {"findings": 0, "items": 0, "tasks": 0}

    def pick(self, values: list[str], n: int) -> str:
        return values[n % len(values)]

    def run(self, batch: int = 100) -> dict:
        from django.db import transaction

        from zhenggai.ledger.models import Round
        from zhenggai.org.models import Committee, InspectionTeam, Role, Unit, User

        office = User.objects.create(username="bench-office", role=Role.OFFICE, password=self.password)
        User.objects.create(username="bench-supervisor", role=Role.SUPERVISOR, password=self.password)
        plan = self.plan()
        committees = Committee.objects.bulk_create(
            [Committee(name=f"第{c + 1}号市县委") for c in range(plan["committees"])]
        )
        teams = InspectionTeam.objects.bulk_create(
            [InspectionTeam(committee=c, name=f"第{t + 1}巡察组") for c in committees for t in range(4)]
        )
        rounds = Round.objects.bulk_create(
            [
                Round(committee=committees[c], name=f"第{r + 1}轮巡察", number=r + 1, year=self.today.year - (r % 3))
                for c, r in plan["rounds"]
            ]
        )
        units = Unit.objects.bulk_create(
            [
                Unit(committee=committees[c], name=f"{self.pick(self.text.units, i)}{i}", kind=Unit.Kind.DEPARTMENT)
                for i, c in enumerate(plan["unit_committee"])
            ],
            batch_size=1000,
        )
        people = []
        for unit in units:
            people.append(User(username=f"u{unit.pk}", role=Role.UNIT_OFFICE, unit=unit, password=self.password))
            for k in (1, 2):
                people.append(
                    User(username=f"r{unit.pk}-{k}", role=Role.RESPONSIBLE, unit=unit, password=self.password)
                )
        User.objects.bulk_create(people, batch_size=2000)
        handlers = {}
        for user_id, unit_id in User.objects.filter(role=Role.RESPONSIBLE).values_list("pk", "unit_id"):
            handlers.setdefault(unit_id, []).append(user_id)
        for start in range(0, len(units), batch):
            with transaction.atomic():
                self.write_batch(units[start : start + batch], start, plan, rounds, teams, handlers, office)
        return {"units": len(units), "rounds": len(rounds), "committees": len(committees), **self.counter}

    def plan(self) -> dict:
        """Committees of ~70 units; rounds of 5–40 units within a committee."""
        committees = max(1, self.units // 70)
        unit_committee = [i * committees // self.units for i in range(self.units)]
        rounds, unit_round, size_cycle, current, filled, r = [], [], 0, None, 0, 0
        for c in unit_committee:
            size = 5 + (size_cycle * 13) % 36
            if c != current or filled >= size:
                r = r + 1 if c == current else 0
                current, filled, size_cycle = c, 0, size_cycle + 1
                rounds.append((c, r))
            unit_round.append(len(rounds) - 1)
            filled += 1
        return {"committees": committees, "unit_committee": unit_committee, "rounds": rounds, "unit_round": unit_round}

    def write_batch(self, units, offset, plan, rounds, teams, handlers, office) -> None:
        from zhenggai.ledger.models import Closure, Event, Finding, FindingKind, Inspection, Task

        inspections = []
        for n, unit in enumerate(units):
            i = offset + n
            round_ = rounds[plan["unit_round"][i]]
            feedback = self.today - timedelta(days=30 + (i * 37) % 700)
            inspections.append(
                Inspection(
                    round=round_,
                    unit=unit,
                    team=teams[plan["unit_committee"][i] * 4 + i % 4],
                    unit_name=unit.name,
                    team_name="巡察组",
                    committee_name="县委",
                    start=feedback - timedelta(days=70),
                    end=feedback - timedelta(days=25),
                    feedback_date=feedback,
                    source_name=f"bench-{i}.txt",
                    source_sha256=f"{i:064x}",
                    tree_sha256=f"{i:064x}",
                    created_by=office,
                )
            )
        Inspection.objects.bulk_create(inspections)
        aspects, shapes = [], []
        for n, inspection in enumerate(inspections):
            i = offset + n
            leaves = 11 + i % 30
            n_aspects = 3 + i % 4
            middle = i % 2 == 0
            shapes.append((inspection, leaves, n_aspects, middle, i))
            for a in range(n_aspects):
                aspects.append(
                    Finding(
                        inspection=inspection,
                        level=1,
                        position=a,
                        label=str(a + 1),
                        title=self.pick(self.text.aspects, i + a),
                        kind=FindingKind.ASPECT,
                    )
                )
        Finding.objects.bulk_create(aspects, batch_size=2000)
        by_inspection: dict[int, list] = {}
        for aspect in aspects:
            by_inspection.setdefault(aspect.inspection_id, []).append(aspect)

        middles, leaf_rows, leaf_parent_depth = [], [], []
        for inspection, leaves, n_aspects, middle, i in shapes:
            tops = by_inspection[inspection.pk]
            for k in range(leaves):
                aspect = tops[k % n_aspects]
                parent, level = aspect, 2
                if middle:
                    group = k // 3
                    key = (inspection.pk, group)
                    if not middles or middles[-1][0] != key:
                        problem = Finding(
                            inspection=inspection,
                            parent=aspect,
                            level=2,
                            position=group,
                            label=f"({group + 1})",
                            title=self.pick(self.text.problems, i + group),
                            kind=FindingKind.PROBLEM,
                        )
                        middles.append((key, problem))
                    parent, level = middles[-1][1], 3
                status = self.STATUSES[(i + k) % len(self.STATUSES)]
                leaf = Finding(
                    inspection=inspection,
                    level=level,
                    position=k,
                    label=str(k + 1),
                    title=self.pick(self.text.items, i * 7 + k),
                    kind=FindingKind.ITEM,
                    status=status,
                )
                leaf_rows.append(leaf)
                leaf_parent_depth.append(parent)
        Finding.objects.bulk_create([m for _, m in middles], batch_size=2000)
        for leaf, parent in zip(leaf_rows, leaf_parent_depth, strict=True):
            leaf.parent = parent
        Finding.objects.bulk_create(leaf_rows, batch_size=2000)
        self.roll_up([m for _, m in middles], leaf_rows, aspects)

        tasks = []
        for leaf in leaf_rows:
            i = leaf.position + leaf.inspection_id
            unit_id = leaf.inspection.unit_id
            feedback = leaf.inspection.feedback_date
            for m in range(1 + (leaf.position + leaf.inspection_id) % 4):
                closed = leaf.status == "完成整改" and (i + m) % 3 != 0
                tasks.append(
                    Task(
                        finding=leaf,
                        position=m,
                        text=self.pick(self.text.measures, i * 5 + m),
                        status=leaf.status,
                        closure=Closure.CLOSED if closed else Closure.OPEN,
                        responsible_leader="分管领导",
                        department=("办公室", "财务科", "人事科", "业务科")[(i + m) % 4],
                        handler_id=handlers[unit_id][(i + m) % 2] if (i + m) % 10 < 7 else None,
                        deadline=feedback + timedelta(days=60 + (i * 11 + m * 17) % 90),
                        closed_at=None,
                    )
                )
        Task.objects.bulk_create(tasks, batch_size=2000)
        Event.objects.bulk_create(
            [
                Event(
                    actor=office, inspection=s[0], object_type="inspection", object_id=str(s[0].pk), action="imported"
                )
                for s in shapes
            ]
        )
        self.counter["findings"] += len(aspects) + len(middles) + len(leaf_rows)
        self.counter["items"] += len(leaf_rows)
        self.counter["tasks"] += len(tasks)

    def roll_up(self, middles, leaves, aspects) -> None:
        """Statuses above the leaves follow from below, as the workflow would have left them."""
        from zhenggai.ledger.models import Finding

        below: dict[int, list[str]] = {}
        for leaf in leaves:
            below.setdefault(leaf.parent_id, []).append(leaf.status)
        for problem in middles:
            problem.status = rollup(below.get(problem.pk, []))
            below.setdefault(problem.parent_id, []).append(problem.status)
        for aspect in aspects:
            aspect.status = rollup(below.get(aspect.pk, []))
        Finding.objects.bulk_update([*middles, *aspects], ["status"], batch_size=2000)


def existing_sizes() -> dict | None:
    """The sizes of a dataset a previous run left in the data folder (--data-dir), or None."""
    from zhenggai.ledger.models import Finding, FindingKind, Inspection, Round, Task
    from zhenggai.org.models import Committee, User

    if not User.objects.filter(username="bench-office").exists():
        return None
    return {
        "units": Inspection.objects.count(),
        "rounds": Round.objects.count(),
        "committees": Committee.objects.count(),
        "findings": Finding.objects.count(),
        "items": Finding.objects.filter(kind=FindingKind.ITEM).count(),
        "tasks": Task.objects.count(),
    }


def analyze() -> None:
    """Statistics for the planner; on PostgreSQL also the visibility map that index-only scans need
    (what autovacuum does for a settled database, done at once here)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


@dataclass
class Page:
    name: str
    path_for: object  # callable(rng) -> (client, path)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(page: Page, requests: int, rng: random.Random) -> dict:
    for _ in range(min(5, requests)):
        client, path = page.path_for(rng)
        response = client.get(path)
        assert response.status_code == 200, (page.name, path, response.status_code, response.content[:300])
    timings = []
    started = time.perf_counter()
    for _ in range(requests):
        client, path = page.path_for(rng)
        t0 = time.perf_counter()
        response = client.get(path)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (page.name, path, response.status_code)
    elapsed = time.perf_counter() - started
    return {
        "page": page.name,
        "n": requests,
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "p99": percentile(timings, 0.99),
        "max": max(timings),
        "rps": requests / elapsed,
    }


def pages(sample_units: int, rng: random.Random) -> list[Page]:
    """The pages to measure: web pages by URL name when the web app is installed, and the API's."""
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from zhenggai.api.tokens import create_token
    from zhenggai.ledger.models import Inspection, Round
    from zhenggai.org.models import Role, User

    office = User.objects.get(username="bench-office")
    inspections = list(Inspection.objects.order_by("?").values_list("pk", "unit_id")[:sample_units])
    unit_offices = dict(
        User.objects.filter(role=Role.UNIT_OFFICE, unit_id__in=[u for _, u in inspections]).values_list("unit_id", "pk")
    )
    users = {u.pk: u for u in User.objects.filter(pk__in=unit_offices.values())}
    sessions, tokens = {}, {}
    for inspection_id, unit_id in inspections:
        user = users[unit_offices[unit_id]]
        client = Client()
        client.force_login(user)
        sessions[inspection_id] = client
        tokens[inspection_id] = Client(headers={"Authorization": f"Bearer {create_token(user)[1]}"})
    office_session = Client()
    office_session.force_login(office)
    office_api = Client(headers={"Authorization": f"Bearer {create_token(office)[1]}"})
    round_ids = list(Round.objects.values_list("pk", flat=True))
    ids = list(sessions)

    found = []
    try:
        reverse("web:inspection", args=[1])
        reverse("web:round", args=[1])
        found += [
            Page(
                "web 单位台账 (web:inspection, 整改办)",
                lambda r: (sessions[(i := r.choice(ids))], reverse("web:inspection", args=[i])),
            ),
            Page(
                "web 轮次总览 (web:round, 巡察办)",
                lambda r: (office_session, reverse("web:round", args=[r.choice(round_ids)])),
            ),
            Page("web 轮次列表 (web:rounds, 巡察办)", lambda r: (office_session, reverse("web:rounds"))),
        ]
    except NoReverseMatch:
        print("  (web pages not installed: measuring the API only)")
    found += [
        Page(
            "api 台账树 /inspections/{id}/tree",
            lambda r: (tokens[(i := r.choice(ids))], f"/api/v1/inspections/{i}/tree"),
        ),
        Page("api 轮次总览 /rounds/{id}", lambda r: (office_api, f"/api/v1/rounds/{r.choice(round_ids)}")),
        Page("api 轮次列表 /rounds", lambda r: (office_api, "/api/v1/rounds")),
    ]
    return found


def main_child(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from zhenggai.ledger.management.static_files import collect_if_needed

    backend = args.child
    print(
        f"\n== {backend} ({connection.vendor}{' ' + connection.settings_dict['NAME'] if backend == 'postgres' else ''})"
    )
    call_command("migrate", verbosity=0)
    collect_if_needed()
    t0 = time.perf_counter()
    sizes = existing_sizes()
    reused = sizes is not None
    if sizes is None:
        sizes = Generator(args.units, args.seed, timezone.localdate()).run()
    generated = time.perf_counter() - t0
    t1 = time.perf_counter()
    analyze()
    print(
        f"  dataset: {sizes['committees']} committees, {sizes['rounds']} rounds, {sizes['units']} units, "
        f"{sizes['findings']:,} findings of which {sizes['items']:,} specific problems, {sizes['tasks']:,} tasks"
    )
    made = f"generated in {generated:.1f} s ({sizes['tasks'] / generated:,.0f} tasks/s)" if not reused else "reused"
    print(f"  {made}, (VACUUM) ANALYZE {time.perf_counter() - t1:.1f} s")
    rng = random.Random(args.seed)
    results = [measure(page, args.requests, rng) for page in pages(min(50, sizes["units"]), rng)]
    print(f"  {'page':<44}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'req/s':>8}")
    for row in results:
        flag = "" if row["p95"] < P95_GOAL_MS else f"  ← p95 ≥ {P95_GOAL_MS} ms"
        print(
            f"  {row['page']:<44}{row['n']:>5}{row['p50']:>9.1f}{row['p95']:>9.1f}{row['p99']:>9.1f}"
            f"{row['max']:>9.1f}{row['rps']:>8.1f}{flag}"
        )
    rounded = [{k: round(v, 1) if isinstance(v, float) else v for k, v in row.items()} for row in results]
    record = {"backend": backend, "sizes": sizes, "generated_s": round(generated, 1), "pages": rounded}
    print("  json: " + json.dumps(record, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="20 units and 5 requests per page (seconds)")
    parser.add_argument("--units", type=int, default=8000, help="units, one inspection each (default 8000)")
    parser.add_argument("--requests", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), help="only this backend")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--keep-db", action="store_true", help=f"PostgreSQL: keep the database {BENCH_DB} and reuse it on the next run"
    )
    parser.add_argument(
        "--data-dir", help="keep the SQLite dataset in this folder and reuse it on the next run (PostgreSQL: ignored)"
    )
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.smoke:
        args.units, args.requests = 20, 5
    if args.child:
        return main_child(args)
    return main_parent(args)


if __name__ == "__main__":
    sys.exit(main())
