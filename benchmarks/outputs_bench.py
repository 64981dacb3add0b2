"""Outputs: how long the documents a unit downloads take to make.

    python benchmarks/outputs_bench.py [--samples DIR] [--smoke] [--repeat 20] [--tasks 2000]

Measures, each repeated and reported as p50/p95:
- the GB/T 9704 .docx of the largest sample report in --samples (default ../shared/samples; compose,
  punctuation and write; target < 1 s),
- the .docx of a large fictional report (`zhenggai.fiction.generate_report`, 400 specific problems),
- the PDF of the largest sample (LibreOffice headless with the Fandol fonts; target < 3 s; skipped
  without soffice),
- the Excel workbook of an inspection with 2,000 tasks, read from the database (export), and reading
  it back for import (an untouched workbook: every row compared, nothing written).

The database part runs on a fresh SQLite file in a temporary data folder. `--smoke` repeats each
measure twice with a 200-task inspection, so CI runs it in seconds. A samples folder that is missing
or holds no .txt report is an error, except in a smoke run, which then skips the sample's measures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLES = ROOT.parent / "shared" / "samples"
DOCX_TARGET_S = 1.0
PDF_TARGET_S = 3.0


def timed(label: str, repeat: int, work: Callable[[], object]) -> dict:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    row = {"label": label, "n": repeat, "p50": statistics.median(times), "p95": p95}
    print(f"{label:<46} n={repeat:<3} p50 {row['p50'] * 1000:8.1f} ms   p95 {row['p95'] * 1000:8.1f} ms", flush=True)
    return row


def largest_sample(samples: Path):
    from zhenggai.ingest import parse_file

    files = sorted(samples.glob("*.txt"), key=lambda p: p.stat().st_size) if samples.is_dir() else []
    if not files:
        return None, None
    return files[-1], parse_file(files[-1])


def fictional_report(leaves_per_problem: int):
    """A large fictional ledger: 8 aspects × 5 problems × N specific problems × 5 measures."""
    from zhenggai.fiction import generate_report

    for seed in range(1, 200):  # a few seeds number their headings past what the generator can write
        try:
            return generate_report(
                seed, aspects=8, middle="all", problems=5, items=leaves_per_problem, measures=5
            ).to_ledger()
        except IndexError:
            continue
    raise RuntimeError("no fictional report could be generated")


def documents(args) -> list[dict]:
    from zhenggai.outputs import ReportContext, compose
    from zhenggai.outputs.docx_gbt import to_docx
    from zhenggai.outputs.pdf import docx_to_pdf, soffice

    rows = []
    ctx = ReportContext(as_of=date(2024, 8, 30))
    path, sample = largest_sample(args.samples)
    if sample is not None:
        label = f".docx of {path.name} ({len(sample.leaves())} problems)"
        rows.append(timed(label, args.repeat, lambda: to_docx(compose(sample, ctx))))
        rows[-1]["target"] = DOCX_TARGET_S
    big = fictional_report(10)
    label = f".docx of a fictional report ({len(big.leaves())} problems)"
    rows.append(timed(label, max(2, args.repeat // 4), lambda: to_docx(compose(big, ctx))))
    if sample is not None and soffice():
        data = to_docx(compose(sample, ctx))
        rows.append(timed(f"PDF of {path.name} (LibreOffice)", 1 if args.smoke else 5, lambda: docx_to_pdf(data)))
        rows[-1]["target"] = PDF_TARGET_S
    elif sample is not None:
        print("PDF: skipped, LibreOffice (soffice) is not installed")
    return rows


def workbook(args) -> list[dict]:
    """Export and re-read the workbook of an inspection with `args.tasks` tasks, through the database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from zhenggai.ledger.models import Round, Task
    from zhenggai.ledger.services.import_ledger import import_document
    from zhenggai.org.models import Committee, Role, User
    from zhenggai.reports.ledger_xlsx import ledger_workbook
    from zhenggai.reports.xlsx_import import import_workbook

    office = User.objects.create_user("bench-office", role=Role.OFFICE)
    round_ = Round.objects.create(committee=Committee.objects.create(name="基准测试市委"), name="基准轮次", year=2024)
    doc = fictional_report(max(1, args.tasks // 200))
    inspection = import_document(doc, round=round_, actor=office)
    tasks = Task.objects.filter(finding__inspection=inspection).count()
    data = ledger_workbook(inspection, actor=office, as_of=date(2024, 8, 30))
    repeat = 2 if args.smoke else 5
    rows = [
        timed(
            f".xlsx export, {tasks} tasks (three lists)",
            repeat,
            lambda: ledger_workbook(inspection, actor=office, as_of=date(2024, 8, 30)),
        )
    ]
    rows.append(
        timed(
            f".xlsx import check, {tasks} tasks (untouched)",
            repeat,
            lambda: import_workbook(inspection, data, actor=office),
        )
    )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="a quick run for CI")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--samples", type=Path, default=SAMPLES, help="样本报告目录(取其中最大的 .txt)")
    args = parser.parse_args()
    if not (args.samples.is_dir() and any(args.samples.glob("*.txt"))):
        if not args.smoke:
            parser.error(f"样本目录 {args.samples} 不存在或其中没有 .txt 报告")
        print(f"样本目录 {args.samples} 不存在或其中没有 .txt 报告:跳过样本的 .docx 和 PDF 计时")
    if args.smoke:
        args.repeat, args.tasks = 2, 200
    # LibreOffice's time doubles on a busy machine: the load says how to read the PDF figure.
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    scratch = tempfile.mkdtemp(prefix="zhenggai-outputs-bench-")
    os.environ["ZHENGGAI_DATA_DIR"] = scratch
    os.environ.pop("DATABASE_URL", None)
    try:
        rows = documents(args) + workbook(args)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    failed = [r for r in rows if "target" in r and r["p95"] > r["target"]]
    for row in rows:
        if "target" in row:
            verdict = "ok" if row not in failed else "MISSED"
            print(f"target: {row['label']} p95 < {row['target']:.1f} s … {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
