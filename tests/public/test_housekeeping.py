"""Old rate counters and used challenges go away by themselves, as the public forms are used: no command,
no cron line. Rows that still decide something (a window not yet over, a token not yet expired) stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.public.conftest import form_data
from zhenggai.public.models import ChallengeUse, Opinion, RateCounter
from zhenggai.public.protect import challenge, housekeeping, throttle
from zhenggai.public.protect.receipt import display

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """A process clock the test moves; the first purge is due."""
    now = [1_000_000.0]
    monkeypatch.setattr(housekeeping, "clock", lambda: now[0])
    housekeeping.reset()
    yield now
    housekeeping.reset()


@pytest.fixture
def rows():
    """Counters and used challenges of every age: `old` ones decide nothing any more, `current` ones do."""
    now = timezone.now()
    counter = RateCounter.objects.create

    def make():
        return {
            "old": [
                counter(key="opinion-ip:60:192.0.2.9", window_start=now - timedelta(days=3), count=5),
                counter(key="opinion-ip:86400:192.0.2.9", window_start=now - timedelta(days=2, hours=1), count=9),
                ChallengeUse.objects.create(nonce="a" * 24, used_at=now - timedelta(seconds=challenge.MAX_AGE * 3)),
            ],
            "current": [
                counter(key="opinion-ip:60:192.0.2.8", window_start=now - timedelta(minutes=1), count=2),
                counter(key="opinion-ip:86400:192.0.2.8", window_start=now - timedelta(hours=20), count=7),
                counter(key="lookup-receipt:3600:X", window_start=now - timedelta(minutes=50), count=3),
                ChallengeUse.objects.create(nonce="b" * 24, used_at=now - timedelta(minutes=5)),
            ],
        }

    return make


def present(objs) -> list[bool]:
    return [type(obj).objects.filter(pk=obj.pk).exists() for obj in objs]


def send(client, text="请核实巡河记录的整改情况。", ip="198.51.100.20"):
    page = client.get("/gongkai/opinion/").content.decode()
    return client.post("/gongkai/opinion/", form_data(page, text=text), REMOTE_ADDR=ip)


def test_sending_an_opinion_purges_old_rows_and_keeps_current_ones(client, world, clock, rows):
    made = rows()
    assert send(client).status_code == 200
    assert present(made["old"]) == [False] * 3
    assert present(made["current"]) == [True] * 4
    assert Opinion.objects.count() == 1


def test_at_most_once_an_interval(client, world, clock, rows):
    assert send(client, ip="198.51.100.21").status_code == 200  # the purge of this interval
    made = rows()
    clock[0] += housekeeping.INTERVAL - 1
    assert send(client, ip="198.51.100.22").status_code == 200
    assert present(made["old"]) == [True] * 3  # not yet: one purge an interval
    clock[0] += 2
    assert send(client, ip="198.51.100.23").status_code == 200
    assert present(made["old"]) == [False] * 3 and present(made["current"]) == [True] * 4


def test_a_status_lookup_purges_too(client, world, opinions, clock, rows):
    made = rows()
    response = client.post("/gongkai/opinion/status/", {"receipt": display(opinions["handled"].receipt)})
    assert response.status_code == 200
    assert present(made["old"]) == [False] * 3 and present(made["current"]) == [True] * 4


def test_a_failing_purge_loses_no_opinion(client, world, clock, rows, monkeypatch):
    made = rows()

    def broken(now=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(throttle, "purge_old", broken)
    assert send(client).status_code == 200
    assert Opinion.objects.count() == 1
    assert present(made["old"]) == [True] * 3  # left for the next turn


def test_counters_of_longer_configured_windows_are_kept_until_their_window_ends(world, settings):
    settings.ZHENGGAI_PUBLIC_LIMITS = {"opinion-ip": ((5, 60), (200, 7 * 86400))}
    now = timezone.now()
    week = RateCounter.objects.create(key="opinion-ip:604800:x", window_start=now - timedelta(days=5), count=1)
    older = RateCounter.objects.create(key="opinion-ip:604800:y", window_start=now - timedelta(days=8), count=1)
    assert throttle.purge_old(now) == 1
    assert present([week, older]) == [True, False]
