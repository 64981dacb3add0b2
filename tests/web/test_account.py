"""One's own account on the web: changing the password ends one's API tokens; the token pages list
and revoke them for the owner and the office, with plain forms (no script)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import TEST_PASSWORD
from zhenggai.api.models import ApiToken
from zhenggai.api.tokens import create_token

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "青溪-另一个密码-2025"


def works(raw: str) -> bool:
    return Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200


@pytest.fixture
def person(make_user):
    return make_user("supervisor", username="reader")


@pytest.fixture
def token(person):
    _, raw = create_token(person, name="报表系统")
    return raw


def test_the_users_own_password_change_ends_them(client, person, token):
    client.force_login(person)
    answer = client.post(
        reverse("web:account_password"),
        {"old_password": TEST_PASSWORD, "password": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert answer.status_code == 302
    assert not works(token)
    assert client.get(reverse("web:account_tokens")).status_code == 200  # still signed in
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_a_wrong_old_password_changes_nothing(client, person, token):
    client.force_login(person)
    answer = client.post(
        reverse("web:account_password"), {"old_password": "wrong", "password": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert answer.status_code == 400 and "原密码不正确" in answer.content.decode()
    assert works(token)


def test_the_office_lists_and_revokes_on_the_web(client, office, person, token):
    client.force_login(office)
    page = client.get(reverse("web:manage_user_tokens", kwargs={"pk": person.pk})).content.decode()
    row = ApiToken.objects.get(user=person)
    assert row.prefix in page and "报表系统" in page and "<script" not in page.split("</head>")[1]
    assert reverse("web:token_revoke", kwargs={"pk": row.pk}) in page
    answer = client.post(reverse("web:token_revoke", kwargs={"pk": row.pk}))
    assert answer["Location"] == reverse("web:manage_user_tokens", kwargs={"pk": person.pk})
    assert not works(token)


def test_the_owner_revokes_on_the_web_and_others_cannot(client, person, token, make_user):
    row = ApiToken.objects.get(user=person)
    client.force_login(make_user("supervisor", username="stranger"))
    assert client.post(reverse("web:token_revoke", kwargs={"pk": row.pk})).status_code == 403
    assert row.prefix not in client.get(reverse("web:account_tokens")).content.decode()
    assert works(token)
    client.force_login(person)
    assert row.prefix in client.get(reverse("web:account_tokens")).content.decode()
    assert client.post(reverse("web:token_revoke", kwargs={"pk": row.pk}))["Location"] == reverse("web:account_tokens")
    assert not works(token)
