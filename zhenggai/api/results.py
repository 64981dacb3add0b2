"""Results reported beside the findings (整改成效): rules, money, accountability (counts only), meetings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import field_validator

from zhenggai.api.schemas import Count, Id, Input
from zhenggai.api.scopes import get_visible
from zhenggai.ledger.links import clean_link
from zhenggai.ledger.models import Inspection, Result
from zhenggai.ledger.services.results import add_result, delete_result

router = Router(tags=["results"])


class ResultOut(Schema):
    id: int
    kind: str
    title: str
    document_link: str
    amount: Decimal | None
    count: int | None
    created_at: datetime


class ResultIn(Input):
    kind: str
    title: str
    amount: str | None = None  # 万元; a string keeps every decimal sent ("0.50"), a JSON number its shortest form
    count: Count | None = None
    document_link: str = ""

    @field_validator("amount", mode="before")
    @classmethod
    def _amount_text(cls, value: Any) -> Any:
        """Numbers as their text, so the service checks and keeps the amount as written."""
        return str(value) if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else value

    # before the schema's NUL check, so a hostile link is refused by the link rule and named as such
    @field_validator("document_link", mode="before")
    @classmethod
    def _safe_link(cls, value: Any) -> Any:
        return clean_link(value) if isinstance(value, str) else value  # UnsafeLink: a 422 in Chinese


def _out(r: Result) -> dict[str, Any]:
    return {name: getattr(r, name) for name in ("kind", "title", "document_link", "amount", "count", "created_at")} | {
        "id": r.pk
    }


@router.get("/inspections/{inspection_id}/results", response=list[ResultOut], summary="整改成效")
def list_results(request: HttpRequest, inspection_id: Id):
    inspection = get_visible(request.auth, Inspection.objects.all(), inspection_id)
    return [_out(r) for r in inspection.results.all()]


@router.post("/inspections/{inspection_id}/results", response={201: ResultOut}, summary="登记整改成效")
def create_result(request: HttpRequest, inspection_id: Id, body: ResultIn):
    inspection = get_visible(request.auth, Inspection.objects.all(), inspection_id)
    result = add_result(
        inspection,
        actor=request.auth,
        kind=body.kind,
        title=body.title,
        amount=body.amount,
        count=body.count,
        document_link=body.document_link,
    )
    return Status(201, _out(result))


@router.delete("/results/{result_id}", response={204: None}, summary="删除误录的整改成效")
def remove_result(request: HttpRequest, result_id: Id):
    delete_result(get_visible(request.auth, Result.objects.all(), result_id), actor=request.auth)
    return Status(204, None)
