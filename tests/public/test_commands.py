"""`zhenggai publish` and `zhenggai opinions`, called in process on the test database (so they run on
SQLite and PostgreSQL alike); their help through the real entry point."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhenggai.cli import main
from zhenggai.public.models import PublicReport, Revision


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_help_through_the_entry_point(capsys):
    assert main(["publish", "--help"]) == 0
    assert "--approve" in capsys.readouterr().out
    assert main(["opinions", "--help"]) == 0
    assert "--open" in capsys.readouterr().out


@pytest.mark.django_db
def test_publish_submits_then_approves(world):
    b = world["b"]
    with pytest.raises(CommandError, match="待审核"):
        run("publish", str(b.pk), "--as", "unit_office_other")  # B already waits for review
    world["pending"].delete()
    assert "等待巡察办审核" in run("publish", str(b.pk), "--as", "unit_office_other")
    Revision.objects.filter(report__inspection=b).delete()
    out = run("publish", str(b.pk), "--approve", "--as", "office")
    report = PublicReport.objects.get(inspection=b)
    assert report.state == PublicReport.State.PUBLISHED and f"/gongkai/reports/{report.pk}/" in out


@pytest.mark.django_db
def test_publish_refuses_what_the_user_may_not_do(world):
    a = world["a"]
    with pytest.raises(CommandError, match="不能审核发布"):
        run("publish", str(a.pk), "--approve", "--as", "unit_office_own", "--note", "更正")
    assert not Revision.objects.filter(report__inspection=a, state="submitted").exists()
    with pytest.raises(CommandError, match="未找到检查编号"):
        run("publish", "99999")
    with pytest.raises(CommandError, match="日期格式"):
        run("publish", str(a.pk), "--as-of", "2024-13-01")
    with pytest.raises(CommandError, match="您没有权限"):
        run("publish", str(a.pk), "--as", "supervisor", "--note", "更正")


@pytest.mark.django_db
def test_publish_reindex(world):
    assert "已重建检索索引:1篇" in run("publish", "--reindex")


@pytest.mark.django_db
def test_opinions_lists_in_text_and_json(world, opinions):
    out = run("opinions", "--as", "office")
    assert "共3条" in out and "食堂账目仍未公开" in out
    rows = json.loads(run("opinions", "--open", "--json", "--as", "unit_office_own"))
    assert {row["text"] for row in rows} == {"食堂账目仍未公开。", "巡河记录仍有缺失。"}
    assert rows[0]["receipt"] and rows[0]["unit"] == "青溪县水利局党组"
