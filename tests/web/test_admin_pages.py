"""Administration pages (office only): users, units, teams, committees and their calendar, rounds."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html

from tests.conftest import TEST_PASSWORD
from zhenggai.ledger.models import Event, Round
from zhenggai.org.models import Committee, InspectionTeam, Role, Unit, User


@pytest.fixture
def office_client(client, office):
    client.force_login(office)
    return client


def errors_of(response) -> dict[str, str]:
    page = html.fromstring(response.content.decode())
    found = {}
    for field in page.xpath("//div[contains(@class, 'has-error')]"):
        name = field.xpath(".//input/@name|.//select/@name|.//textarea/@name")[0]
        found[name] = " ".join(p.text_content() for p in field.xpath(".//p[@class='error']"))
    return found


def test_create_a_user_with_a_role_and_unit(office_client, make_unit):
    unit = make_unit()
    response = office_client.post(
        reverse("web:manage_users"),
        {
            "username": "zhangwei",
            "display_name": "张伟",
            "password": "青溪-张伟-2024",
            "role": "responsible",
            "unit": unit.pk,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="zhangwei")
    assert (user.role, user.unit, user.display_name) == (Role.RESPONSIBLE, unit, "张伟")
    assert user.check_password("青溪-张伟-2024")
    listing = office_client.get(reverse("web:manage_users")).content.decode()
    assert "已创建用户“张伟”" in listing and "zhangwei" in listing
    assert "青溪-张伟-2024" not in str(Event.objects.filter(action="user_created").values_list("after", flat=True))


def test_user_errors_stand_next_to_their_fields(office_client, office):
    response = office_client.post(
        reverse("web:manage_users"), {"username": "office", "password": "12345", "role": "responsible"}
    )
    assert response.status_code == 400
    errors = errors_of(response)
    assert "已被使用" in errors["username"]
    assert "整改办和责任人须选择所在单位" in errors["unit"]
    assert errors["password"]
    page = html.fromstring(response.content.decode())
    assert page.get_element_by_id("id_username").get("value") == "office"  # the input stays


def test_change_role_reset_password_and_deactivate(office_client, make_user, make_team):
    person = make_user("supervisor", username="wangqiang")
    team = make_team()
    url = reverse("web:manage_user", kwargs={"pk": person.pk})
    assert "修改角色" in office_client.get(url).content.decode()

    missing = office_client.post(reverse("web:manage_user_role", kwargs={"pk": person.pk}), {"role": "team"})
    assert missing.status_code == 400 and "巡察组成员须选择巡察组" in errors_of(missing)["team"]
    office_client.post(reverse("web:manage_user_role", kwargs={"pk": person.pk}), {"role": "team", "team": team.pk})
    person.refresh_from_db()
    assert (person.role, person.team) == (Role.TEAM, team)

    mismatch = office_client.post(
        reverse("web:manage_user_password", kwargs={"pk": person.pk}),
        {"password": "青溪-新密码-2025", "password2": "x"},
    )
    assert "两次输入的密码不一致" in errors_of(mismatch)["password2"]
    office_client.post(
        reverse("web:manage_user_password", kwargs={"pk": person.pk}),
        {"password": "青溪-新密码-2025", "password2": "青溪-新密码-2025"},
    )
    person.refresh_from_db()
    assert person.check_password("青溪-新密码-2025")

    office_client.post(reverse("web:manage_user_deactivate", kwargs={"pk": person.pk}))
    person.refresh_from_db()
    assert not person.is_active
    assert [e.action for e in Event.objects.filter(object_type="user", object_id=str(person.pk))] == [
        "role_changed",
        "password_reset",
        "user_deactivated",
    ]


def test_a_switched_off_account_is_switched_on_again_and_can_log_in(office_client, make_user):
    person = make_user("supervisor", username="lisi")
    office_client.post(reverse("web:manage_user_deactivate", kwargs={"pk": person.pk}))
    assert not Client().login(username="lisi", password=TEST_PASSWORD)
    page = office_client.get(reverse("web:manage_user", kwargs={"pk": person.pk})).content.decode()
    assert "恢复账号" in page and "停用账号" not in page
    response = office_client.post(reverse("web:manage_user_reactivate", kwargs={"pk": person.pk}))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_active
    assert Client().login(username="lisi", password=TEST_PASSWORD)
    assert [e.action for e in Event.objects.filter(object_type="user", object_id=str(person.pk))] == [
        "user_deactivated",
        "user_reactivated",
    ]
    again = office_client.post(reverse("web:manage_user_reactivate", kwargs={"pk": person.pk}))
    assert again.status_code == 302  # already active: nothing happens, nothing is recorded
    assert Event.objects.filter(object_type="user", object_id=str(person.pk)).count() == 2


def test_units_and_teams_are_renamed_with_a_history_and_no_duplicates(office_client, make_committee):
    committee = make_committee()
    water = Unit.objects.create(committee=committee, name="青溪县水利局党组")
    Unit.objects.create(committee=committee, name="青溪县林业局党组")
    team = InspectionTeam.objects.create(committee=committee, name="县委第一巡察组")
    response = office_client.post(
        reverse("web:manage_unit_rename", kwargs={"pk": water.pk}), {"name": "青溪县水务局党组"}
    )
    assert response.status_code == 302
    assert "青溪县水务局党组" in office_client.get(reverse("web:manage_units")).content.decode()
    event = Event.objects.get(action="unit_renamed")
    assert (event.before, event.after) == ({"name": "青溪县水利局党组"}, {"name": "青溪县水务局党组"})

    clash = office_client.post(
        reverse("web:manage_unit_rename", kwargs={"pk": water.pk}), {"name": "青溪县林业局党组"}, follow=True
    )
    assert "同一党委下已有同名单位" in clash.content.decode()
    water.refresh_from_db()
    assert water.name == "青溪县水务局党组"

    office_client.post(reverse("web:manage_team_rename", kwargs={"pk": team.pk}), {"name": "县委第一巡察组（调整后）"})
    team.refresh_from_db()
    assert team.name == "县委第一巡察组（调整后）"
    blank = office_client.post(reverse("web:manage_team_rename", kwargs={"pk": team.pk}), {"name": "  "}, follow=True)
    assert "请填写巡察组名称" in blank.content.decode()


def test_the_office_cannot_switch_itself_off(office_client, office):
    response = office_client.post(reverse("web:manage_user_deactivate", kwargs={"pk": office.pk}))
    assert response.status_code == 400 and "不能停用自己的账号" in response.content.decode()


def test_units_teams_and_rounds_are_added(office_client, make_committee):
    committee = make_committee()
    office_client.post(
        reverse("web:manage_units"), {"committee": committee.pk, "name": "青溪县文旅局党组", "kind": "department"}
    )
    office_client.post(reverse("web:manage_teams"), {"committee": committee.pk, "name": "县委第五巡察组"})
    office_client.post(
        reverse("web:manage_rounds"),
        {"committee": committee.pk, "name": "十五届县委第四轮巡察", "year": 2024, "number": 4},
    )
    assert Unit.objects.filter(name="青溪县文旅局党组").exists()
    assert InspectionTeam.objects.filter(name="县委第五巡察组").exists()
    assert Round.objects.filter(name="十五届县委第四轮巡察", committee=committee).exists()
    again = office_client.post(reverse("web:manage_teams"), {"committee": committee.pk, "name": "县委第五巡察组"})
    assert again.status_code == 400 and "该巡察组已存在" in again.content.decode()


def test_a_committee_and_its_calendar(office_client, settings):
    page = html.fromstring(office_client.get(reverse("web:manage_committees")).content.decode())
    assert page.get_element_by_id("id_green_days").get("value") == str(
        settings.ZHENGGAI_CALENDAR_DEFAULTS["green_days"]
    )
    office_client.post(
        reverse("web:manage_committees"),
        {"name": "白石市委", "level": "city", "plan_due_days": 30, "concentrated_months": 6, "report_due_months": 3,
         "green_days": 20, "yellow_days": 10},
    )  # fmt: skip
    committee = Committee.objects.get(name="白石市委")
    assert (committee.concentrated_months, committee.report_due_months) == (6, 3)
    url = reverse("web:manage_committee", kwargs={"pk": committee.pk})
    wrong = office_client.post(
        url, {"plan_due_days": 15, "concentrated_months": 2, "report_due_months": 2, "green_days": 5, "yellow_days": 9}
    )
    assert "黄灯天数不能大于绿灯天数" in errors_of(wrong)["yellow_days"]
    office_client.post(
        url, {"plan_due_days": 15, "concentrated_months": 2, "report_due_months": 2, "green_days": 15, "yellow_days": 5}
    )
    committee.refresh_from_db()
    assert (committee.plan_due_days, committee.green_days, committee.yellow_days) == (15, 15, 5)
    assert Event.objects.filter(action="calendar_changed", object_id=str(committee.pk)).exists()
