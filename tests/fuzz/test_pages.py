"""Every page's query string and path ids, fuzzed with hostile values as every role: never a 5xx.

The audit found 33 parameter/value pairs that gave HTTP 500 (`/gongkai/reports/?unit=99999999999999999999999`,
`?unit=²` on the task list); the walk below tries every name each view reads with such values. It runs on
SQLite and, in the PostgreSQL pass, on PostgreSQL, where an integer past bigint and a NUL in text are
errors of the database itself.
"""

from __future__ import annotations

import time

import pytest
from django.test import Client

from tests.support.fuzz import HOSTILE, PageFuzz, RecordingQuery, crawl

pytestmark = pytest.mark.django_db
# a role of each kind of scope: none, everything, read-only everything, one unit's office, one person
ROLES = ("anonymous", "office", "supervisor", "unit_office_own", "responsible_own")
STARTS = ("/", "/rounds/", "/my/tasks/", "/oversight/", "/oversight/tasks/", "/publication/", "/gongkai/")


@pytest.fixture
def recording(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.support.fuzz.RecordingQuery"]
    RecordingQuery.take()
    yield


@pytest.fixture
def more(world, opinions):
    """An import draft and a report draft, so their pages are walked with an object behind them."""
    from datetime import date

    from tests.conftest import fictional_document
    from zhenggai.reports.models import ReportDraft
    from zhenggai.web.models import ImportDraft

    office = world["users"]["office"]
    a = world["a"]
    ImportDraft.objects.create(
        owner=office, round=a.round, filename="草稿.txt", source=b"x", document=fictional_document().to_dict()
    )
    ReportDraft.objects.create(inspection=a, kind=ReportDraft.Kind.PUBLIC, as_of=date(2024, 8, 30), created_by=office)
    return world


def clients(users: dict, roles) -> dict[str, Client]:
    out = {}
    for role in roles:
        client = Client(raise_request_exception=False)
        if users[role] is not None:
            client.force_login(users[role])
        out[role] = client
    return out


def test_no_page_answers_hostile_query_values_with_a_server_error(more, recording):
    started = time.monotonic()
    walk = PageFuzz(clients(more["users"], ROLES))
    walk.known = crawl(walk.clients["office"], STARTS)
    print(f"crawl: {len(walk.known)} routes in {time.monotonic() - started:.1f} s")
    failures = walk.run()
    elapsed = time.monotonic() - started
    print(f"page fuzz: {walk.requests} requests over {len(walk.urls())} routes in {elapsed:.1f} s")
    for route, spent in sorted(walk.spent.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  {spent:5.1f} s  {route}")
    report = "\n".join(f"{f.status} {f.role} {f.url[:200]!r}" for f in failures[:60])
    assert not failures, f"{len(failures)} server errors:\n{report}"


def test_no_form_answers_hostile_field_values_with_a_server_error(more, recording):
    """The same values in the fields every POST view reads (a task id, a number of days, a version), as the office."""
    started = time.monotonic()
    walk = PageFuzz(clients(more["users"], ("office",)))
    walk.known = crawl(walk.clients["office"], STARTS)
    failures = walk.posts()
    print(f"form fuzz: {walk.requests} requests in {time.monotonic() - started:.1f} s")
    report = "\n".join(f"{f.status} {f.role} {f.url[:200]!r}" for f in failures[:60])
    assert not failures, f"{len(failures)} server errors:\n{report}"


def test_the_walk_finds_a_server_error_when_there_is_one(world, recording, settings):
    """The fuzz can fail: a page that trusts str.isdigit() is caught, as anonymous too."""
    settings.ROOT_URLCONF = "tests.fuzz.broken_urls"
    walk = PageFuzz(clients(world["users"], ("anonymous", "office", "supervisor")), only=lambda r: "careless" in r)
    failures = walk.run()
    assert {f.role for f in failures} == {"anonymous", "office", "supervisor"}
    assert {f.url for f in failures if f.role == "office"} == {"/careless/?round=%C2%B2"}
    assert "²" in HOSTILE
