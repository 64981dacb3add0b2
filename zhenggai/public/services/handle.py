"""The offices handle an opinion: assign a handler, reply (the sender reads it with the receipt), close.

Allowed steps are one table; each step checks permission, locks the opinion, changes it and writes
the history in one transaction. The reply is signed by the organisation, never by a person.
A new handler finds the opinion in their inbox (站内提醒), stored in the same transaction as the
assignment, and by e-mail after it when the reminders send e-mail.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhenggai.ledger.concurrency import retrying
from zhenggai.ledger.errors import InvalidTransition, ValidationFailed
from zhenggai.ledger.history import record
from zhenggai.public.access import PublicAction, handlers_for, require_handle
from zhenggai.public.models import Opinion
from zhenggai.public.protect.receipt import display

State = Opinion.State
REPLY_MAX = 3000

# step → {state it may start from: state it leads to}
STEPS: dict[PublicAction, dict[str, str]] = {
    PublicAction.ASSIGN: {State.RECEIVED: State.HANDLING, State.HANDLING: State.HANDLING, State.REPLIED: State.REPLIED},
    PublicAction.REPLY: {State.RECEIVED: State.REPLIED, State.HANDLING: State.REPLIED, State.REPLIED: State.REPLIED},
    PublicAction.CLOSE: {State.REPLIED: State.CLOSED},
}


def assign(opinion: Opinion, *, actor: Any, handler: Any) -> Opinion:
    require_handle(actor, PublicAction.ASSIGN, opinion)
    if handler is None or not handlers_for(opinion).filter(pk=handler.pk).exists():
        raise ValidationFailed("承办人须为该单位的工作人员", errors={"handler": ["请选择本单位的工作人员"]})
    return _step(opinion, PublicAction.ASSIGN, actor, handler_id=handler.pk)


def reply(opinion: Opinion, *, actor: Any, text: str) -> Opinion:
    require_handle(actor, PublicAction.REPLY, opinion)
    text = (text or "").replace("\r\n", "\n").strip()
    if not text or len(text) > REPLY_MAX:
        raise ValidationFailed(f"请填写答复内容(不超过{REPLY_MAX}字)", errors={"reply": ["请填写答复内容"]})
    return _step(
        opinion, PublicAction.REPLY, actor, reply=text, reply_org=reply_org(actor, opinion), replied_at=timezone.now()
    )


def close(opinion: Opinion, *, actor: Any) -> Opinion:
    require_handle(actor, PublicAction.CLOSE, opinion)
    if opinion.state in (State.RECEIVED, State.HANDLING):
        raise InvalidTransition("请先答复，再办结")
    return _step(opinion, PublicAction.CLOSE, actor, closed_at=timezone.now())


def reply_org(actor: Any, opinion: Opinion) -> str:
    """Who signs a reply: the replier's unit, else the inspection office of the report's committee."""
    if getattr(actor, "unit_id", None):
        return actor.unit.name
    if opinion.report_id:
        return f"{opinion.report.committee.name}巡察办"
    return "巡察办"


@retrying
def _step(opinion: Opinion, action: PublicAction, actor: Any, **changes: Any) -> Opinion:
    with transaction.atomic():
        current = Opinion.objects.select_for_update().get(pk=opinion.pk)
        target = STEPS[action].get(current.state)
        if target is None:
            raise InvalidTransition(f"意见当前为“{current.get_state_display()}”，不能进行此操作")
        before = {"state": current.state, **{k: getattr(current, k) for k in changes if k != "replied_at"}}
        for key, value in changes.items():
            setattr(current, key, value)
        current.state = target
        current.save()
        after = {"state": target, **{k: v for k, v in changes.items() if k != "replied_at"}}
        record(actor=actor, action=f"opinion_{action}", obj=current, before=before, after=after)
        if action == PublicAction.ASSIGN and before["handler_id"] != current.handler_id:
            tell_handler(current, actor)
    opinion.refresh_from_db()
    return opinion


def tell_handler(opinion: Opinion, actor: Any) -> None:
    """Put the opinion in its new handler's inbox (nobody is told about what they assigned to themselves)."""
    if not apps.is_installed("zhenggai.oversight") or opinion.handler_id in (None, getattr(actor, "pk", None)):
        return
    from zhenggai.oversight.services.notices import notify

    unit = opinion.unit.name if opinion.unit_id else "（未指明单位）"
    committee = opinion.report.committee if opinion.report_id else (opinion.unit.committee if opinion.unit_id else None)
    when = timezone.localtime(opinion.created_at)
    notify(
        opinion.handler,
        kind="opinion",
        subject=f"群众意见已分配给您办理：回执编号{display(opinion.receipt)}",
        body=(
            f"{when.year}年{when.month}月{when.day}日收到的群众意见（{opinion.get_kind_display()}，涉及{unit}）"
            f"已分配给您办理，请查看并答复。"
        ),
        link=reverse("publication:opinion", args=[opinion.pk]),
        committee=committee,
    )
