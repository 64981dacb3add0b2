"""`zhenggai export INSPECTION --format json -o FILE`: an inspection in one of the registered formats."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from zhenggai.ledger.management.base import ZhenggaiCommand, resolve_actor
from zhenggai.ledger.management.exporters import EXPORTERS
from zhenggai.ledger.models import Inspection


class Command(ZhenggaiCommand):
    help = "导出一次巡察的台账"

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

    def handle(self, *args: Any, **options: Any) -> None:
        inspection = Inspection.objects.filter(pk=options["inspection"]).first()
        if inspection is None:
            raise CommandError(f"未找到检查编号 {options['inspection']}")
        exporter = EXPORTERS[options["format"]]
        data = exporter.render(inspection, resolve_actor(options["username"]))
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
