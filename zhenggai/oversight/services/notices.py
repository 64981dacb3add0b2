"""One-off notices (站内提醒 that are not deadline lights): one person told about one thing given to them,
such as a public opinion assigned to them to handle.

A notice is a `Notification` without a task, whose `light` names its kind. `notify` is called inside
the transaction of the change it tells about, so the notice is stored with that change or not at all.
The e-mail follows the reminders' rule (the committee's `ReminderPolicy.send_email`, and only to people
with an address) and goes after the commit: a mail server that fails is logged and never undoes the change.
"""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from zhenggai.org.models import Committee, User
from zhenggai.oversight.models import Notification
from zhenggai.oversight.services.links import absolute
from zhenggai.oversight.services.reminders import policy_for

log = logging.getLogger("zhenggai.oversight")


def notify(
    recipient: User, *, kind: str, subject: str, body: str, link: str, committee: Committee | None = None
) -> Notification:
    """Store a notice in `recipient`'s inbox and, once the surrounding transaction commits, e-mail it."""
    note = Notification.objects.create(
        recipient=recipient, light=kind, day=timezone.localdate(), subject=subject, body=body, link=link
    )
    send = policy_for(committee).send_email if committee is not None else True
    if send and recipient.email:
        transaction.on_commit(lambda: _email(note), robust=True)
    return note


def _email(note: Notification) -> None:
    url = absolute(note.link)
    text = f"{note.body}\n\n" + (f"查看：{url}" if url else "请登录巡察整改台账，在“提醒”中查看。")
    sent = get_connection().send_messages([EmailMessage(note.subject, text, to=[note.recipient.email])])
    if sent:
        Notification.objects.filter(pk=note.pk).update(emailed=True)
    else:
        log.warning("notice %s not e-mailed to user %s", note.pk, note.recipient_id)
