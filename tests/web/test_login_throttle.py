"""Login throttling attacked as the audit did: spraying from one address, many addresses at one account,
a spoofed proxy header; and the real user, at a clean desk, still getting in. Refusals hash nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from tests.support.hashers import CountingHasher
from zhenggai.web import throttle
from zhenggai.web.client_address import client_ip
from zhenggai.web.models import LoginFailure

LOGIN = "/login/"
pytestmark = pytest.mark.django_db


def post_login(client, username, password, ip="10.0.0.1", **headers):
    client.cookies.clear()
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, headers=headers)


def logged_in(response) -> bool:
    return response.status_code == 302


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.support.hashers.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


def test_spraying_80_guesses_over_20_usernames_from_one_address_is_limited(client, make_user, password):
    users = [make_user("supervisor", username=f"staff{n:02d}") for n in range(20)]
    answers = [
        post_login(client, user.username, f"guess-{round_}", ip="10.6.6.6") for round_ in range(4) for user in users
    ]
    assert not any(logged_in(a) for a in answers)
    assert "本机已暂时不能登录" in answers[-1].content.decode()
    assert LoginFailure.objects.filter(ip="10.6.6.6").count() == 20  # the other 60 were refused unchecked
    # the address is held back even with a right password; a colleague elsewhere is not
    assert "本机已暂时不能登录" in post_login(client, "staff00", password, ip="10.6.6.6").content.decode()
    assert logged_in(post_login(client, "staff00", password, ip="10.0.0.2"))


def test_many_addresses_against_one_username_are_limited(client, office):
    answers = [post_login(client, "office", f"guess-{n}", ip=f"10.1.0.{a}") for a in range(1, 11) for n in range(3)]
    assert all("该账号已暂时锁定" in a.content.decode() for a in answers[-2:])
    # 5 failures lock the name; after that each new address gets one try, then is refused unchecked
    assert LoginFailure.objects.filter(username="office").count() == 5 + 8


def test_a_locked_username_still_logs_in_from_a_clean_address(client, office, password, caplog):
    for n in range(5):
        post_login(client, "Office", "wrong", ip=f"10.2.0.{n}")
    assert "该账号已暂时锁定" in post_login(client, "office", password, ip="10.2.0.1").content.decode()
    assert logged_in(post_login(client, "office", password, ip="10.2.9.9"))
    assert any("login refused reason=username" in r.getMessage() for r in caplog.records)


def test_a_refused_attempt_does_not_hash(client, counting_hasher, make_user, password, settings):
    make_user("office", username="boss")
    settings.ZHENGGAI_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    for _ in range(3):
        post_login(client, "boss", "wrong", ip="10.3.0.1")
    assert counting_hasher.calls >= 3  # the counter does see real checks
    counting_hasher.calls = 0
    for guess in ("wrong", "wrong-again", password):
        assert "本机已暂时不能登录" in post_login(client, "boss", guess, ip="10.3.0.1").content.decode()
    assert post_login(client, "nobody-at-all", "x", ip="10.3.0.1").status_code == 200
    assert counting_hasher.calls == 0


def test_a_username_refusal_does_not_hash_either(client, counting_hasher, make_user):
    make_user("office", username="boss")
    for n in range(5):
        post_login(client, "boss", "wrong", ip=f"10.4.0.{n}")
    counting_hasher.calls = 0
    post_login(client, "boss", "wrong", ip="10.4.0.1")
    assert counting_hasher.calls == 0


def test_the_global_limit_holds_back_every_address_that_failed(client, make_user, password, settings):
    settings.ZHENGGAI_LOGIN_MAX_FAILURES_GLOBAL = 6
    make_user("office", username="boss")
    for n in range(6):
        post_login(client, f"name{n}", "wrong", ip=f"10.5.0.{n}")
    assert (
        "系统暂时只接受未输错过密码的电脑登录" in post_login(client, "boss", password, ip="10.5.0.3").content.decode()
    )
    assert logged_in(post_login(client, "boss", password, ip="10.5.1.1"))


def test_failures_age_out_of_the_window(client, office, password):
    for _ in range(5):
        post_login(client, "office", "wrong")
    assert not logged_in(post_login(client, "office", password))
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert logged_in(post_login(client, "office", password))


def test_the_refusal_says_when_it_ends(db):
    start = timezone.now()
    for minute in range(5):
        throttle.record_failure("office", "10.0.0.1", now=start + timedelta(minutes=minute))
    refused = throttle.refusal("office", "10.0.0.1", now=start + timedelta(minutes=5))
    assert refused is not None and refused.reason == "username"
    assert refused.until == start + timedelta(minutes=15)  # the oldest failure ages out then
    assert throttle.refusal("office", "10.0.0.1", now=start + timedelta(minutes=15, seconds=1)) is None


def test_logging_into_ones_own_account_does_not_reset_an_address(client, make_user, password, settings):
    settings.ZHENGGAI_LOGIN_MAX_FAILURES_PER_ADDRESS = 6
    make_user("supervisor", username="mole")
    for n in range(5):
        post_login(client, f"victim{n}", "wrong", ip="10.7.0.1")
    assert logged_in(post_login(client, "mole", password, ip="10.7.0.1"))
    post_login(client, "victim9", "wrong", ip="10.7.0.1")
    assert "本机已暂时不能登录" in post_login(client, "mole", password, ip="10.7.0.1").content.decode()


def test_a_busy_server_turns_logins_away_before_hashing(client, office, password, settings):
    settings.ZHENGGAI_LOGIN_CONCURRENT_HASHES = 1
    settings.ZHENGGAI_LOGIN_HASH_WAIT_SECONDS = 0
    with throttle.hashing_slot():
        answer = post_login(client, "office", password)
    assert "登录的人较多" in answer.content.decode()
    assert not LoginFailure.objects.exists()
    assert logged_in(post_login(client, "office", password))


# --- the caller's address behind a proxy ---------------------------------------------------------


def request_from(peer: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, **extra)


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("203.0.113.5", "10.0.0.1", "203.0.113.5"),  # not our proxy: its header is the caller's own words
        ("192.0.2.10", None, "192.0.2.10"),
        ("192.0.2.10", "198.51.100.7", "198.51.100.7"),
        ("192.0.2.10", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # the left part is the caller's to invent
        ("192.0.2.10", "198.51.100.7, 192.0.2.11", "198.51.100.7"),  # two proxies of ours in a row
        ("192.0.2.10", "198.51.100.7, not-an-address", "192.0.2.10"),
        ("192.0.2.10", "[2001:db8::5]:443", "2001:db8::5"),
        ("::ffff:192.0.2.10", "198.51.100.7", "198.51.100.7"),
    ],
)
def test_the_proxy_header_is_believed_only_from_a_trusted_proxy(settings, peer, forwarded, expected):
    settings.ZHENGGAI_TRUSTED_PROXIES = ["192.0.2.0/28"]
    settings.ZHENGGAI_CLIENT_IP_HEADER = "X-Forwarded-For"
    assert client_ip(request_from(peer, forwarded)) == expected


def test_without_configuration_only_the_peer_counts(settings):
    settings.ZHENGGAI_TRUSTED_PROXIES = []
    assert client_ip(request_from("192.0.2.10", "198.51.100.7")) == "192.0.2.10"


def test_a_spoofed_header_does_not_escape_the_address_limit(client, office, settings):
    settings.ZHENGGAI_TRUSTED_PROXIES = ["192.0.2.1"]
    for n in range(25):
        post_login(client, f"user{n}", "wrong", ip="203.0.113.5", x_forwarded_for=f"10.9.{n}.1")
    assert LoginFailure.objects.filter(ip="203.0.113.5").count() == 20
    assert not LoginFailure.objects.exclude(ip="203.0.113.5").exists()


def test_behind_a_trusted_proxy_one_locked_caller_does_not_lock_the_office(client, office, password, settings):
    settings.ZHENGGAI_TRUSTED_PROXIES = ["192.0.2.1"]
    for n in range(25):
        post_login(client, f"user{n}", "wrong", ip="192.0.2.1", x_forwarded_for="198.51.100.66")
    assert (
        "本机已暂时不能登录"
        in post_login(client, "office", password, ip="192.0.2.1", x_forwarded_for="198.51.100.66").content.decode()
    )
    assert logged_in(post_login(client, "office", password, ip="192.0.2.1", x_forwarded_for="198.51.100.8"))


def test_the_public_side_counts_the_same_address():
    from zhenggai.public.views import common

    assert common.client_ip is client_ip


def test_a_malformed_proxy_entry_is_reported_at_start(settings):
    from zhenggai.org.checks import check_trusted_proxies

    settings.ZHENGGAI_TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.example"]
    assert [e.id for e in check_trusted_proxies(None)] == ["zhenggai.E010"]
