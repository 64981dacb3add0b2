"""Login, logout, the home page by role, and login throttling kept in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhenggai.web import throttle
from zhenggai.web.models import LoginThrottle

LOGIN = "/login/"


def post_login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_login_page_is_chinese_with_autofocus(client):
    page = client.get(LOGIN).content.decode()
    assert '<html lang="zh-CN">' in page
    assert '<meta name="viewport"' in page
    assert "用户名" in page and "密码" in page
    assert 'name="username"' in page and "autofocus" in page


def test_pages_need_a_login(client):
    response = client.get(reverse("web:rounds"))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/rounds/"


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [
        ("office", "/rounds/"),
        ("supervisor", "/rounds/"),
        ("team_own", "/rounds/"),
        ("unit_office_own", "inspection"),
        ("responsible_own", "/my/tasks/"),
    ],
)
def test_home_sends_each_role_to_its_page(client, world, password, who, lands_on):
    user = world["users"][who]
    response = post_login(client, user.username, password)
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    expected = f"/inspections/{world['a'].pk}/" if lands_on == "inspection" else lands_on
    assert home["Location"] == expected


def test_a_wrong_password_is_told_in_chinese(client, office):
    response = post_login(client, "office", "not-the-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_an_inactive_account_cannot_log_in(client, make_user, password):
    make_user("office", username="former", is_active=False)
    response = post_login(client, "former", password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(client, office):
    client.force_login(office)
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response["Location"] == LOGIN
    assert client.get("/rounds/").status_code == 302


def test_session_cookie_is_http_only(client, office, password):
    response = post_login(client, "office", password)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_five_failures_lock_the_username_from_that_address(client, office, password, caplog):
    for _ in range(4):
        assert "用户名或密码不正确" in post_login(client, "office", "wrong").content.decode()
    locked = post_login(client, "office", "wrong").content.decode()
    assert "登录失败次数过多" in locked and "15分钟" in locked
    # Even the right password is refused while the lock lasts…
    response = post_login(client, "office", password)
    assert response.status_code == 200 and "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # …for this username and address only.
    assert post_login(client, "office", password, ip="10.0.0.2").status_code == 302
    assert any("login locked" in r.getMessage() for r in caplog.records if r.name == "zhenggai.security")


def test_the_lock_is_case_blind_and_kept_in_the_database(client, office):
    for _ in range(5):
        post_login(client, "Office", "wrong")
    row = LoginThrottle.objects.get(username="office", ip="10.0.0.1")
    assert row.locked_until > timezone.now() + timedelta(minutes=14)


def test_the_lock_ends_after_fifteen_minutes(client, office, password):
    for _ in range(5):
        post_login(client, "office", "wrong")
    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert post_login(client, "office", password).status_code == 302
    assert not LoginThrottle.objects.exists()  # a good login clears the count


def test_failures_spread_over_more_than_the_window_do_not_lock(db):
    start = timezone.now()
    for minute in range(0, 80, 16):
        assert throttle.record_failure("office", "10.0.0.1", now=start + timedelta(minutes=minute)) is None
    assert throttle.locked_until("office", "10.0.0.1", now=start + timedelta(minutes=80)) is None


def test_limits_are_settings(client, office, settings):
    settings.ZHENGGAI_LOGIN_MAX_FAILURES = 2
    post_login(client, "office", "wrong")
    assert "登录失败次数过多" in post_login(client, "office", "wrong").content.decode()
