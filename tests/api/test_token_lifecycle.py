"""API tokens end with the credentials they were issued under, expire, and are listed and revoked by
their owner and the office — the audit's case: a token still working after the office reset the
password, and coming back to life when a deactivated user was reactivated."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tests.conftest import TEST_PASSWORD
from zhenggai.api.models import ApiToken, EndReason
from zhenggai.api.tokens import create_token
from zhenggai.ledger.errors import ValidationFailed
from zhenggai.ledger.services import users as user_services

pytestmark = pytest.mark.django_db
ME = "/api/v1/me"
NEW_PASSWORD = "青溪-另一个密码-2025"


def works(raw: str) -> bool:
    return Client().get(ME, headers={"Authorization": f"Bearer {raw}"}).status_code == 200


@pytest.fixture
def person(make_user):
    return make_user("supervisor", username="reader")


@pytest.fixture
def token(person):
    _, raw = create_token(person, name="报表系统")
    assert works(raw)
    return raw


def ended_because(person) -> set[str]:
    return set(ApiToken.objects.filter(user=person).values_list("revoked_reason", flat=True))


def test_an_office_password_reset_ends_the_tokens(office, person, token):
    user_services.set_password(person, actor=office, password=NEW_PASSWORD)
    assert not works(token)
    assert ended_because(person) == {EndReason.PASSWORD_CHANGED}


def test_an_office_reset_through_the_api_ends_them(office, person, token):
    _, office_token = create_token(office)
    answer = Client().post(
        f"/api/v1/users/{person.pk}/password",
        data={"password": NEW_PASSWORD},
        content_type="application/json",
        headers={"Authorization": f"Bearer {office_token}"},
    )
    assert answer.status_code == 204
    assert not works(token)


def test_any_password_change_ends_them_even_outside_our_services(person, token):
    """`manage.py changepassword` and the like: Django's set_password + save."""
    user = get_user_model().objects.get(pk=person.pk)
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not works(token)


def test_a_silent_rehash_on_login_keeps_them(client, person, token, settings):
    """Django re-hashes a password on login when the preferred hasher changed: not a password change."""
    settings.PASSWORD_HASHERS = [
        "tests.support.hashers.CountingHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert client.post("/login/", {"username": "reader", "password": TEST_PASSWORD}).status_code == 302
    person.refresh_from_db()
    assert person.password.startswith("counting_md5$")
    assert works(token)


def test_deactivation_ends_them_and_reactivation_does_not_revive_them(office, person, token):
    user_services.deactivate(person, actor=office)
    assert not works(token)
    user_services.reactivate(person, actor=office)
    assert not works(token)
    assert ended_because(person) == {EndReason.DEACTIVATED}
    _, fresh = create_token(person)
    assert works(fresh)


def test_a_role_change_ends_them(office, person, token, make_team):
    user_services.set_role(person, actor=office, role="supervisor")  # unchanged: the token stays
    assert works(token)
    user_services.set_role(person, actor=office, role="team", team=make_team())
    assert not works(token)
    assert ended_because(person) == {EndReason.ROLE_CHANGED}


def test_an_expired_token_is_refused(person):
    row, raw = create_token(person, days=1)
    assert works(raw)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not works(raw)
    row.refresh_from_db()
    assert row.state == "已过期"


def test_tokens_expire_after_the_configured_days(person, settings):
    settings.ZHENGGAI_TOKEN_DAYS = 30
    row, _ = create_token(person)
    assert timedelta(days=29, hours=23) < row.expires_at - timezone.now() <= timedelta(days=30)
    with pytest.raises(ValidationFailed):
        create_token(person, days=0)


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def test_the_owner_lists_and_revokes_through_the_api(person, token):
    _, second = create_token(person, name="备用")
    listed = Client().get("/api/v1/me/tokens", headers=bearer(token)).json()
    assert [t["name"] for t in listed] == ["备用", "报表系统"] and all(t["active"] for t in listed)
    assert all(second not in str(t) for t in listed)
    target = next(t for t in listed if t["name"] == "备用")
    answer = Client().post(f"/api/v1/tokens/{target['id']}/revoke", headers=bearer(token))
    assert answer.status_code == 200 and answer.json()["state"] == "已吊销"
    assert not works(second) and works(token)


def test_others_can_neither_list_nor_revoke(person, token, make_user):
    _, stranger = create_token(make_user("supervisor", username="stranger"))
    row = ApiToken.objects.get(user=person)
    assert Client().get(f"/api/v1/users/{person.pk}/tokens", headers=bearer(stranger)).status_code == 403
    assert Client().post(f"/api/v1/tokens/{row.pk}/revoke", headers=bearer(stranger)).status_code == 403
    assert works(token)
