"""`zhenggai import-xlsx FILE --inspection ID`: the edits of an exported ledger workbook, all or nothing.
`zhenggai import-xlsx FILE --round ROUND --unit UNIT`: a feedback list as a new inspection.

Every problem found is printed on its own line (sheet and row first); if there is any, nothing is saved.
A task changed both in the workbook and in the system since the export is printed with the three values
(exported, yours, the system's) and nothing is saved unless `--keep mine|system` says which to keep.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from zhenggai.ledger.management.base import ZhenggaiCommand, find_round, resolve_actor
from zhenggai.ledger.models import Inspection
from zhenggai.ledger.services.import_file import tree_counts
from zhenggai.org.models import Unit
from zhenggai.outputs.errors import WorkbookRejected
from zhenggai.params import identifier
from zhenggai.reports.xlsx_import import ImportConflicts, Keep, import_feedback_list, import_workbook


class Command(ZhenggaiCommand):
    help = "导入 Excel 台账(本系统导出后修改的三个清单)或巡察组移交的反馈问题清单"

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help=".xlsx 文件")
        parser.add_argument("--inspection", type=int, metavar="ID", help="导入修改到该检查编号的台账")
        parser.add_argument("--round", metavar="ROUND", help="作为反馈问题清单导入到该轮次(编号或名称)")
        parser.add_argument("--unit", metavar="UNIT", help="反馈问题清单所属的被巡察单位(编号或名称)")
        parser.add_argument("--team", metavar="NAME", help="巡察组名称(反馈问题清单可选)")
        parser.add_argument("--dry-run", action="store_true", help="只检查,不保存")
        parser.add_argument(
            "--keep",
            choices=[k.value for k in Keep],
            help="导出后已在系统中被修改、您也修改了的任务:mine 保留您的修改,system 保留系统中的内容(不指定则列出冲突,不导入)",
        )
        parser.add_argument("--as", dest="username", metavar="USERNAME", help="以该用户身份导入(默认为巡察办用户)")

    def handle(self, *args: Any, **options: Any) -> None:
        if (options["inspection"] is None) == (options["round"] is None):
            raise CommandError("请指定 --inspection ID(导入台账修改)或 --round 与 --unit(导入反馈问题清单)之一")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"文件无法读取:{path}({exc.strerror or exc})") from None
        actor = resolve_actor(options["username"])
        try:
            if options["inspection"] is not None:
                self._ledger(options["inspection"], data, actor, options["dry_run"], options["keep"])
            else:
                self._feedback(options, path.name, data, actor)
        except WorkbookRejected as rejected:
            for line in rejected.errors:
                self.stderr.write(line)
            raise CommandError(rejected.message) from None
        except ImportConflicts as conflicts:
            for conflict in conflicts.conflicts:
                for line in conflict.lines():
                    self.stderr.write(line)
            raise CommandError(
                f"{conflicts.message}。请加 --keep mine 保留您的修改,或 --keep system 保留系统中的内容"
            ) from None

    def _ledger(self, pk: int, data: bytes, actor, dry_run: bool, keep: str | None) -> None:
        inspection = Inspection.objects.filter(pk=pk).first()
        if inspection is None:
            raise CommandError(f"未找到检查编号 {pk}")
        result = import_workbook(inspection, data, actor=actor, dry_run=dry_run, keep=Keep(keep) if keep else None)
        for change in result.changes:
            self.stdout.write(change.describe())
        self.stdout.write(result.summary())

    def _feedback(self, options: dict, name: str, data: bytes, actor) -> None:
        round_ = find_round(options["round"])
        if round_ is None:
            raise CommandError(f"未找到轮次“{options['round']}”")
        if not options["unit"]:
            raise CommandError("导入反馈问题清单时请用 --unit 指定被巡察单位")
        spec = options["unit"].strip()
        units = Unit.objects.filter(committee_id=round_.committee_id)
        unit_id = identifier(spec)
        unit = (units.filter(pk=unit_id).first() if unit_id else None) or units.filter(name=spec).first()
        if unit is None:
            raise CommandError(f"在{round_.committee}下未找到单位“{spec}”")
        if options["dry_run"]:
            raise CommandError("--dry-run 只用于导入台账修改")
        inspection = import_feedback_list(data, name=name, round=round_, unit=unit, actor=actor, team=options["team"])
        n = tree_counts(inspection)
        self.stdout.write(
            f"已导入反馈问题清单,检查编号 {inspection.pk}({n.aspects}个方面,{n.items}个具体问题,{n.tasks}项任务)"
        )
