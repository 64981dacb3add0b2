"""Bearer tokens: shown once, stored as a hash, refused once revoked; the browser session with CSRF."""

import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from zhenggai.api.models import ApiToken
from zhenggai.api.tokens import create_token, revoke_token, user_for_token

ME = "/api/v1/me"


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.django_db
def test_token_is_stored_only_as_its_hash(office):
    token, raw = create_token(office, name="报表系统")
    assert raw.startswith("zg_") and len(raw) > 40
    row = ApiToken.objects.get(pk=token.pk)
    assert row.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {row.key_hash, row.prefix, row.name}
    assert row.prefix == raw[:8]


@pytest.mark.django_db
def test_create_use_revoke(office):
    token, raw = create_token(office)
    response = Client().get(ME, headers=bearer(raw))
    assert response.status_code == 200
    assert response.json()["username"] == "office" and response.json()["role"] == "office"
    token.refresh_from_db()
    assert token.last_used_at is not None

    revoke_token(token)
    response = Client().get(ME, headers=bearer(raw))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Bearer zg_wrong", "Bearer ", "Basic b2ZmaWNlOnB3", "zg_no_scheme"])
def test_bad_credentials_are_401_in_chinese(header):
    response = Client().get(ME, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json() == {"detail": response.json()["detail"], "code": "unauthenticated"}
    assert "令牌" in response.json()["detail"]


@pytest.mark.django_db
def test_token_of_a_deactivated_user_stops_working(office, make_user):
    person = make_user("supervisor")
    _, raw = create_token(person)
    assert user_for_token(raw) == person
    person.is_active = False
    person.save()
    assert Client().get(ME, headers=bearer(raw)).status_code == 401


@pytest.mark.django_db
def test_last_used_is_written_at_most_once_a_minute(office):
    token, raw = create_token(office)
    user_for_token(raw)
    token.refresh_from_db()
    first = token.last_used_at
    user_for_token(raw)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timezone.timedelta(minutes=5))
    user_for_token(raw)
    token.refresh_from_db()
    assert token.last_used_at > first - timezone.timedelta(minutes=5)


@pytest.mark.django_db
def test_session_works_for_reads_and_needs_csrf_for_writes(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["unit_own"])
    assert client.get(f"/api/v1/inspections/{world.a.pk}").status_code == 200

    note = f"/api/v1/tasks/{world.tasks['open'].pk}/notes"
    refused = client.post(note, data={"text": "x"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"

    secret = "zhenggaiCsrfSecretForTests012345"  # 32 characters: the cookie's form of a CSRF secret
    client.cookies["csrftoken"] = secret
    accepted = client.post(
        note, data={"text": "已整改"}, content_type="application/json", headers={"X-CSRFToken": secret}
    )
    assert accepted.status_code == 201, accepted.content


@pytest.mark.django_db
def test_a_wrong_token_is_refused_even_with_a_session(world):
    client = Client()
    client.force_login(world.users["office"])
    assert client.get(ME).status_code == 200
    assert client.get(ME, headers=bearer("zg_wrong")).status_code == 401
