"""Search over published reports: how fast the search service and page answer at 100,000 reports.

    python benchmarks/search_bench.py [--smoke] [--reports 100000] [--queries 100] [--backend sqlite|postgres]

Loads N published reports (live revisions with their units, inspections and public reports) with
bulk inserts, texts composed from the paragraphs of a pool of `zhenggai.fiction` reports (each text
1,000–6,000 characters, like the generated reports), and builds the search index as the services do
(SQLite: FTS5 trigram and pair tables; PostgreSQL: pg_trgm GIN and the pair array). Then it searches
terms of 2, 3, 4 and 8 characters cut from random reports (mostly common words, as in the reports'
own vocabulary) and "rare" terms found in one report only (a unit's name),
through `search()` and through the page (Django test client, full middleware), and prints p50/p95
latency per length. Goal: p95 < 100 ms on both databases.

SQLite runs in a temporary data folder; PostgreSQL in a database `zhenggai_search_bench` created with
LC_COLLATE/LC_CTYPE 'C.UTF-8' from template0 on the server of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/postgres) and dropped at the end; it is skipped when no server
answers. Each backend runs in a child process, since Django is configured once per process.
`--smoke` loads 300 reports and runs 5 queries per length.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_DB = "zhenggai_search_bench"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
P95_GOAL_MS = 100
LENGTHS = (2, 3, 4, 8, "rare")
BATCH = 2000


# --- parent: one child process per backend ---------------------------------------------------------


def _pg(url: str, name: str | None = None) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(scheme="postgresql", path=f"/{name}" if name else parts.path))


def admin_sql(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(_pg(url), autocommit=True, connect_timeout=5) as connection:
        connection.execute(statement)


def database_exists(url: str) -> bool:
    import psycopg

    with psycopg.connect(_pg(url), connect_timeout=5) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone() is not None


def run_child(backend: str, args: argparse.Namespace, extra: dict[str, str]) -> dict | None:
    with tempfile.TemporaryDirectory(prefix=f"zhenggai-search-bench-{backend}-") as scratch:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(extra, ZHENGGAI_DATA_DIR=scratch, DJANGO_SETTINGS_MODULE="zhenggai.settings", DEBUG="0")
        env["ZHENGGAI_ALLOWED_HOSTS"] = "testserver,localhost"
        command = [sys.executable, __file__, "--child", backend, "--reports", str(args.reports)]
        command += ["--queries", str(args.queries), "--seed", str(args.seed)] + (["--keep-db"] if args.keep_db else [])
        done = subprocess.run(command, env=env, check=False, capture_output=True, text=True)
        sys.stdout.write("".join(line + "\n" for line in done.stdout.splitlines() if not line.startswith("{")))
        if done.returncode:
            sys.stderr.write(done.stderr)
            return None
        return json.loads([line for line in done.stdout.splitlines() if line.startswith("{")][-1])


def main_parent(args: argparse.Namespace) -> int:
    results, failed = [], False
    for backend in [args.backend] if args.backend else ["sqlite", "postgres"]:
        if backend == "sqlite":
            result = run_child("sqlite", args, {})
        else:
            base = os.environ.get("DATABASE_URL") or DEFAULT_PG
            try:
                if not (args.keep_db and database_exists(base)):
                    admin_sql(base, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
                    admin_sql(
                        base,
                        f"CREATE DATABASE {BENCH_DB} LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0",
                    )
            except Exception as error:  # no server: the SQLite figures still stand
                print(f"PostgreSQL: skipped ({type(error).__name__}: {str(error).strip()[:120]})")
                continue
            try:
                url = urlunparse(urlparse(base)._replace(path=f"/{BENCH_DB}"))
                result = run_child("postgres", args, {"DATABASE_URL": url})
            finally:
                if not args.keep_db:
                    admin_sql(base, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        failed |= result is None
        if result:
            results.append(result)
    summary(results, args)
    slow = [r for r in results for row in r["lengths"].values() if row["service_p95"] > P95_GOAL_MS]
    if slow and not args.smoke:
        print(f"p95 above the goal of {P95_GOAL_MS} ms")
    return 1 if failed else 0


def summary(results: list[dict], args: argparse.Namespace) -> None:
    print(f"\nsearch over {args.reports:,} published reports ({args.queries} queries per length), milliseconds")
    print(f"{'backend':<10}{'terms':>6}{'service p50':>13}{'p95':>8}{'page p50':>10}{'p95':>8}{'found p50':>11}")
    for result in results:
        for length, row in result["lengths"].items():
            print(
                f"{result['backend']:<10}{length:>6}{row['service_p50']:>13.1f}{row['service_p95']:>8.1f}"
                f"{row['page_p50']:>10.1f}{row['page_p95']:>8.1f}{_found(row, args.queries):>11}"
            )
        print(f"{result['backend']:<10} load {result['load_s']:.0f} s, index {result['index_s']:.0f} s")


def _found(row: dict, queries: int) -> str:
    """Median of the totals, "≥" when most of them were lower bounds; "many" when most were not counted."""
    if row["uncounted"] * 2 > queries or row["total_p50"] is None:
        return "many"
    return ("≥" if row.get("at_least", 0) * 2 > queries else "") + str(row["total_p50"])


# --- child: load, index, measure -------------------------------------------------------------------


def paragraphs(reports: int, seed: int) -> list[str]:
    from zhenggai.fiction import generate_report, to_text

    found: list[str] = []
    for n in range(reports):
        found += [line.strip() for line in to_text(generate_report(seed * 10_000 + n)).splitlines() if line.strip()]
    return found


def compose(rng: random.Random, pool: list[str], title: str) -> str:
    target, parts, size = rng.randint(1000, 6000), [title], len(title)
    while size < target:
        parts.append(rng.choice(pool))
        size += len(parts[-1]) + 1
    return "\n".join(parts)


def load(reports: int, seed: int, samples: list[str]) -> tuple[float, float]:
    """Bulk-load `reports` live revisions; keep a few texts in `samples`. Returns (load s, index s)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from zhenggai.ledger.models import Inspection, Round
    from zhenggai.org.models import Committee, Unit
    from zhenggai.public.models import PublicReport, Revision
    from zhenggai.public.search import index
    from zhenggai.public.search.grams import grams, word_grams

    rng = random.Random(seed)
    pool = paragraphs(200 if reports < 5000 else 1500, seed)
    committees = [Committee.objects.create(name=f"第{i}市委") for i in range(1, 6)]
    rounds = [
        Round.objects.create(committee=c, name=f"{c.name}{year}年第{n}轮巡察", year=year, number=n)
        for c in committees
        for year in range(2019, 2025)
        for n in (1, 2, 3)
    ]
    vendor = connection.vendor
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS public_revision_body_trgm")
    started, index_s, now, today = time.perf_counter(), 0.0, timezone.now(), timezone.localdate()
    for offset in range(0, reports, BATCH):
        count = min(BATCH, reports - offset)
        with transaction.atomic():
            chosen = [rng.choice(rounds) for _ in range(count)]
            units = Unit.objects.bulk_create(
                Unit(committee_id=r.committee_id, name=f"第{offset + i + 1}号单位党组") for i, r in enumerate(chosen)
            )
            inspections = Inspection.objects.bulk_create(
                Inspection(round=r, unit=u, tree_sha256=f"{offset + i:064d}")
                for i, (r, u) in enumerate(zip(chosen, units, strict=True))
            )
            titles = [f"中共{u.name}关于{r.name}反馈意见整改情况的通报" for r, u in zip(chosen, units, strict=True)]
            public = PublicReport.objects.bulk_create(
                PublicReport(
                    inspection=ins, committee_id=r.committee_id, round=r, unit=u, year=r.year, state="published",
                    title=t, publisher=f"中共{u.name}", published_on=today, changed_at=now,
                )
                for ins, r, u, t in zip(inspections, chosen, units, titles, strict=True)
            )  # fmt: skip
            texts = [compose(rng, pool, title) for title in titles]
            Revision.objects.bulk_create(
                Revision(
                    report=p, number=1, state="approved", title=t, publisher=p.publisher, dated=today, as_of=today,
                    body_html="".join(f"<p>{line}</p>" for line in text.split("\n")), body_text=text,
                    submitted_at=now, decided_at=now, live=True, search_seq=offset + i + 1,
                )
                for i, (p, t, text) in enumerate(zip(public, titles, texts, strict=True))
            )  # fmt: skip
            tick = time.perf_counter()
            seqs = range(offset + 1, offset + count + 1)
            with connection.cursor() as cursor:
                if vendor == "sqlite":
                    cursor.executemany(
                        "INSERT INTO public_search_trigram(rowid, body) VALUES (%s, %s)",
                        list(zip(seqs, texts, strict=True)),
                    )
                    cursor.executemany(
                        "INSERT INTO public_search_grams(rowid, grams) VALUES (%s, %s)",
                        [(s, word_grams(t)) for s, t in zip(seqs, texts, strict=True)],
                    )
                elif vendor == "postgresql":
                    with cursor.cursor.copy("COPY public_search_grams (seq, grams) FROM STDIN") as copy:
                        copy.set_types(["int8", "text[]"])
                        for s, t in zip(seqs, texts, strict=True):
                            copy.write_row((s, sorted(grams(t))))
            index_s += time.perf_counter() - tick
        samples += rng.sample(texts, min(len(texts), 20))
        if offset and offset % (BATCH * 10) == 0:
            print(f"  … {offset:,} reports", flush=True)
    tick = time.perf_counter()
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            for table in ("public_search_trigram", "public_search_grams"):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute(
                "CREATE INDEX public_revision_body_trgm ON public_revision USING gin (body_text gin_trgm_ops) WHERE live"
            )
            cursor.execute("ANALYZE")
    index_s += time.perf_counter() - tick
    assert index.backend() is not None
    return time.perf_counter() - started - index_s, index_s


