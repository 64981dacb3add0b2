"""Results reported beside the findings (整改成效): rules, money, accountability, meetings.

People held to account are recorded as a count by kind only; the title names what was done, never
whom. An amount is in 万元 and kept exactly as entered (its decimals included).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files import File
from django.db import transaction

from zhenggai.ledger.access import Action, require
from zhenggai.ledger.concurrency import retrying
from zhenggai.ledger.errors import ValidationFailed
from zhenggai.ledger.history import record, snapshot
from zhenggai.ledger.links import UnsafeLink, clean_link
from zhenggai.ledger.models import MONEY_KINDS, PEOPLE_KINDS, Inspection, Result, ResultKind

FIELDS = ("kind", "title", "document_link", "amount", "count")
# 万元 with at most six decimals (one 元 is 0.0001 万元; a fen is 0.000001): what a report can print.
_AMOUNT = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,6})?$")


def exact_amount(value: Decimal | str | int) -> Decimal:
    """The amount as entered, as a Decimal with the entered decimals; ValueError when it is not
    a plain non-negative number of 万元 (no exponent, at most 12 digits before and 6 after the point)."""
    text = format(value, "f") if isinstance(value, Decimal) else str(value).strip()
    if isinstance(value, float) or not _AMOUNT.match(text):
        raise ValueError(text)
    return Decimal(text)


@retrying
def add_result(
    inspection: Inspection,
    *,
    actor: Any,
    kind: ResultKind | str,
    title: str,
    amount: Decimal | str | None = None,
    count: int | None = None,
    document_link: str = "",
    document: File | None = None,
) -> Result:
    require(actor, Action.MANAGE_RESULTS, inspection)
    errors: dict[str, list[str]] = {}
    if kind not in ResultKind.values:
        errors["kind"] = ["未知的成效类别"]
    title = (title or "").strip()
    if not title or len(title) > 300:
        errors["title"] = ["请填写名称（不超过300字）"]
    if amount is not None and amount != "":
        try:
            amount = exact_amount(amount)
        except (ValueError, InvalidOperation):
            errors["amount"] = ["金额应为以万元为单位的非负数，最多6位小数"]
        else:
            if kind not in MONEY_KINDS:
                errors["amount"] = ["只有资金类成效（退缴资金、追回资金、挽回损失）填写金额"]
    else:
        amount = None
    if kind in MONEY_KINDS and amount is None:
        errors.setdefault("amount", ["请填写金额（万元）"])
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 0):
        errors["count"] = ["数量应为非负整数"]
    if kind in PEOPLE_KINDS and count is None:
        errors.setdefault("count", ["问责处理填写人次（只填人数，不写姓名）"])
    try:
        document_link = clean_link(document_link)
    except UnsafeLink as error:
        errors["document_link"] = [error.message]
    if errors:
        raise ValidationFailed("；".join(m for ms in errors.values() for m in ms), errors=errors)

    with transaction.atomic():
        result = Result(
            inspection=inspection,
            kind=ResultKind(kind),
            title=title,
            amount=amount,
            count=count,
            document_link=document_link,
            created_by=actor,
        )
        if document is not None:
            result.document.save(document.name, document, save=False)
        result.save()
        record(actor=actor, action="result_added", obj=result, inspection=inspection, after=snapshot(result, FIELDS))
    return result


@retrying
def delete_result(result: Result, *, actor: Any) -> None:
    """Remove a result entered by mistake; the history keeps what it said."""
    require(actor, Action.MANAGE_RESULTS, result)
    with transaction.atomic():
        record(
            actor=actor,
            action="result_deleted",
            obj=result,
            inspection=result.inspection_id,
            before=snapshot(result, FIELDS),
        )
        result.delete()
