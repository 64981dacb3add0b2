"""zhenggai analyze common|repeats|quality|refresh [--round ROUND] [--json]: the oversight analyses on the command line."""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from zhenggai.ledger.management.base import ZhenggaiCommand, find_round
from zhenggai.ledger.models import Inspection
from zhenggai.oversight.analysis.rules import default_rules
from zhenggai.oversight.rulesfile import rules_path
from zhenggai.oversight.services import analyses, classification, figures
from zhenggai.oversight.tables import print_table


class Command(ZhenggaiCommand):
    help = (
        "共性问题（common）、改了又犯（repeats）、整改质量（quality）分析；默认输出表格，--json 输出 JSON。"
        "refresh 重新计算仪表板统计并重新归类全部问题。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("what", choices=["common", "repeats", "quality", "refresh"], help="分析内容")
        parser.add_argument("--round", metavar="ROUND", help="轮次编号或名称（默认：全部轮次）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--min-units", type=int, default=2, help="共性问题至少涉及的单位数（默认2）")
        parser.add_argument(
            "--write-rules", action="store_true", help="quality：把默认规则写入数据目录的 quality_rules.json 供修改"
        )

    def handle(self, *args, **options) -> None:
        scope = Inspection.objects.all()
        if options["round"]:
            found = find_round(options["round"])
            if found is None:
                raise CommandError(f"未找到轮次“{options['round']}”")
            scope = scope.filter(round=found)
        what = options["what"]
        if what == "refresh":
            self.stdout.write(f"已刷新{figures.refresh_all()}次巡察的统计，归类{classification.reclassify()}个具体问题")
            return
        if what == "common":
            result = analyses.common_problems(scope, min_units=options["min_units"])
            self._common(result, options["json"])
        elif what == "repeats":
            self._repeats(analyses.repeated_problems(scope, Inspection.objects.all()), options["json"])
        else:
            if options["write_rules"]:
                self._write_rules()
                return
            self._quality(analyses.quality_report(scope), options["json"])

    def _dump(self, data) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def _common(self, groups: list[dict], as_json: bool) -> None:
        if as_json:
            self._dump(
                [
                    {
                        "size": g["size"],
                        "units": g["units"],
                        "representative": g["representative"],
                        "findings": [
                            {"inspection": f["inspection"], "unit": f["unit"], "title": f["title"]}
                            for f in g["findings"]
                        ],
                    }
                    for g in groups
                ]
            )
            return
        rows = [
            [n, len(g["units"]), g["size"], g["representative"], "、".join(g["units"])] for n, g in enumerate(groups, 1)
        ]
        print_table(self.stdout, ["组", "单位数", "问题数", "代表性表述", "涉及单位"], rows)
        self.stdout.write(f"共{len(groups)}组共性问题")

    def _repeats(self, matches: list[dict], as_json: bool) -> None:
        if as_json:
            self._dump(
                [{"finding": m["finding"], "earlier": m["earlier"], "similarity": m["similarity"]} for m in matches]
            )
            return
        rows = [
            [
                m["finding"]["unit"],
                m["finding"]["title"],
                f"{m['earlier']['round']}：{m['earlier']['title']}",
                "已销号" if m["earlier"]["closed"] else "未销号",
                m["similarity"],
            ]
            for m in matches
        ]
        print_table(self.stdout, ["单位", "本次问题", "以往问题", "以往整改", "相似度"], rows)
        self.stdout.write(f"共{len(matches)}个问题与以往巡察重复")

    def _quality(self, report: analyses.QualityReport, as_json: bool) -> None:
        if as_json:
            keys = ("inspection", "unit", "finding", "index", "text", "words_only", "rules")
            measures = [{k: m[k] for k in keys} | {"copies": m["copies"]} for m in report.measures]
            self._dump(
                {"measures": measures, "closed_on_words": report.closed_on_words, "mismatches": report.mismatches}
            )
            return
        flagged = [m for m in report.measures if m["words_only"] or m["copies"]]
        rows = [
            [
                m["unit"],
                m["finding"],
                m["text"],
                "表态" if m["words_only"] else "具体",
                "；".join(m["explanation"] + [c["label"] for c in m["copies"]]),
            ]
            for m in flagged
        ]
        print_table(self.stdout, ["单位", "具体问题", "整改措施", "判断", "依据"], rows)
        words = sum(1 for m in report.measures if m["words_only"])
        self.stdout.write(
            f"共{len(report.measures)}条措施，表态式整改{words}条，雷同或套话{sum(1 for m in report.measures if m['copies'])}条；"
            f"仅凭被标注措施完成整改的问题{len(report.closed_on_words)}个"
        )
        for mismatch in report.mismatches:
            self.stdout.write(
                f"自述数字不符：{mismatch['unit']}（巡察{mismatch['inspection']}）：{mismatch['message']}"
            )

    def _write_rules(self) -> None:
        path = rules_path()
        if path.exists():
            raise CommandError(f"{path} 已存在，未覆盖")
        path.write_text(json.dumps(default_rules(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(f"已写入默认规则：{path}")