def terms(samples: list[str], length: int | str, n: int, rng: random.Random, reports: int = 1) -> list[str]:
    """`n` terms of `length` characters cut from the sampled texts, letters and digits only; "rare":
    a unit's own name (第4711号单位), found in one report only."""
    if length == "rare":
        return [f"第{rng.randint(1, reports)}号单位" for _ in range(n)]
    found: list[str] = []
    while len(found) < n:
        text = rng.choice(samples)
        start = rng.randrange(0, max(1, len(text) - length))
        term = text[start : start + length]
        if len(term) == length and term.isalnum():
            found.append(term)
    return found


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(samples: list[str], queries: int, seed: int, reports: int) -> dict:
    from django.test import Client

    from zhenggai.public.search import search

    rng, client, lengths = random.Random(seed + 7), Client(), {}
    for warm in terms(samples, 3, 5, rng):
        search(warm)
        client.get("/gongkai/search/", {"q": warm})
    for length in LENGTHS:
        service, page, totals, capped = [], [], [], 0
        for term in terms(samples, length, queries, rng, reports):
            tick = time.perf_counter()
            result = search(term)
            service.append((time.perf_counter() - tick) * 1000)
            if result.total is not None:
                totals.append(result.total)
                capped += result.capped
            assert result.hits, f"{term!r} was cut from a report but not found"
            tick = time.perf_counter()
            response = client.get("/gongkai/search/", {"q": term})
            page.append((time.perf_counter() - tick) * 1000)
            assert response.status_code == 200
        lengths[length] = {
            "service_p50": round(percentile(service, 0.5), 1),
            "service_p95": round(percentile(service, 0.95), 1),
            "page_p50": round(percentile(page, 0.5), 1),
            "page_p95": round(percentile(page, 0.95), 1),
            "total_p50": int(percentile(totals, 0.5)) if totals else None,
            "uncounted": queries - len(totals),
            "at_least": capped,
        }
    return lengths


