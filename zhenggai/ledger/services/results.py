"""Results reported beside the findings (整改成效): rules, money, accountability, meetings.

People held to account are recorded as a count only; the title names what was done, never whom.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files import File
from django.db import transaction

from zhenggai.ledger.access import Action, require
from zhenggai.ledger.concurrency import retrying
from zhenggai.ledger.errors import ValidationFailed
from zhenggai.ledger.history import record, snapshot
from zhenggai.ledger.links import UnsafeLink, clean_link
from zhenggai.ledger.models import Inspection, Result, ResultKind

FIELDS = ("kind", "title", "document_link", "amount", "count")


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
    if amount is not None:
        try:
            amount = Decimal(str(amount))
        except InvalidOperation:
            errors["amount"] = ["金额应为数字"]
        else:
            if kind != ResultKind.MONEY or amount < 0:
                errors["amount"] = ["只有资金类成效填写金额，且不能为负"]
    if kind == ResultKind.MONEY and amount is None:
        errors.setdefault("amount", ["请填写金额"])
    if count is not None and (not isinstance(count, int) or count < 0):
        errors["count"] = ["数量应为非负整数"]
    if kind == ResultKind.ACCOUNTABILITY and count is None:
        errors.setdefault("count", ["问责处理只填写人数"])
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
