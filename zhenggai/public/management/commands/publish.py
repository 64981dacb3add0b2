"""`zhenggai publish INSPECTION [--approve] [--as USER]`: submit the public version of a report, and
approve it at once when the acting user is the inspection office; `--reindex` rebuilds the search index."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.dateparse import parse_date

from zhenggai.ledger.management.base import ZhenggaiCommand, resolve_actor
from zhenggai.ledger.models import Inspection
from zhenggai.public.access import PublicAction, can_publish
from zhenggai.public.search import index
from zhenggai.public.services.decide import approve
from zhenggai.public.services.submit import submit_public_version


class Command(ZhenggaiCommand):
    help = "发布公开版整改报告:提交公开版(--approve 同时审核发布)"

    def add_arguments(self, parser):
        parser.add_argument("inspection", nargs="?", type=int, metavar="INSPECTION", help="检查编号")
        parser.add_argument("--approve", action="store_true", help="提交后立即同意发布(须为巡察办用户)")
        parser.add_argument("--as", dest="username", metavar="USERNAME", help="以该用户身份操作(默认为巡察办用户)")
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="数据截至日期(默认今天)")
        parser.add_argument("--note", default="", help="更正说明(报告已公开时必填)")
        parser.add_argument("--reindex", action="store_true", help="重建公开报告的全文检索索引")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reindex"]:
            with transaction.atomic():
                count = index.rebuild()
            self.stdout.write(f"已重建检索索引:{count}篇公开报告")
            return
        if options["inspection"] is None:
            raise CommandError("请指定检查编号,例如 zhenggai publish 12 --approve")
        inspection = Inspection.objects.filter(pk=options["inspection"]).first()
        if inspection is None:
            raise CommandError(f"未找到检查编号 {options['inspection']}")
        as_of = _date(options["as_of"]) if options["as_of"] else None
        actor = resolve_actor(options["username"])
        if options["approve"] and not can_publish(actor, PublicAction.DECIDE, inspection):
            raise CommandError(f"用户“{actor.username}”不能审核发布(须为巡察办用户);可去掉 --approve 只提交")
        revision = submit_public_version(inspection, actor=actor, as_of=as_of, correction_note=options["note"])
        if not options["approve"]:
            self.stdout.write(f"已提交公开版(第{revision.number}版),等待巡察办审核:{revision.title}")
            return
        approve(revision, actor=actor)
        self.stdout.write(f"已发布:{revision.title}\n公开地址:/gongkai/reports/{revision.report_id}/")


def _date(text: str):
    try:
        value = parse_date(text)
    except ValueError:
        value = None
    if value is None:
        raise CommandError(f"日期格式应为 YYYY-MM-DD:{text}")
    return value
