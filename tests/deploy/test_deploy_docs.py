"""docs/deploy.md and the files in deploy/ stay true: they name only settings zhenggai reads, the docs
show the files as they are, the unit runs `zhenggai serve` from the environment file install.sh writes,
and the documented production settings pass Django's deployment checks."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import REPO

SETTING = re.compile(r"\b(ZHENGGAI_[A-Z0-9_]*[A-Z0-9]|DATABASE_URL|SECRET_KEY|DEBUG)\b")
DEPLOY_FILES = sorted((REPO / "deploy").iterdir())


def settings_read_from_the_environment() -> set[str]:
    """The names zhenggai/settings.py passes to its env_* helpers: the only settings an operator has."""
    source = (REPO / "zhenggai" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r"\benv_(?:str|bool|int|path|list)\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    assert {"ZHENGGAI_DATA_DIR", "ZHENGGAI_HTTPS", "ZHENGGAI_WORKERS", "DATABASE_URL"} <= names
    return names


def environment_file(path) -> dict[str, str]:
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            pairs[name] = value
    return pairs


@pytest.mark.parametrize("path", [REPO / "docs" / "deploy.md", *DEPLOY_FILES], ids=lambda p: p.name)
def test_the_deployment_texts_name_only_settings_that_exist(path):
    known = settings_read_from_the_environment()
    named = set(SETTING.findall(path.read_text(encoding="utf-8")))
    assert named, f"{path.name} names no setting"
    assert sorted(named - known) == []


@pytest.mark.parametrize("path", DEPLOY_FILES, ids=lambda p: p.name)
def test_the_docs_show_each_deployment_file_as_it_is(path):
    assert path.read_text(encoding="utf-8") in (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")


def test_the_systemd_unit_runs_serve_from_the_installed_environment_file():
    unit = (REPO / "deploy" / "zhenggai.service").read_text(encoding="utf-8")
    keys = dict(line.split("=", 1) for line in unit.splitlines() if "=" in line and not line.startswith("#"))
    production = environment_file(REPO / "deploy" / "zhenggai.env.production")
    assert keys["User"] == "zhenggai" and keys["Restart"] == "on-failure"
    assert keys["ExecStart"] == "/opt/zhenggai/venv/bin/zhenggai serve"
    # install.sh's default target holds the venv and the environment file the unit reads
    install = (REPO / "scripts" / "offline-install.sh").read_text(encoding="utf-8")
    assert "target=/opt/zhenggai" in install and 'env_file="$target/zhenggai.env"' in install
    assert keys["EnvironmentFile"] == "/opt/zhenggai/zhenggai.env"
    # the folders the hardened service may write to are the data folder and the backup folder beside it
    assert production["ZHENGGAI_DATA_DIR"] == keys["WorkingDirectory"]
    assert keys["ReadWritePaths"].split() == [production["ZHENGGAI_DATA_DIR"], production["ZHENGGAI_BACKUP_DIR"]]
    assert production["ZHENGGAI_HOST"] == "127.0.0.1"  # only the proxy reaches the server


def test_nginx_sends_the_headers_the_production_settings_trust():
    nginx = (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    production = environment_file(REPO / "deploy" / "zhenggai.env.production")
    assert f"proxy_pass http://{production['ZHENGGAI_HOST']}:{production['ZHENGGAI_PORT']};" in nginx
    assert f"proxy_set_header {production['ZHENGGAI_CLIENT_IP_HEADER']} $remote_addr;" in nginx
    assert f"proxy_set_header {production['ZHENGGAI_REQUEST_ID_HEADER']} $request_id;" in nginx
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx  # what ZHENGGAI_HTTPS=1 believes
    assert production["ZHENGGAI_TRUSTED_PROXIES"] == production["ZHENGGAI_HOST"]  # nginx on this machine
    assert "listen 443 ssl" in nginx and "return 301 https://" in nginx
    assert production["ZHENGGAI_SSL_REDIRECT"] == "0"


@pytest.mark.parametrize(
    "command",
    [["manage.py", "check"], ["-m", "zhenggai.cli", "check"]],
    ids=["manage.py", "zhenggai"],
)
def test_the_production_settings_pass_the_deployment_checks(tmp_path, command):
    """Django's deployment checks and ours (zhenggai.ops.checks), through manage.py and the `zhenggai`
    command alike; with DEBUG on they fail and say so."""
    production = environment_file(REPO / "deploy" / "zhenggai.env.production")
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' module for this process only
    ignored = {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHENGGAI_") and k not in ignored}
    env.update(
        production,
        ZHENGGAI_DATA_DIR=str(tmp_path / "data"),
        ZHENGGAI_BACKUP_DIR=str(tmp_path / "backups"),
        PYTHONPATH=str(REPO),
    )

    def check(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *command, "--deploy", *extra],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    result = check("--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    env["DEBUG"] = "1"
    debug = check()  # an error of ours: fails without --fail-level WARNING too
    assert debug.returncode != 0 and "(zhenggai.E102) DEBUG 已开启" in debug.stdout + debug.stderr
