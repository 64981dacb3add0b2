"""`zhenggai check --deploy`: each of our deployment checks (zhenggai.ops.checks) fails with its id and a
message naming what is wrong when its condition is broken, through the real command in a subprocess
with the documented production settings and one thing changed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.deploy.test_deploy_docs import environment_file


def production_env(tmp_path: Path, **changes: str) -> dict[str, str]:
    """The documented production settings, with folders of this test; a change of "" removes a setting."""
    ignored = {"DEBUG", "DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHENGGAI_") and k not in ignored}
    env.update(environment_file(REPO / "deploy" / "zhenggai.env.production"))
    env.update(
        ZHENGGAI_DATA_DIR=str(tmp_path / "data"), ZHENGGAI_BACKUP_DIR=str(tmp_path / "backups"), PYTHONPATH=str(REPO)
    )
    env.update(changes)
    return {k: v for k, v in env.items() if v != ""}


def check_deploy(env: dict[str, str], *extra: str) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "zhenggai.cli", "check", "--deploy", *extra],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def test_the_documented_settings_pass(tmp_path):
    code, output = check_deploy(production_env(tmp_path), "--fail-level", "WARNING")
    assert code == 0, output
    assert "zhenggai." not in output


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"DEBUG": "1"}, "(zhenggai.E102) DEBUG 已开启"),
        ({"SECRET_KEY": "changeme"}, "(zhenggai.E101) SECRET_KEY 强度不足:是示例中公开的默认值"),
        ({"SECRET_KEY": "django-insecure-" + "k3" * 30}, "(zhenggai.E101) SECRET_KEY 强度不足:是示例中公开的默认值"),
        ({"SECRET_KEY": "Xq9-vR2_pL7zT4mW"}, "(zhenggai.E101) SECRET_KEY 强度不足:只有 16 个字符"),
        ({"SECRET_KEY": "ab" * 40}, "(zhenggai.E101) SECRET_KEY 强度不足:只用了 2 种字符"),
        ({"ZHENGGAI_BACKUP_HOUR": ""}, "(zhenggai.E105) 未设置定时备份(ZHENGGAI_BACKUP_HOUR 未设置)"),
        ({"ZHENGGAI_BACKUP_HOUR": "24"}, "(zhenggai.E105) ZHENGGAI_BACKUP_HOUR=24 不是 0–23 之间的小时"),
        ({"ZHENGGAI_ALLOWED_HOSTS": "localhost,127.0.0.1"}, "(zhenggai.E108) 已启用 HTTPS,但 ZHENGGAI_ALLOWED_HOSTS"),
        ({"ZHENGGAI_MODE": "public"}, "(zhenggai.E109) 公众网站模式(ZHENGGAI_MODE=public)缺少内网的公钥"),
        ({"DATABASE_URL": "postgres://zhenggai@127.0.0.1:9/zhenggai"}, "(zhenggai.E110) 无法连接数据库 'default'"),
    ],
    ids=[
        "debug",
        "known-key",
        "insecure-key",
        "short-key",
        "repetitive-key",
        "no-backup",
        "bad-hour",
        "localhost-only",
        "no-peer-key",
        "database-down",
    ],
)
def test_an_error_fails_and_names_what_is_wrong(tmp_path, changes, expected):
    code, output = check_deploy(production_env(tmp_path, **changes))  # errors fail at the default level
    assert code == 1 and expected in output, output


def test_cron_may_take_the_backups_instead(tmp_path):
    env = production_env(tmp_path, ZHENGGAI_BACKUP_HOUR="", ZHENGGAI_BACKUP_BY_CRON="1")
    code, output = check_deploy(env, "--fail-level", "WARNING")
    assert code == 0, output


def test_backups_inside_the_data_folder_fail(tmp_path):
    env = production_env(tmp_path, ZHENGGAI_BACKUP_DIR=str(tmp_path / "data" / "backups"))
    code, output = check_deploy(env)
    assert code == 1 and "(zhenggai.E106) 备份文件夹 ZHENGGAI_BACKUP_DIR=" in output, output
    assert "在数据文件夹" in output


def test_a_backup_folder_that_cannot_be_made_fails(tmp_path):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    env = production_env(tmp_path, ZHENGGAI_BACKUP_DIR=str(tmp_path / "a-file" / "backups"))
    code, output = check_deploy(env)
    assert code == 1 and f"(zhenggai.E107) 备份文件夹 ZHENGGAI_BACKUP_DIR={tmp_path}/a-file/backups 不可写" in output


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"ZHENGGAI_HTTPS": "", "ZHENGGAI_SSL_REDIRECT": ""}, "(zhenggai.W103) 未启用 HTTPS"),
        ({"FONTCONFIG_FILE": "empty-fonts.conf"}, "(zhenggai.W111) 缺少 Fandol 字体(FandolFang、FandolKai"),
    ],
    ids=["no-https", "no-fandol"],
)
def test_a_warning_fails_at_the_warning_level(tmp_path, changes, expected):
    if "FONTCONFIG_FILE" in changes:  # fontconfig with no font folder at all: no font is found
        conf = tmp_path / changes["FONTCONFIG_FILE"]
        conf.write_text('<?xml version="1.0"?><fontconfig></fontconfig>\n', encoding="utf-8")
        changes = {"FONTCONFIG_FILE": str(conf)}
    env = production_env(tmp_path, **changes)
    code, output = check_deploy(env)
    assert code == 0 and expected in output, output  # a warning alone: the operator may choose it
    code, output = check_deploy(env, "--fail-level", "WARNING")
    assert code == 1 and expected in output, output


def test_a_data_folder_that_cannot_be_written_fails(tmp_path):
    """Root writes through any mode bits, so as root (CI) the data folder is mounted read-only in a mount
    namespace of the check's own; otherwise its mode forbids writing."""
    data = tmp_path / "data"
    for folder in (data, data / "media", data / "logs", data / "static"):
        folder.mkdir()
    env = production_env(tmp_path)
    env["SECRET_KEY"] = "k" + os.urandom(40).hex()  # nothing to generate into the read-only folder
    command = [sys.executable, "-m", "zhenggai.cli", "check", "--deploy"]
    if os.geteuid() == 0:
        remount = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" && exec "$@"'
        command = ["unshare", "-m", "sh", "-c", remount, str(data), *command]
    else:
        for folder in (data, data / "media", data / "logs"):
            folder.chmod(0o555)
    try:
        result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    finally:
        for folder in (data, data / "media", data / "logs"):
            folder.chmod(0o755)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"(zhenggai.E104) 数据文件夹 ZHENGGAI_DATA_DIR {data} 不可写" in output
    assert f"(zhenggai.E104) 佐证材料文件夹 {data / 'media'} 不可写" in output
    assert f"(zhenggai.E104) 日志文件夹 {data / 'logs'} 不可写" in output
