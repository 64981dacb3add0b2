"""The publication channel (intranet → public site): what was approved for publication and nothing else.

A report that is published or withdrawn (its filters' names, title, publisher, dates), the live revision
of each published report (the public text and what the site needs to show and search it: never the
exempt items, the return reasons or who decided), the notices of corrections and withdrawals, and the
state and reply of each opinion for the receipt look-up (never its handler or the sender's contact).
On the public side the records replace what was there, and the search index follows each revision.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from zhenggai.public.exchange.bundle import BundleError
from zhenggai.public.models import Notice, Opinion, PublicReport, Revision
from zhenggai.public.search import index

SHOWN = (PublicReport.State.PUBLISHED, PublicReport.State.WITHDRAWN)
KINDS = ("report", "revision", "notice", "reply")
REPORT_FIELDS = (
    "id", "inspection_id", "committee_id", "committee_name", "round_id", "round_name", "unit_id", "unit_name",
    "year", "state", "title", "publisher", "published_on", "changed_at",
)  # fmt: skip
REVISION_FIELDS = (
    "id", "report_id", "number", "title", "publisher", "dated", "as_of", "counts", "contact", "body_html",
    "body_text", "blocks", "correction_note", "decided_at", "search_seq",
)  # fmt: skip
NOTICE_FIELDS = ("id", "report_id", "kind", "on", "text", "created_at")
REPLY_FIELDS = ("receipt", "state", "reply", "reply_org", "replied_at", "closed_at")
LABELS = {"report": "报告", "revision": "公开版本", "notice": "更正撤回说明", "reply": "意见答复"}


def _plain(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The fields as JSON values (dates and times in ISO form)."""
    out = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def offer() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every public record on the intranet now, as (kind, key, data)."""
    for report in PublicReport.objects.filter(state__in=SHOWN).order_by("pk").iterator(500):
        yield "report", str(report.pk), _plain(report, REPORT_FIELDS)
    live = Revision.objects.filter(live=True, report__state=PublicReport.State.PUBLISHED).order_by("pk")
    for revision in live.iterator(200):
        yield "revision", str(revision.pk), _plain(revision, REVISION_FIELDS)
    for notice in Notice.objects.filter(report__state__in=SHOWN).order_by("pk").iterator(500):
        yield "notice", str(notice.pk), _plain(notice, NOTICE_FIELDS)
    for opinion in Opinion.objects.order_by("pk").only(*REPLY_FIELDS).iterator(1000):
        yield "reply", opinion.receipt, _plain(opinion, REPLY_FIELDS)


def _values(model: type[models.Model], data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """`data` turned back into model values; a missing or malformed field refuses the bundle."""
    values = {}
    for name in fields:
        field = model._meta.get_field(name.removesuffix("_id")) if name != "id" else model._meta.pk
        try:
            values[name] = field.to_python(data[name]) if not field.is_relation else int(data[name])
        except (KeyError, TypeError, ValueError, ValidationError):
            raise BundleError(f"数据包中{model._meta.verbose_name}的“{name}”缺失或格式不对,未导入任何内容") from None
    return values


def _put_report(key: str, data: dict[str, Any]) -> None:
    values = _values(PublicReport, data, REPORT_FIELDS)
    PublicReport.objects.update_or_create(pk=values.pop("id"), defaults=values)


def _drop_report(key: str) -> None:
    for revision in Revision.objects.filter(report_id=key):
        _drop_revision(str(revision.pk))
    Notice.objects.filter(report_id=key).delete()
    if Opinion.objects.filter(report_id=key).exists():  # the senders' look-ups still name it
        PublicReport.objects.filter(pk=key).update(state=PublicReport.State.PENDING)
    else:
        PublicReport.objects.filter(pk=key).delete()


def _put_revision(key: str, data: dict[str, Any]) -> None:
    values = _values(Revision, data, REVISION_FIELDS)
    pk = values.pop("id")
    for old in Revision.objects.filter(report_id=values["report_id"], live=True).exclude(pk=pk):
        _drop_revision(str(old.pk))  # the bundle dropped it already; this keeps one live revision regardless
    current = Revision.objects.filter(pk=pk).first()
    if current is not None and current.live:
        index.remove(current)
    revision, _ = Revision.objects.update_or_create(
        pk=pk,
        defaults={
            **values,
            "state": Revision.State.APPROVED,
            "live": True,
            "submitted_at": values["decided_at"],
            "exempt": [],
            "return_reason": "",
        },
    )
    index.add(revision)


def _drop_revision(key: str) -> None:
    revision = Revision.objects.filter(pk=key).first()
    if revision is None:
        return
    if revision.live:
        index.remove(revision)
    Notice.objects.filter(revision=revision).update(revision=None)
    revision.delete()


def _put_notice(key: str, data: dict[str, Any]) -> None:
    values = _values(Notice, data, NOTICE_FIELDS)
    pk, created_at = values.pop("id"), values.pop("created_at")
    Notice.objects.update_or_create(pk=pk, defaults=values)
    Notice.objects.filter(pk=pk).update(created_at=created_at)  # auto_now_add would stamp today


def _drop_notice(key: str) -> None:
    Notice.objects.filter(pk=key).delete()


def _put_reply(key: str, data: dict[str, Any]) -> None:
    values = _values(Opinion, data, REPLY_FIELDS)
    values.pop("receipt")
    Opinion.objects.filter(receipt=key).update(**values)  # sent elsewhere (before the split): not known here


HANDLERS = {
    "report": (_put_report, _drop_report),
    "revision": (_put_revision, _drop_revision),
    "notice": (_put_notice, _drop_notice),
    "reply": (_put_reply, lambda key: None),
}


def apply(records: Iterable[dict[str, Any]], full: bool) -> dict[str, int]:
    counts = {label: 0 for label in LABELS.values()}
    seen: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for record in records:
        kind, key, op = record.get("kind"), str(record.get("key", "")), record.get("op")
        if kind not in HANDLERS or op not in ("put", "drop") or not key:
            raise BundleError(f"数据包含有无法识别的记录({kind}/{op}),未导入任何内容")
        put, drop = HANDLERS[kind]
        if op == "put":
            put(key, record.get("data") or {})
            seen[kind].add(key)
            counts[LABELS[kind]] += 1
        else:
            drop(key)
    if full:  # a complete bundle: what it does not hold is no longer public
        for revision in Revision.objects.exclude(pk__in=[int(k) for k in seen["revision"]]):
            _drop_revision(str(revision.pk))
        Notice.objects.exclude(pk__in=[int(k) for k in seen["notice"]]).delete()
        for report_id in PublicReport.objects.exclude(pk__in=[int(k) for k in seen["report"]]).values_list(
            "pk", flat=True
        ):
            _drop_report(str(report_id))
    return counts
