"""The opinions channel (public site → intranet): each opinion sent on the public site, once.

The intranet treats what arrives as it treats the public form's input: checked field by field, and
stored with the receipt number the sender was given, so the offices handle it as if it had been sent
on their own site (history row, notices); the reply goes back in the next publication bundle.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.dateparse import parse_datetime

from zhenggai.public.exchange.bundle import BundleError
from zhenggai.public.models import Opinion, PublicReport
from zhenggai.public.protect.receipt import clean
from zhenggai.public.services.receive import CONTACT_MAX, announce, text_max

KINDS = ("opinion",)
FIELDS = ("receipt", "report_id", "kind", "text", "contact", "created_at")


def offer() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for opinion in Opinion.objects.order_by("pk").only(*FIELDS).iterator(1000):
        data = {name: getattr(opinion, name) for name in FIELDS}
        data["created_at"] = opinion.created_at.isoformat()
        yield "opinion", opinion.receipt, data


def _checked(number: int, data: dict[str, Any]) -> dict[str, Any]:
    """The record as an opinion's fields, or BundleError: a public server's bundle is untrusted input."""
    receipt = clean(str(data.get("receipt", "")))
    text, contact = data.get("text"), data.get("contact", "")
    created_at = parse_datetime(str(data.get("created_at", "")))
    report_id = data.get("report_id")
    problems = [
        receipt is None and "回执编号",
        not (isinstance(text, str) and 0 < len(text) <= text_max()) and "内容",
        not (isinstance(contact, str) and len(contact) <= CONTACT_MAX) and "联系方式",
        data.get("kind") not in Opinion.Kind.values and "类别",
        created_at is None and "提交时间",
        not (report_id is None or isinstance(report_id, int)) and "报告",
    ]
    if any(problems):
        raise BundleError(f"数据包第{number}条意见的{'、'.join(p for p in problems if p)}无效,未导入任何内容")
    return {"receipt": receipt, "text": text, "contact": contact, "kind": data["kind"], "created_at": created_at,
            "report_id": report_id}  # fmt: skip


def apply(records: Iterable[dict[str, Any]], full: bool) -> dict[str, int]:
    created: list[Opinion] = []
    known = 0
    for number, record in enumerate(records, 1):
        if record.get("kind") != "opinion" or record.get("op") not in ("put", "drop"):
            raise BundleError(f"数据包第{number}条记录无法识别,未导入任何内容")
        if record["op"] == "drop":
            continue  # the intranet keeps every opinion it was sent
        fields = _checked(number, record.get("data") or {})
        if Opinion.objects.filter(receipt=fields["receipt"]).exists():
            known += 1
            continue
        report = PublicReport.objects.filter(pk=fields.pop("report_id") or 0).first()
        created.append(Opinion.objects.create(report=report, unit_id=report.unit_id if report else None, **fields))
    for opinion in created:
        announce(opinion)
    return {"新收到的意见": len(created), "已有的意见": known}
