"""zhenggai remind [--as-of DATE] [--dry-run]: deadline reminders for every committee, safe to run from cron."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone

from zhenggai.ledger.lights import Light
from zhenggai.ledger.management.base import ZhenggaiCommand
from zhenggai.oversight.services import figures
from zhenggai.oversight.services.reminders import remind


class Command(ZhenggaiCommand):
    help = (
        "找出已逾期（红灯）和临近整改时限（黄灯、绿灯，按各党委设定的天数）的整改任务，"
        "按提醒规则向责任人、单位整改办和单位主要负责人发送站内提醒和电子邮件。"
        "同一天重复运行不会重复提醒，适合由定时任务（cron）每天运行。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--as-of", metavar="DATE", help="按哪一天计算（YYYY-MM-DD，默认今天）")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的提醒，不保存、不发送")

    def handle(self, *args, **options) -> None:
        as_of = _day(options["as_of"]) if options["as_of"] else timezone.localdate()
        summary = remind(as_of, dry_run=options["dry_run"])
        day = f"{as_of.year}年{as_of.month}月{as_of.day}日"
        lights = summary.lights
        self.stdout.write(
            f"{day}：红灯{lights[Light.RED]}项，黄灯{lights[Light.YELLOW]}项，绿灯{lights[Light.GREEN]}项"
        )
        if options["dry_run"]:
            for note in summary.planned:
                self.stdout.write(f"  将提醒 {note.recipient}：{note.subject}")
            self.stdout.write(f"（试运行）将新建站内提醒{len(summary.planned)}条，未保存、未发送")
        else:
            self.stdout.write(
                f"新建站内提醒{summary.created}条（{len(summary.recipients)}人），发送电子邮件{summary.emails}封"
            )
            figures.refresh_all()  # the nightly reconcile of the dashboard's stored counts
        if summary.without_recipient:
            self.stdout.write(f"另有{summary.without_recipient}项任务无人可提醒（未指定责任人，单位也无整改办账号）")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{text}") from None
