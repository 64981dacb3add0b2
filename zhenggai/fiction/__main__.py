"""Write fictional reports and their truth: `python -m zhenggai.fiction --seed 1 --count 5 --format txt -o DIR`.

Each report goes to `<name>` (e.g. fiction_1.txt) with `<name>.truth.json` beside it: the ledger document
a perfect parser would produce from that file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from zhenggai.fiction.generate import generate_report
from zhenggai.fiction.render import to_docx_bytes, to_html_bytes, to_text, to_traditional


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhenggai.fiction", description="生成虚构的巡察整改情况公布稿")
    parser.add_argument("--seed", type=int, default=1, help="first seed; report i uses seed + i")
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--format", choices=("txt", "docx", "html"), default="txt")
    parser.add_argument("--encoding", choices=("utf-8", "gbk"), default="utf-8", help="html only")
    parser.add_argument("--no-auto-numbering", action="store_true", help="docx: type every label as text")
    parser.add_argument("--traditional", action="store_true", help="txt/html: Traditional characters")
    parser.add_argument("-o", "--output", type=Path, default=Path("fiction-out"))
    args = parser.parse_args(argv)

    args.output.mkdir(parents=True, exist_ok=True)
    for i in range(args.count):
        report = generate_report(args.seed + i)
        file_name = f"{report.name()}.{args.format}"
        if args.format == "txt":
            text = to_text(report)
            data = (to_traditional(text) if args.traditional else text).encode("utf-8")
        elif args.format == "docx":
            data = to_docx_bytes(report, auto_numbering=not args.no_auto_numbering)
        else:
            data = to_html_bytes(report, encoding=args.encoding, traditional=args.traditional)
        (args.output / file_name).write_bytes(data)
        truth = report.to_ledger(container=args.format, source=file_name, traditional=args.traditional)
        (args.output / f"{file_name}.truth.json").write_text(truth.to_json(), encoding="utf-8")
    print(f"已生成 {args.count} 份报告：{args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
