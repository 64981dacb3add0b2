"""Login, logout and the home page by role (throttling: test_login_throttle.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

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


def test_passwords_are_hashed_with_argon2id_at_owasp_parameters():
    from django.contrib.auth.hashers import check_password, make_password

    assert make_password("青溪-口令-2024").startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    older = make_password("青溪-口令-2024", hasher="pbkdf2_sha256")
    upgraded = []
    assert check_password("青溪-口令-2024", older, setter=upgraded.append)
    assert upgraded == ["青溪-口令-2024"]  # re-hashed with Argon2id at the next login