def main_child(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the page links the hashed stylesheet
    from zhenggai.public.models import Revision

    samples: list[str] = []
    if args.keep_db and Revision.objects.filter(live=True).count() == args.reports:
        print(f"{args.child}: reusing the {args.reports:,} reports already loaded", flush=True)
        picks = random.Random(args.seed).sample(range(1, args.reports + 1), min(args.reports, 1000))
        samples = list(Revision.objects.filter(search_seq__in=picks).values_list("body_text", flat=True))
        load_s = index_s = 0.0
    else:
        print(f"{args.child}: loading {args.reports:,} reports", flush=True)
        load_s, index_s = load(args.reports, args.seed, samples)
    print(f"{args.child}: loaded in {load_s:.0f} s, indexed in {index_s:.0f} s; searching", flush=True)
    lengths = measure(samples, args.queries, args.seed, args.reports)
    print(json.dumps({"backend": args.child, "load_s": load_s, "index_s": index_s, "lengths": lengths}))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="300 reports, 5 queries per length (seconds)")
    parser.add_argument("--reports", type=int, default=100_000, help="published reports (default 100,000)")
    parser.add_argument("--queries", type=int, default=100, help="queries per term length (default 100)")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), help="only this backend")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--keep-db", action="store_true", help=f"PostgreSQL: keep {BENCH_DB} and reuse its reports on the next run"
    )
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.smoke:
        args.reports, args.queries = 300, 5
    return main_child(args) if args.child else main_parent(args)


if __name__ == "__main__":
    sys.exit(main())
