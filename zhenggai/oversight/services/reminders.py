"""Deadline reminders (红黄绿灯提醒): find the tasks showing a light today and tell the people concerned.

Who is told follows the committee's `ReminderPolicy` (defaults: green → the handler; yellow → also
the unit's rectification office; red → also the unit's head). Every reminder is a `Notification` in
the recipient's inbox, keyed by recipient, task, light and day, so a second run the same day (cron
retrying, an operator running it by hand) adds nothing; with e-mail on, each recipient gets one
message per run listing their new reminders. A light is repeated after `repeat_days`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from zhenggai.ledger.lights import Light
from zhenggai.ledger.models import Closure, Task
from zhenggai.org.models import Committee, Role, User
from zhenggai.oversight.models import Notification, Recipient, ReminderPolicy, UnitHead
from zhenggai.oversight.services.dashboard import task_light
from zhenggai.oversight.services.links import absolute

BATCH = 2000
LIGHT_WORDS = {Light.RED: "红灯", Light.YELLOW: "黄灯", Light.GREEN: "绿灯"}


@dataclass
class Summary:
    as_of: date
    lights: Counter = field(default_factory=Counter)
    created: int = 0
    emails: int = 0
    recipients: set[int] = field(default_factory=set)
    without_recipient: int = 0
    planned: list[Notification] = field(default_factory=list)


def policy_for(committee: Committee) -> ReminderPolicy:
    """The committee's policy, or the default one (not saved) when the office never set it."""
    try:
        return committee.reminder_policy
    except ReminderPolicy.DoesNotExist:
        return ReminderPolicy(committee=committee)


def lit_tasks(as_of: date) -> Iterator[tuple[Task, Light, Committee]]:
    """Open tasks with a deadline showing red, yellow or green on `as_of`, by their committee's thresholds."""
    for committee in Committee.objects.all():
        horizon = as_of + timedelta(days=committee.green_days)
        tasks = (
            Task.objects.filter(finding__inspection__round__committee=committee, deadline__lte=horizon)
            .exclude(closure=Closure.CLOSED)
            .select_related("finding__inspection__unit", "handler")
            .order_by("deadline", "pk")
        )
        for task in tasks.iterator(chunk_size=BATCH):
            shown = task_light(task.deadline, task.closure, as_of, committee)
            if shown != Light.NONE:
                yield task, shown, committee


def _link(task: Task) -> str:
    try:
        return reverse("web:task", args=[task.pk])
    except NoReverseMatch:
        return reverse("oversight:tasks") + f"?inspection={task.finding.inspection_id}"


def _text(task: Task, shown: Light, as_of: date) -> tuple[str, str]:
    unit = task.finding.inspection.unit.name
    days = (task.deadline - as_of).days
    when = f"已逾期{-days}天" if days < 0 else ("今天到期" if days == 0 else f"还有{days}天到期")
    deadline = f"{task.deadline.year}年{task.deadline.month}月{task.deadline.day}日"
    subject = f"【{LIGHT_WORDS[shown]}】{unit}整改任务{when}"
    body = f"{unit}的整改任务“{task.text[:60]}”{when}（整改时限{deadline}）。具体问题：{task.finding.title[:80]}"
    return subject, body


class _People:
    """Unit offices and heads, loaded once per run rather than once per task."""

    def __init__(self) -> None:
        self.offices: dict[int, list[User]] = defaultdict(list)
        for user in User.objects.filter(role=Role.UNIT_OFFICE, is_active=True, unit__isnull=False):
            self.offices[user.unit_id].append(user)
        self.heads = {h.unit_id: h.user for h in UnitHead.objects.select_related("user") if h.user.is_active}

    def for_task(self, task: Task, roles: list[str]) -> list[User]:
        unit_id = task.finding.inspection.unit_id
        people: list[User] = []
        if Recipient.HANDLER in roles and task.handler and task.handler.is_active:
            people.append(task.handler)
        if Recipient.UNIT_OFFICE in roles or (Recipient.HANDLER in roles and task.handler is None):
            people.extend(self.offices.get(unit_id, []))  # nobody handles it yet: the unit office must know
        if Recipient.UNIT_HEAD in roles and unit_id in self.heads:
            people.append(self.heads[unit_id])
        return list({p.pk: p for p in people}.values())


