"""Parse throughput per format on one core, and the peak memory of the whole run.

    python benchmarks/parse_bench.py [--count 1000] [--smoke] [--samples ../shared/samples]

Each format's sample reports are replicated to --count documents and parsed one after another in this
process (pinned to one CPU where the OS allows); generated fictional reports are added for text when
the generator is present. Each distinct document is parsed once first (imports, caches), untimed.
Prints reports/s, MB/s, pages/s for PDF, latency percentiles and the peak
resident memory of the process (ru_maxrss, which includes PDFium's native memory).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zhenggai.ingest import parse_bytes  # noqa: E402

FORMATS = (".txt", ".docx", ".pdf", ".html")


def pdf_pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def corpus(samples: Path, suffix: str, with_fiction: bool = True) -> list[tuple[str, bytes]]:
    files = [(p.name, p.read_bytes()) for p in sorted(samples.glob(f"*{suffix}")) if not p.name.endswith(".json")]
    if suffix == ".txt" and with_fiction:
        try:
            from zhenggai.fiction.generate import generate_report
            from zhenggai.fiction.render import to_text

            files += [(f"fiction-{seed}.txt", to_text(generate_report(seed)).encode()) for seed in range(20)]
        except ImportError:
            pass
    return files


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(samples: Path, count: int, with_fiction: bool = True) -> list[dict]:
    rows = []
    for suffix in FORMATS:
        files = corpus(samples, suffix, with_fiction)
        if not files:
            continue
        pages_each = {name: pdf_pages(data) for name, data in files} if suffix == ".pdf" else {}
        for name, data in files:  # warm-up, not counted: first-use imports, reader registry, caches
            parse_bytes(data, name)
        latencies = []
        size = pages = 0
        started = time.perf_counter()
        cpu_started = time.process_time()
        for i in range(count):
            name, data = files[i % len(files)]
            t0 = time.perf_counter()
            parse_bytes(data, name)
            latencies.append(time.perf_counter() - t0)
            size += len(data)
            pages += pages_each.get(name, 0)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        rows.append(
            {
                "format": suffix[1:],
                "docs": count,
                "distinct": len(files),
                "mb": size / 1e6,
                "seconds": elapsed,
                "docs_per_s": count / elapsed,
                "cpu_docs_per_s": count / cpu,
                "mb_per_s": size / 1e6 / elapsed,
                "pages_per_s": pages / elapsed if pages else None,
                "cpu_pages_per_s": pages / cpu if pages else None,
                "p50_ms": percentile(latencies, 0.5) * 1000,
                "p95_ms": percentile(latencies, 0.95) * 1000,
                "max_ms": max(latencies) * 1000,
                "mean_ms": statistics.fmean(latencies) * 1000,
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000, help="documents per format (default 1000)")
    parser.add_argument("--samples", type=Path, default=ROOT.parent / "shared" / "samples")
    parser.add_argument("--smoke", action="store_true", help="5 documents per format: checks the benchmark runs")
    parser.add_argument("--samples-only", action="store_true", help="only the sample reports, no generated ones")
    args = parser.parse_args()
    count = 5 if args.smoke else args.count
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rows = run(args.samples, count, with_fiction=not args.samples_only)
    from zhenggai.ingest import native

    steps = "compiled with mypyc" if native.compiled() else "pure Python (no compiled steps: run scripts/setup.sh)"
    print(f"parse benchmark: {count} documents per format, one core, Python {sys.version.split()[0]}")
    print(f"parser text steps: {steps}; each distinct document parsed once before timing")
    print("(wall: elapsed time; cpu: this process's CPU time, the fair figure on a shared machine)")
    header = (
        "format",
        "docs",
        "MB",
        "wall s",
        "docs/s",
        "cpu docs/s",
        "MB/s",
        "pages/s",
        "cpu pages/s",
        "p50 ms",
        "p95 ms",
    )
    print(" ".join(f"{h:>11}" for h in header))
    for r in rows:
        pages = f"{r['pages_per_s']:.0f}" if r["pages_per_s"] else "-"
        cpu_pages = f"{r['cpu_pages_per_s']:.0f}" if r["cpu_pages_per_s"] else "-"
        cells = (
            r["format"],
            r["docs"],
            f"{r['mb']:.1f}",
            f"{r['seconds']:.2f}",
            f"{r['docs_per_s']:.0f}",
            f"{r['cpu_docs_per_s']:.0f}",
            f"{r['mb_per_s']:.1f}",
            pages,
            cpu_pages,
            f"{r['p50_ms']:.2f}",
            f"{r['p95_ms']:.2f}",
        )
        print(" ".join(f"{c:>11}" for c in cells))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
