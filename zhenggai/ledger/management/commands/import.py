"""`zhenggai import FILE... --round ROUND`: one line per file, the new inspection's id or the error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from zhenggai.ingest import IngestError
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.management.base import ZhenggaiCommand, find_round, resolve_actor
from zhenggai.ledger.models import Round
from zhenggai.ledger.services.import_file import import_file, tree_counts
from zhenggai.ledger.services.rounds import create_committee, create_round
from zhenggai.org.models import Committee, Unit, User
from zhenggai.params import identifier


class Command(ZhenggaiCommand):
    help = "导入整改报告(txt、docx、doc、wps、pdf、html)、表格台账(docx、xlsx)或 zhenggai.ledger/1 JSON,每个文件单独成事务,逐行输出结果"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="报告文件")
        parser.add_argument("--round", required=True, metavar="ROUND", help="轮次编号或名称")
        parser.add_argument(
            "--committee", metavar="NAME", help="轮次不存在时,在该党委下新建此轮次(党委不存在时一并新建)"
        )
        parser.add_argument("--unit", metavar="UNIT", help="被巡察单位编号或名称(默认取报告中写明的单位)")
        parser.add_argument("--as", dest="username", metavar="USERNAME", help="以该用户身份导入(默认为巡察办用户)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = resolve_actor(options["username"])
        round_ = self._round(options["round"], options["committee"], actor)
        unit = self._unit(options["unit"], round_) if options["unit"] else None
        failed = 0
        for name in options["files"]:
            try:
                data = Path(name).read_bytes()
                inspection = import_file(data, Path(name).name, round=round_, unit=unit, actor=actor)
            except OSError as exc:
                failed += 1
                self.stdout.write(f"{name}: 错误:文件无法读取({exc.strerror or exc})")
            except (IngestError, LedgerError) as exc:
                failed += 1
                self.stdout.write(f"{name}: 错误:{exc.message}")
            else:
                n = tree_counts(inspection)
                self.stdout.write(
                    f"{name}: 已导入,检查编号 {inspection.pk}({n.aspects}个方面,{n.items}个具体问题,{n.tasks}项任务)"
                )
        if failed:
            raise CommandError(f"{len(options['files'])}个文件中有{failed}个未能导入")

    def _round(self, spec: str, committee_name: str | None, actor: User) -> Round:
        found = find_round(spec)
        if found is not None:
            return found
        if not committee_name:
            raise CommandError(f"未找到轮次“{spec}”;如需新建,请同时给出 --committee 党委名称")
        committee = Committee.objects.filter(name=committee_name.strip()).first()
        if committee is None:
            committee = create_committee(actor=actor, name=committee_name)
        round_ = create_round(actor=actor, committee=committee, name=spec, year=timezone.localdate().year)
        self.stdout.write(f"已新建轮次“{round_.name}”(编号 {round_.pk},{committee.name})")
        return round_

    def _unit(self, spec: str, round_: Round) -> Unit:
        units = Unit.objects.filter(committee_id=round_.committee_id)
        unit_id = identifier(spec)
        found = units.filter(pk=unit_id).first() if unit_id else None
        found = found or units.filter(name=spec.strip()).first()
        if found is None:
            raise CommandError(f"在{round_.committee}下未找到单位“{spec}”")
        return found
