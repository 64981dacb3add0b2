"""`zhenggai opinions [--open] [--json] [--as USER]`: the opinions the acting user may see, newest first."""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone

from zhenggai.ledger.management.base import ZhenggaiCommand, resolve_actor
from zhenggai.public.access import opinions_for
from zhenggai.public.models import Opinion
from zhenggai.public.protect.receipt import display


class Command(ZhenggaiCommand):
    help = "查看群众意见(默认全部,--open 只看未办结)"

    def add_arguments(self, parser):
        parser.add_argument("--open", action="store_true", help="只列出未办结的意见")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出(每条一个对象的数组)")
        parser.add_argument("--as", dest="username", metavar="USERNAME", help="以该用户身份查看(默认为巡察办用户)")
        parser.add_argument("--limit", type=int, default=500, help="最多列出多少条(默认500)")

    def handle(self, *args: Any, **options: Any) -> None:
        opinions = opinions_for(resolve_actor(options["username"])).select_related("unit", "handler")
        if options["open"]:
            opinions = opinions.exclude(state=Opinion.State.CLOSED)
        rows = list(opinions.order_by("-created_at", "-id")[: max(0, options["limit"])])
        if options["json"]:
            self.stdout.write(json.dumps([_as_dict(o) for o in rows], ensure_ascii=False, indent=2))
            return
        for opinion in rows:
            when = timezone.localtime(opinion.created_at).strftime("%Y-%m-%d %H:%M")
            text = " ".join(opinion.text.split())
            self.stdout.write(
                f"{display(opinion.receipt)}  {when}  {opinion.get_state_display()}  {opinion.get_kind_display()}  "
                f"{opinion.unit.name if opinion.unit else '(未指明单位)'}  {text[:40]}"
            )
        self.stdout.write(f"共{len(rows)}条")


def _as_dict(opinion: Opinion) -> dict[str, Any]:
    return {
        "receipt": opinion.receipt,
        "created_at": timezone.localtime(opinion.created_at).isoformat(),
        "kind": opinion.kind,
        "state": opinion.state,
        "unit": opinion.unit.name if opinion.unit else None,
        "report": opinion.report_id,
        "text": opinion.text,
        "contact": opinion.contact,
        "handler": opinion.handler.username if opinion.handler else None,
        "reply": opinion.reply,
        "reply_org": opinion.reply_org,
        "replied_at": timezone.localtime(opinion.replied_at).isoformat() if opinion.replied_at else None,
    }
