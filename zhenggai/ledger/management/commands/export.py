"""`zhenggai export INSPECTION --format json -o FILE`: an inspection in one of the registered formats.

Report formats (docx, pdf, html, txt) also take `--kind public|progress`, `--version public|full` and
`--as-of DATE`; `--version` here names the report's version, so Django's own `--version` gives way.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from zhenggai.ledger.management.base import ZhenggaiCommand, resolve_actor
from zhenggai.ledger.management.exporters import EXPORTERS
from zhenggai.ledger.models import Inspection
from zhenggai.outputs.errors import OutputError


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{value}”无法识别,应为 YYYY-MM-DD") from None


class Command(ZhenggaiCommand):
    help = "导出一次巡察的台账或整改报告"

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("inspection", type=int, metavar="INSPECTION", help="检查编号")
        parser.add_argument(
            "--format",
            default="json",
            choices=sorted(EXPORTERS),
            help="; ".join(f"{k}: {v.description}" for k, v in sorted(EXPORTERS.items())),
        )
        parser.add_argument("-o", "--output", default="-", metavar="FILE", help="输出文件(默认或 - 为标准输出)")
        parser.add_argument("--as", dest="username", metavar="USERNAME", help="以该用户身份导出(默认为巡察办用户)")
        parser.add_argument(
            "--kind",
            choices=("public", "progress"),
            default="public",
            help="报告类型:public 公布稿,progress 进展情况报告",
        )
        parser.add_argument(
            "--version",
            dest="report_version",
            choices=("public", "full"),
            default="public",
            help="public 公开版(不含不予公开事项),full 党内版(全文)",
        )
        parser.add_argument(
            "--as-of", dest="as_of", type=_date, metavar="DATE", help="报告截至日期(默认为报告稿日期或今天)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        inspection = Inspection.objects.filter(pk=options["inspection"]).first()
        if inspection is None:
            raise CommandError(f"未找到检查编号 {options['inspection']}")
        exporter = EXPORTERS[options["format"]]
        actor = resolve_actor(options["username"])
        try:
            if getattr(exporter.render, "takes_options", False):
                report = {"kind": options["kind"], "version": options["report_version"], "as_of": options["as_of"]}
                data = exporter.render(inspection, actor, **report)
            else:
                data = exporter.render(inspection, actor)
        except OutputError as exc:  # no LibreOffice, a conversion that failed or timed out
            raise CommandError(exc.message) from exc
        if options["output"] == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        target = Path(options["output"])
        try:
            target.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"无法写入 {target}:{exc.strerror or exc}") from None
        self.stdout.write(f"已导出检查编号 {inspection.pk} 到 {target}")
