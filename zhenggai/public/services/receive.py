"""A member of the public sends an opinion (意见建议 / 反映整改不到位).

The steps, in order: count the attempt against the address's limits; refuse a filled honeypot; check
the content; check the challenge (used up here); count it against the report's and the whole site's
limits (only answered submissions count there, so garbage cannot use up an honest sender's room);
then store the opinion — one INSERT in a transaction of its own, committed before anything else is
tried; then, each allowed to fail without losing it, the history, the notifications and the hourly
purge of old counters and challenges. A refusal keeps nothing, and the view gives the text back.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from zhenggai.ledger.errors import ValidationFailed
from zhenggai.ledger.history import record
from zhenggai.public.errors import Throttled
from zhenggai.public.models import Opinion, PublicReport
from zhenggai.public.protect import challenge, housekeeping, throttle
from zhenggai.public.protect.receipt import new_receipt
from zhenggai.public.signals import opinion_received

log = logging.getLogger("zhenggai.public")

TEXT_MIN = 5
CONTACT_MAX = 100


def text_max() -> int:
    return int(getattr(settings, "ZHENGGAI_OPINION_MAX_CHARS", 2000))


@dataclass(frozen=True)
class Submission:
    """What the form sent, as strings; `website` is the honeypot, which people never see or fill."""

    text: str
    kind: str = Opinion.Kind.SUGGESTION
    contact: str = ""
    website: str = ""
    token: str = ""
    answer: str = ""


def receive_opinion(submission: Submission, *, ip: str, report: PublicReport | None = None) -> Opinion:
    if not throttle.hit("opinion-ip", ip):
        raise Throttled(
            "提交过于频繁：同一网络地址在短时间内提交次数已达上限，请稍后再试。已提交的意见均已收到，本次填写的内容已保留。"
        )
    if submission.website:
        log.warning("opinion honeypot filled ip=%s", ip)
        raise ValidationFailed("提交未成功，请刷新页面后重新填写")
    text, contact, kind = _checked(submission)
    try:
        challenge.verify(submission.token, submission.answer)
    except challenge.ChallengeFailed as failed:
        raise ValidationFailed(failed.message, errors={"answer": [failed.message]}) from None
    if report is not None and report.state != PublicReport.State.PUBLISHED:
        raise ValidationFailed("该报告当前未公开，请通过“意见建议”页面提交")
    if not throttle.hit("opinion-report", str(report.pk) if report is not None else "general"):
        raise Throttled("提交过于频繁：该报告短时间内收到的意见已达上限，请稍后再试。您填写的内容已保留。")
    if not throttle.hit("opinion-all", "all"):
        raise Throttled("提交过于频繁：网站短时间内收到的意见已达上限，请稍后再试。您填写的内容已保留。")

    opinion = _store(text=text, contact=contact, kind=kind, report=report)
    if settings.PUBLIC_ONLY:
        # the history and the offices' notices live in the intranet: `opinions-import` writes them there
        opinion_received.send_robust(Opinion, opinion=opinion)
    else:
        announce(opinion)
    housekeeping.purge_if_due()  # old counters and challenges, at most hourly; never raises
    return opinion


def announce(opinion: Opinion) -> None:
    """The history row and the signal of a new opinion, each allowed to fail without losing it; also
    called by `exchange.opinions` when an opinion sent to the public-only site reaches the intranet."""
    try:
        record(
            actor=None,
            action="opinion_received",
            obj=opinion,
            after={"receipt": opinion.receipt, "kind": opinion.kind},
        )
    except Exception:  # the opinion is stored; a history that failed must not lose it
        log.exception("history of opinion %s not written", opinion.receipt)
    opinion_received.send_robust(Opinion, opinion=opinion)


def _store(**fields) -> Opinion:
    """The INSERT, in its own transaction; a receipt drawn twice (60 bits: never, but) draws again."""
    for _ in range(3):
        try:
            with transaction.atomic():
                report = fields["report"]
                return Opinion.objects.create(
                    receipt=new_receipt(), unit_id=report.unit_id if report else None, **fields
                )
        except IntegrityError:
            continue
    raise RuntimeError("no free receipt number after three tries")


def _clean(value: str) -> str:
    """NFC, without control characters other than line breaks and tabs; Windows line ends made plain."""
    value = unicodedata.normalize("NFC", (value or "").replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn"))


def _checked(submission: Submission) -> tuple[str, str, str]:
    errors: dict[str, list[str]] = {}
    text, contact = _clean(submission.text).strip(), _clean(submission.contact).strip()
    if len(text) < TEXT_MIN:
        errors["text"] = [f"请填写意见内容(至少{TEXT_MIN}个字)"]
    elif len(text) > text_max():
        errors["text"] = [f"意见内容不超过{text_max()}字，当前{len(text)}字"]
    if len(contact) > CONTACT_MAX or "\n" in contact:
        errors["contact"] = [f"联系方式为一行，不超过{CONTACT_MAX}字"]
    if submission.kind not in Opinion.Kind.values:
        errors["kind"] = ["请选择意见类别"]
    if errors:
        raise ValidationFailed("；".join(m for ms in errors.values() for m in ms), errors=errors)
    return text, contact, submission.kind