def remind(as_of: date, *, dry_run: bool = False) -> Summary:
    """Plan the reminders due on `as_of` and, unless `dry_run`, store and send them."""
    summary = Summary(as_of)
    people = _People()
    policies: dict[int, ReminderPolicy] = {}
    batch: list[tuple[Task, Light, Committee]] = []
    for item in lit_tasks(as_of):
        summary.lights[item[1]] += 1
        batch.append(item)
        if len(batch) >= BATCH:
            _plan(batch, as_of, people, policies, summary)
            batch = []
    _plan(batch, as_of, people, policies, summary)
    if not dry_run:
        _deliver(summary, policies)
    return summary


def _plan(batch, as_of: date, people: _People, policies: dict[int, ReminderPolicy], summary: Summary) -> None:
    """Add to `summary.planned` the reminders of this batch not already sent within the repeat interval."""
    if not batch:
        return
    last: dict[tuple[int, int, str], date] = {}
    existing = Notification.objects.filter(task_id__in=[t.pk for t, _, _ in batch])
    for key in existing.values_list("recipient_id", "task_id", "light", "day"):
        if last.get(key[:3], date.min) < key[3]:
            last[key[:3]] = key[3]
    for task, shown, committee in batch:
        if committee.pk not in policies:
            policies[committee.pk] = policy_for(committee)
        policy = policies[committee.pk]
        recipients = people.for_task(task, policy.recipients_for(shown.value))
        if not recipients:
            summary.without_recipient += 1
            continue
        subject, body = _text(task, shown, as_of)
        for user in recipients:
            previous = last.get((user.pk, task.pk, shown.value))
            if previous is not None and (
                previous >= as_of or policy.repeat_days == 0 or (as_of - previous).days < policy.repeat_days
            ):
                continue
            note = Notification(
                recipient=user, task=task, light=shown.value, day=as_of, subject=subject, body=body, link=_link(task)
            )
            note.committee_id = committee.pk  # where its e-mail rule comes from; not stored
            summary.planned.append(note)


def _entry(note: Notification) -> str:
    url = absolute(note.link) if note.link else None
    return f"{note.subject}\n{note.body}" + (f"\n查看：{url}" if url else "")


def _inbox_line() -> str:
    url = absolute(reverse("oversight:inbox"))
    return f"全部提醒：{url}" if url else "请登录巡察整改台账，在“提醒”中查看。"


def _deliver(summary: Summary, policies: dict[int, ReminderPolicy]) -> None:
    """Store the planned reminders (a concurrent run's duplicates are ignored), then e-mail the new ones."""
    started = timezone.now()
    with transaction.atomic():
        Notification.objects.bulk_create(summary.planned, batch_size=1000, ignore_conflicts=True)
    planned = {(n.recipient_id, n.task_id, n.light): n for n in summary.planned}
    fresh = Notification.objects.filter(day=summary.as_of, created_at__gte=started).values_list(
        "pk", "recipient_id", "task_id", "light"
    )
    by_user: dict[int, list[tuple[int, Notification]]] = defaultdict(list)
    for pk, recipient_id, task_id, shown in fresh:
        note = planned.get((recipient_id, task_id, shown))
        if note is None:
            continue
        summary.created += 1
        summary.recipients.add(recipient_id)
        if policies[note.committee_id].send_email and note.recipient.email:
            by_user[recipient_id].append((pk, note))
    messages = []
    for notes in by_user.values():
        user = notes[0][1].recipient
        text = "\n\n".join(_entry(n) for _, n in notes) + "\n\n" + _inbox_line()
        messages.append(EmailMessage(f"巡察整改任务时限提醒（{len(notes)}项）", text, to=[user.email]))
    if messages:
        summary.emails = get_connection().send_messages(messages) or 0
        Notification.objects.filter(pk__in=[pk for notes in by_user.values() for pk, _ in notes]).update(emailed=True)
