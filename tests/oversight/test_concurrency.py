"""Concurrent writes to one inspection: the stored dashboard figures end equal to a fresh count, the ledger's
roll-up stays true, and no write ends in an HTTP 500 — a deadlock is retried, and one that persists is
answered in Chinese.

Every writer is a real thread with its own database connection, going through the real services, the
web views and the API; nothing is mocked.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from zhenggai.api.tokens import create_token
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.models import Closure, Event, Finding, Inspection, Status, Task
from zhenggai.ledger.rollup import rollup_status
from zhenggai.ledger.services.assign import assign_task
from zhenggai.ledger.services.findings import pin_status
from zhenggai.ledger.services.progress import add_note
from zhenggai.ledger.workflow import STATUS_TRANSITIONS, transition
from zhenggai.oversight.models import InspectionFigures, OpenDeadline
from zhenggai.oversight.models.figures import COUNTS
from zhenggai.oversight.services import figures

POSTGRES_ONLY = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
BURSTS = 40
WRITERS = 6


def in_thread(work: Callable[[], Any], results: list, errors: list) -> threading.Thread:
    """Run `work` on a thread of its own (so on a connection of its own), keeping what it returns or raises."""

    def run() -> None:
        try:
            results.append(work())
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def stored_equals_fresh(inspection_id: int) -> None:
    stored = InspectionFigures.objects.filter(inspection_id=inspection_id).values(*COUNTS).get()
    assert stored == figures.count([inspection_id])[inspection_id]
    rows = Inspection.objects.filter(pk=inspection_id).values("pk", "round_id", "round__committee_id")
    meta = {row["pk"]: row for row in rows}
    kept = sorted(OpenDeadline.objects.filter(inspection_id=inspection_id).values_list("deadline", "tasks"))
    assert kept == sorted((d.deadline, d.tasks) for d in figures.deadlines(meta))


def rollup_is_true(inspection_id: int) -> None:
    """Every problem that follows its parts has the status its parts give it."""
    for node in Finding.objects.filter(inspection_id=inspection_id, status_pinned=False):
        parts = node.tasks if node.is_leaf else node.children
        derived = rollup_status(list(parts.values_list("status", flat=True)))
        assert derived is None or node.status == derived, node.title


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_bursts_of_concurrent_writes_leave_the_figures_equal_to_a_fresh_count(world):
    a = world["a"].pk
    unit_office = world["users"]["unit_office_own"]
    office = world["users"]["office"]
    tasks = list(Task.objects.filter(finding__inspection_id=a, closure=Closure.OPEN).order_by("pk"))
    leaves = list(Finding.objects.filter(inspection_id=a, kind="item").order_by("pk"))
    web = [Client() for _ in range(WRITERS)]
    for client in web:
        client.force_login(unit_office)
    _, token = create_token(unit_office, name="并发测试")
    api = {"HTTP_AUTHORIZATION": f"Bearer {token}", "content_type": "application/json"}
    rng = random.Random(20241)
    refused = 0

    def next_status(task: Task) -> str:
        return rng.choice(sorted(STATUS_TRANSITIONS[Status(task.status)] - {Status.COMPLETED}))

    def writer(n: int, task: Task, kind: str) -> Callable[[], Any]:
        target = next_status(task)
        day = rng.choice([None, date(2024, 6, 20), date(2024, 7, 5), date(2024, 7, 12), date(2024, 9, 1)])

        def work() -> Any:
            fresh = Task.objects.get(pk=task.pk)
            try:
                if kind == "service":
                    return transition(fresh, actor=unit_office, to_status=target)
                if kind == "web":
                    url = reverse("web:task_status", args=[task.pk])
                    return web[n].post(url, {"status": target, "version": fresh.version})
                if kind == "api":
                    body = json.dumps({"status": target, "version": fresh.version})
                    return Client().post(f"/api/v1/tasks/{task.pk}/status", body, **api)
                if kind == "assign":
                    return assign_task(fresh, actor=unit_office, deadline=day)
                if kind == "pin":
                    leaf = leaves[n % len(leaves)]
                    return pin_status(leaf, actor=office, status=rng.choice([None, None, Status.IN_PROGRESS]))
                return add_note(fresh, actor=unit_office, text=f"第{n}次进展")
            except LedgerError as error:  # a stale version or a step no longer allowed: told to the user
                return error

        return work

    kinds = ("service", "web", "api", "assign", "pin", "note")
    started = time.monotonic()
    for burst in range(BURSTS):
        results: list = []
        errors: list = []
        threads = [
            in_thread(writer(n, rng.choice(tasks), kinds[(burst + n) % len(kinds)]), results, errors)
            for n in range(WRITERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(t.is_alive() for t in threads), f"burst {burst} hung"
        assert errors == [], f"burst {burst}: {errors!r}"
        statuses = [r.status_code for r in results if hasattr(r, "status_code")]
        assert all(code < 500 for code in statuses), f"burst {burst}: {statuses}"
        refused += sum(isinstance(r, LedgerError) for r in results) + sum(code in (400, 409) for code in statuses)
        stored_equals_fresh(a)
        rollup_is_true(a)
        for task in tasks:
            task.refresh_from_db()
    assert time.monotonic() - started < 120
    assert Event.objects.filter(inspection_id=a, action="status_changed").count() > BURSTS
    assert refused < BURSTS * WRITERS / 2  # most writes went through


# --- a real deadlock, on purpose --------------------------------------------------------------


class Adversary:
    """Another connection that locks a task's problem and then the task — the opposite order of every
    write — once the victim holds the task and waits for the problem: PostgreSQL finds the deadlock and,
    since this side waits far longer before looking, fails the victim's transaction."""

    def __init__(self, task: Task) -> None:
        self.task = task
        self.holding = threading.Event()
        self.results: list = []
        self.errors: list = []
        self.thread = in_thread(self.run, self.results, self.errors)

    def run(self) -> str:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL deadlock_timeout = '20s'")
            Finding.objects.select_for_update().get(pk=self.task.finding_id)
            self.holding.set()
            deadline = time.monotonic() + 30
            while not self._someone_waits(cursor):
                assert time.monotonic() < deadline, "the victim never waited for the problem"
                time.sleep(0.02)
            Task.objects.select_for_update().get(pk=self.task.pk)
        return "done"

    @staticmethod
    def _someone_waits(cursor) -> bool:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0

    def __enter__(self) -> Adversary:
        self.thread.start()
        assert self.holding.wait(30)
        return self

    def __exit__(self, *exc: object) -> None:
        self.thread.join(60)
        assert self.errors == [] and self.results == ["done"]


