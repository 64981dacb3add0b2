"""The pages themselves: exports, settings that take effect, the inbox, and nothing fetched from elsewhere."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse

from zhenggai.oversight.models import Category, FindingCategory, Notification, ReminderPolicy

VENDOR = Path(__file__).resolve().parents[2] / "zhenggai" / "oversight" / "static" / "oversight" / "vendor"


def test_vendored_echarts_is_the_recorded_file():
    recorded = re.search(r"`echarts\.min\.js`.*`([0-9a-f]{64})` \|", (VENDOR / "VENDOR.md").read_text()).group(1)
    assert hashlib.sha256((VENDOR / "echarts.min.js").read_bytes()).hexdigest() == recorded
    assert "Apache License" in (VENDOR / "LICENSE-echarts").read_text()
    assert (VENDOR / "NOTICE-echarts.txt").exists()


@pytest.mark.django_db
def test_pages_load_scripts_only_from_our_own_static_files(world, login):
    client = login(world["users"]["office"])
    for url in (reverse("oversight:overview"), reverse("oversight:round", args=[world["round"].pk])):
        html = client.get(url).content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources
        assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], url
        assert "/static/oversight/vendor/echarts.min.js" in sources


@pytest.mark.django_db
def test_csv_exports_open_in_excel(world, login):
    client = login(world["users"]["office"])
    response = client.get(reverse("oversight:round_csv", args=[world["round"].pk, "units"]))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff被巡察单位,具体问题,完成整改")
    assert "青溪县水利局党组" in text
    tasks = client.get(reverse("oversight:tasks_csv") + "?light=red").content.decode("utf-8")
    assert len(tasks.strip().splitlines()) == 1 + 2


@pytest.mark.django_db
def test_common_problems_export_as_xlsx(world, login):
    from openpyxl import load_workbook

    client = login(world["users"]["office"])
    response = client.get(reverse("oversight:common_export", args=["xlsx"]) + f"?round={world['round'].pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "共性问题编号"
    assert {r[5] for r in rows[1:]} == {"青溪县水利局党组", "青溪县林业局党组"}
    assert client.get(reverse("oversight:common_export", args=["pdf"])).status_code == 404


@pytest.mark.django_db
def test_editing_keywords_reclassifies(world, login):
    category = Category.objects.get(taxonomy__is_default=True, code="conduct")
    client = login(world["users"]["office"])
    response = client.post(
        reverse("oversight:category_edit", args=[category.pk]), {"name": "作风建设", "keywords": "防汛物资储备管理"}
    )
    assert response.status_code == 302
    placed = FindingCategory.objects.get(
        taxonomy=category.taxonomy, finding__title__contains="防汛物资", finding__inspection=world["a"]
    )
    assert placed.category == category and placed.matched == ["防汛物资储备管理"]


@pytest.mark.django_db
def test_the_office_sets_reminder_rules(world, login):
    client = login(world["users"]["office"])
    client.post(
        reverse("oversight:reminder_edit", args=[world["committee"].pk]),
        {"green_recipients": ["handler"], "red_recipients": ["handler", "unit_head", "nonsense"], "repeat_days": "3"},
    )
    policy = ReminderPolicy.objects.get(committee=world["committee"])
    assert policy.recipients == {"green": ["handler"], "yellow": [], "red": ["handler", "unit_head"]}
    assert (policy.repeat_days, policy.send_email) == (3, False)
    html = login(world["users"]["supervisor"]).get(reverse("oversight:reminders")).content.decode()
    assert "责任人、单位主要负责人" in html and "<form" not in html.split('id="committee-')[1]


@pytest.mark.django_db
def test_inbox_badge_and_reading(world, login):
    owner = world["users"]["responsible_own"]
    note = Notification.objects.create(
        recipient=owner,
        task=world["tasks"][0],
        light="red",
        day=world["a"].feedback_date,
        subject="【红灯】提醒",
        body="-",
        link=reverse("web:task", args=[world["tasks"][0].pk]),
    )
    client = login(owner)
    assert ">1</span>" in client.get(reverse("oversight:unread")).content.decode()
    assert "【红灯】提醒" in client.get(reverse("oversight:inbox")).content.decode()
    response = client.post(reverse("oversight:read", args=[note.pk]))
    assert response["Location"] == note.link
    note.refresh_from_db()
    assert note.read_at is not None
    assert ">0</span>" in client.get(reverse("oversight:unread")).content.decode()


@pytest.mark.django_db
def test_quality_page_explains_each_flag(world, login):
    html = login(world["users"]["office"]).get(reverse("oversight:quality") + "?show=all").content.decode()
    assert "表态式整改" in html
    assert "写明" in html  # the label of a fact rule that fired
