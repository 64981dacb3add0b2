"""`zhenggai demo [--reset] [--force] [--seed N]`: load the fictional demo round and the demo logins (idempotent).

Refused on a database with other users or data unless --force, and on production settings always."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from zhenggai.ledger.management import demo
from zhenggai.ledger.management.base import ZhenggaiCommand
from zhenggai.org.models import Role


def login_lines(users, summary: demo.DemoSummary | None) -> list[str]:
    """The demo logins, one a line, for `demo` and `serve` to print."""
    where = {
        "team1": summary.team1 if summary else "",
        "unit1": summary.unit1 if summary else "",
        "owner1": summary.unit1 if summary else "",
    }
    lines = []
    for user in users:
        role = Role(user.role).label
        extra = f"({where[user.username]})" if where.get(user.username) else ""
        lines.append(f"  {user.username:<11}{role}{extra}")
    return lines


class Command(ZhenggaiCommand):
    help = "载入演示数据:一个虚构县的一轮巡察(虚构报告)、整改进展和各角色的演示账号;已载入时不重复"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="先清空演示数据再重新载入(库中有其他数据时拒绝)")
        parser.add_argument(
            "--force", action="store_true", help="库中已有其他用户或数据时仍载入演示(不改动已有数据;生产环境一律拒绝)"
        )
        parser.add_argument("--seed", type=int, default=7, help="虚构报告的随机种子(默认 7)")
        parser.add_argument("--brief", action="store_true", help="只输出摘要,不列演示账号(serve 启动时会列出)")

    def handle(self, *args: Any, **options: Any) -> None:
        demo.check_allowed(force=options["force"], reset=options["reset"])
        if options["reset"]:
            demo.reset()
        today = timezone.localdate()
        summary = demo.load(options["seed"], today)
        s = summary
        self.stdout.write(
            ("已载入演示数据:" if s.created else "演示数据已存在(重建请用 zhenggai demo --reset):")
            + f"{s.committee} · {s.round}"
        )
        self.stdout.write(
            f"  {s.units}个单位,{s.items}个具体问题,{s.tasks}项任务;已销号{s.closed}项,"
            f"逾期{s.overdue}项,7天内到期{s.due_soon}项;整改完成率{s.rate_text}"
        )
        users = [] if options["brief"] else demo.demo_users()
        if users:
            self.stdout.write(f"演示账号(密码均为 {demo.DEMO_PASSWORD}):")
            for line in login_lines(users, summary):
                self.stdout.write(line)
            self.stdout.write("  owner2…ownerN 其他单位的责任人")
