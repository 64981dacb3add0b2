"""The headers every response carries (one middleware for staff pages, the public site and the API) and
`check --deploy` behind HTTPS. The permission matrices check the policy on every page for every role."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.support.headers import assert_security_headers

REPO = Path(__file__).resolve().parents[2]


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (p.split() for p in policy.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


def test_the_site_policy_allows_no_inline_script_and_nothing_from_elsewhere(settings):
    policy = _directives(settings.ZHENGGAI_CSP)
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]
    for sources in policy.values():
        for source in sources:
            assert source in {"'self'", "'none'", "data:"}, source  # no host, no 'unsafe-inline'/'unsafe-eval'
    public = _directives(settings.ZHENGGAI_CSP_SCRIPT_FREE)
    assert public["default-src"] == ["'none'"] and "script-src" not in public


def test_staff_pages_send_the_site_policy_and_the_other_headers(client, world):
    client.force_login(world["users"]["office"])
    for url in ("/login/", f"/inspections/{world['a'].pk}/", "/oversight/", "/no-such-page/"):
        response = client.get(url)
        assert_security_headers(response)
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"
        assert "camera=()" in response["Permissions-Policy"]


def test_public_pages_keep_the_script_free_policy(client, db):
    for url in ("/gongkai/", "/gongkai/reports/", "/gongkai/opinion/"):
        assert_security_headers(client.get(url), script_free=True)


def test_the_api_and_a_refused_csrf_post_carry_the_policy(world):
    answer = Client().get("/api/v1/rounds")  # 401, JSON
    assert answer["Content-Security-Policy"] == settings.ZHENGGAI_CSP_SCRIPT_FREE
    assert_security_headers(answer)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world["users"]["office"])
    refused = strict.post(f"/inspections/{world['a'].pk}/results/", {"kind": "rule_new", "title": "x"})
    assert refused.status_code == 403
    assert_security_headers(refused)


def test_staff_templates_hold_no_inline_script_style_or_handler():
    """The policy forbids them; a template that used one would break in the browser, quietly."""
    import re

    offending = []
    for template in (REPO / "zhenggai").rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if re.search(
            r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|\shx-on|javascript:|keydown\[|keyup\[", text
        ):
            offending.append(str(template.relative_to(REPO)))
    assert offending == []


def _deploy_check(**extra: str) -> subprocess.CompletedProcess:
    env = {
        **{name: os.environ[name] for name in ("PATH", "HOME", "PYTHONPATH") if name in os.environ},
        "DEBUG": "0",
        "ZHENGGAI_HTTPS": "1",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ZHENGGAI_ALLOWED_HOSTS": "zhenggai.example.gov.cn",
        **extra,
    }
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("extra", [{}, {"ZHENGGAI_SSL_REDIRECT": "0"}], ids=["django-redirects", "proxy-redirects"])
def test_check_deploy_behind_https_reports_nothing(extra, tmp_path):
    # a production system also has a backup schedule (our own deployment check, zhenggai.E105)
    backups = {"ZHENGGAI_BACKUP_HOUR": "2", "ZHENGGAI_BACKUP_DIR": str(tmp_path / "backups")}
    done = _deploy_check(ZHENGGAI_DATA_DIR=str(tmp_path / "data"), **backups, **extra)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_only_djangos_debug_pages_go_without_the_policy(client, db, settings):
    settings.DEBUG = True
    assert "Content-Security-Policy" not in client.get("/no-such-page/")  # the technical 404 page
    assert client.get("/gongkai/")["Content-Security-Policy"] == settings.ZHENGGAI_CSP_SCRIPT_FREE
    assert client.get("/login/")["Content-Security-Policy"] == settings.ZHENGGAI_CSP
    assert client.get("/gongkai/reports/999999/")["Content-Security-Policy"] == settings.ZHENGGAI_CSP_SCRIPT_FREE