def long_term_task(world) -> Task:
    return Task.objects.filter(finding__inspection=world["a"], closure=Closure.OPEN, status=Status.LONG_TERM).first()


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_a_deadlocked_write_is_retried_and_goes_through(world, caplog):
    task = long_term_task(world)
    caplog.set_level(logging.WARNING, logger="zhenggai.ledger")
    with Adversary(task):
        transition(task, actor=world["users"]["unit_office_own"], to_status=Status.BASICALLY)
    assert any("lost a lock race" in r.getMessage() and "deadlock" in r.getMessage() for r in caplog.records)
    task.refresh_from_db()
    assert task.status == Status.BASICALLY
    assert Event.objects.filter(object_id=str(task.pk), action="status_changed").count() == 1
    stored_equals_fresh(world["a"].pk)


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_a_deadlock_that_persists_is_told_in_chinese_not_a_500(world, settings):
    settings.ZHENGGAI_WRITE_ATTEMPTS = 1
    task = long_term_task(world)
    user = world["users"]["unit_office_own"]
    web = Client()
    web.force_login(user)
    with Adversary(task):
        page = web.post(
            reverse("web:task_status", args=[task.pk]), {"status": Status.BASICALLY.value, "version": task.version}
        )
    assert page.status_code == 503
    assert "系统繁忙" in page.content.decode() and "请稍后重试" in page.content.decode()
    assert page["Retry-After"]

    _, token = create_token(user, name="并发测试")
    with Adversary(task):
        answer = Client().post(
            f"/api/v1/tasks/{task.pk}/status",
            json.dumps({"status": Status.BASICALLY.value, "version": task.version}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert answer.status_code == 503
    assert answer.json()["code"] == "busy" and "系统繁忙" in answer.json()["detail"]

    task.refresh_from_db()
    assert task.status == Status.LONG_TERM  # nothing half-done
    assert not Event.objects.filter(object_id=str(task.pk), action="status_changed").exists()


# --- a real lock on SQLite --------------------------------------------------------------------


class HeldWriteLock:
    """Another connection holding SQLite's one write lock (its transactions begin IMMEDIATE) until
    `release` is set; this connection waits only briefly for it."""

    def __init__(self) -> None:
        self.holding = threading.Event()
        self.release = threading.Event()
        self.results: list = []
        self.errors: list = []
        self.thread = in_thread(self.run, self.results, self.errors)

    def run(self) -> str:
        with transaction.atomic():
            Event.objects.count()
            self.holding.set()
            assert self.release.wait(30)
        return "done"

    def __enter__(self) -> HeldWriteLock:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 50")
        self.thread.start()
        assert self.holding.wait(30)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.thread.join(60)
        assert self.errors == [] and self.results == ["done"]


class ReleaseOnRetry(logging.Handler):
    def __init__(self, held: HeldWriteLock) -> None:
        super().__init__(logging.WARNING)
        self.held = held

    def emit(self, record: logging.LogRecord) -> None:
        if "lost a lock race" in record.getMessage():
            self.held.release.set()


SQLITE_ONLY = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own lock")


@SQLITE_ONLY
@pytest.mark.django_db(transaction=True)
def test_a_write_that_finds_sqlite_locked_is_retried_and_goes_through(world, caplog):
    task = long_term_task(world)
    logger = logging.getLogger("zhenggai.ledger")
    with HeldWriteLock() as lock:
        handler = ReleaseOnRetry(lock)
        logger.addHandler(handler)
        try:
            transition(task, actor=world["users"]["unit_office_own"], to_status=Status.BASICALLY)
        finally:
            logger.removeHandler(handler)
    assert lock.release.is_set()  # set by the retry, so the first attempt found the database locked
    task.refresh_from_db()
    assert task.status == Status.BASICALLY
    assert Event.objects.filter(object_id=str(task.pk), action="status_changed").count() == 1


@SQLITE_ONLY
@pytest.mark.django_db(transaction=True)
def test_sqlite_locked_for_good_is_told_in_chinese_not_a_500(world, settings):
    settings.ZHENGGAI_WRITE_ATTEMPTS = 2
    task = long_term_task(world)
    user = world["users"]["unit_office_own"]
    web = Client()
    web.force_login(user)
    _, token = create_token(user, name="并发测试")
    with HeldWriteLock():
        page = web.post(
            reverse("web:task_status", args=[task.pk]), {"status": Status.BASICALLY.value, "version": task.version}
        )
        answer = Client().post(
            f"/api/v1/tasks/{task.pk}/status",
            json.dumps({"status": Status.BASICALLY.value, "version": task.version}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert page.status_code == 503 and "系统繁忙" in page.content.decode()
    assert answer.status_code == 503 and answer.json()["code"] == "busy"
    task.refresh_from_db()
    assert task.status == Status.LONG_TERM

    here = "http://testserver" + reverse("web:task", args=[task.pk])
    with HeldWriteLock():  # from htmx (the note box): the message, and back to the page it came from
        fragment = web.post(
            reverse("web:task_note", args=[task.pk]), {"text": "已整改"}, HTTP_HX_REQUEST="true", HTTP_REFERER=here
        )
    assert fragment.status_code == 503 and fragment["HX-Redirect"] == here
    assert "系统繁忙" in web.get(here).content.decode()
    assert not task.notes.exists()
