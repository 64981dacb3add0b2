"""The commands called in-process on the test database (so they run on SQLite and PostgreSQL alike):
what they write, and that the demo's history was made by the real services."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.support.empty_import import EMPTY_REPORT, legacy_empty_inspection
from zhenggai.api.models import ApiToken
from zhenggai.api.tokens import user_for_token
from zhenggai.fiction import generate_report, to_text
from zhenggai.ingest import parse_file
from zhenggai.ledger.management import demo
from zhenggai.ledger.models import Closure, ClosureRequest, Event, Inspection, Task
from zhenggai.ledger.services.import_ledger import import_document
from zhenggai.org.models import Role, User


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def fiction_file(tmp_path):
    path = tmp_path / "青溪县虚构报告.txt"
    path.write_text(to_text(generate_report(11, middle="none", aspects=3, show_status="all")), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_import_then_duplicate(fiction_file, make_round, office):
    round_ = make_round()
    out = run("import", str(fiction_file), "--round", str(round_.pk))
    assert "已导入,检查编号" in out
    inspection = Inspection.objects.get()
    assert inspection.created_by == office  # the first office user acts by default
    with pytest.raises(CommandError, match="1个文件中有1个未能导入"):
        run("import", str(fiction_file), "--round", round_.name)
    assert Inspection.objects.count() == 1


@pytest.mark.django_db
def test_import_as_a_user_without_the_right_is_refused(fiction_file, make_round, make_user):
    make_user("supervisor", username="watcher")
    with pytest.raises(CommandError):
        run("import", str(fiction_file), "--round", str(make_round().pk), "--as", "watcher")
    assert not Inspection.objects.exists()
    assert Event.objects.filter(action="denied", actor__username="watcher").exists()


@pytest.mark.django_db
def test_import_creates_the_round_and_committee_when_asked(fiction_file):
    out = run("import", str(fiction_file), "--round", "试点轮次", "--committee", "青溪县委")
    assert "已新建轮次“试点轮次”" in out
    inspection = Inspection.objects.get()
    assert (inspection.round.name, inspection.round.committee.name) == ("试点轮次", "青溪县委")
    assert inspection.created_by.username == "zhenggai-system" and not inspection.created_by.has_usable_password()


@pytest.mark.django_db
def test_export_to_a_file_and_back(make_inspection, make_unit, tmp_path):
    inspection = make_inspection()
    target = tmp_path / "ledger.json"
    assert "已导出检查编号" in run("export", str(inspection.pk), "-o", str(target))
    other = make_unit("青溪县档案馆党组")
    run("import", str(target), "--round", str(inspection.round_id), "--unit", other.name)
    copy = Inspection.objects.exclude(pk=inspection.pk).get()
    target2 = tmp_path / "copy.json"
    run("export", str(copy.pk), "-o", str(target2))
    assert json.loads(target2.read_text()) == json.loads(target.read_text())


@pytest.mark.django_db
def test_token_commands(office):
    out = run("token", "create", "office", "--name", "报表")
    raw = out.strip()
    assert user_for_token(raw) == office
    assert ApiToken.objects.get().name == "报表"
    assert run("token", "revoke", "office", "--name", "报表").strip() == "已吊销 1 个令牌"
    assert user_for_token(raw) is None
    with pytest.raises(CommandError):
        run("token", "revoke", "office")


@pytest.mark.django_db
def test_demo_builds_a_lived_in_round_and_is_idempotent():
    out = run("demo")
    assert "已载入演示数据" in out
    counts = (Inspection.objects.count(), Task.objects.count(), Event.objects.count(), User.objects.count())
    assert 8 <= counts[0] <= 10
    assert "演示数据已存在" in run("demo")
    assert (Inspection.objects.count(), Task.objects.count(), Event.objects.count(), User.objects.count()) == counts

    roles = dict(User.objects.filter(username__in=demo.ROLE_USERS).values_list("username", "role"))
    assert roles == {"office": Role.OFFICE, "supervisor": Role.SUPERVISOR, "team1": Role.TEAM,
                     "unit1": Role.UNIT_OFFICE, "owner1": Role.RESPONSIBLE}  # fmt: skip
    assert all(u.check_password(demo.DEMO_PASSWORD) for u in User.objects.filter(username__in=["office", "owner1"]))
    unit1, owner1 = User.objects.get(username="unit1"), User.objects.get(username="owner1")
    assert owner1.unit_id == unit1.unit_id
    assert Task.objects.filter(handler=owner1).exists()

    today = timezone.localdate()
    open_tasks = Task.objects.exclude(closure=Closure.CLOSED)
    assert open_tasks.filter(deadline__lt=today).exists()  # overdue
    assert open_tasks.filter(deadline__gte=today, deadline__lte=today + timedelta(days=7)).exists()  # due soon
    assert Task.objects.filter(closure=Closure.CLOSED).exists()
    assert Task.objects.filter(closure=Closure.CLOSURE_REQUESTED).exists()
    actions = set(Event.objects.values_list("action", flat=True))
    assert {"imported", "assigned", "note_added", "evidence_added", "closure_requested", "closure_accepted",
            "closure_returned"} <= actions  # fmt: skip
    assert ClosureRequest.objects.filter(decision="returned").exclude(reason="").exists()
    assert not Inspection.objects.exclude(source_name__startswith="fiction_").exists()


@pytest.mark.django_db
def test_demo_refuses_taken_usernames(make_user):
    make_user("supervisor", username="office")
    with pytest.raises(CommandError, match="已被占用"):
        run("demo", "--force")


@pytest.mark.django_db
def test_demo_refuses_a_database_with_a_real_user(make_user):
    make_user("supervisor", username="zhangsan")
    with pytest.raises(CommandError, match=r"演示以外的用户或数据.*--force"):
        run("demo")
    assert list(User.objects.values_list("username", flat=True)) == ["zhangsan"]
    assert "已载入演示数据" in run("demo", "--force", "--brief")


@pytest.mark.django_db
def test_demo_refuses_a_database_with_a_real_inspection(make_inspection):
    make_inspection()
    with pytest.raises(CommandError, match="--force"):
        run("demo")
    assert Inspection.objects.count() == 1


@pytest.mark.django_db
def test_a_real_inspection_in_the_demo_round_is_not_demo_data(fiction_file):
    run("demo", "--brief")
    office = User.objects.get(username="office")
    doc = parse_file(fiction_file)
    import_document(doc, round=demo.demo_round(), actor=office, source_bytes=fiction_file.read_bytes())
    assert demo.has_other_data()
    with pytest.raises(CommandError, match="--reset"):
        run("demo", "--reset")


@pytest.mark.django_db
def test_demo_refuses_production_settings_even_when_forced(settings):
    settings.DEBUG, settings.HTTPS = False, True
    with pytest.raises(CommandError, match="生产环境"):
        run("demo", "--force")
    settings.HTTPS, settings.PRODUCTION = False, True
    with pytest.raises(CommandError, match="生产环境"):
        run("demo", "--reset")
    assert not User.objects.exists() and not Inspection.objects.exists()


@pytest.mark.django_db
def test_what_the_demo_made_is_marked_and_later_data_is_not(make_user):
    run("demo", "--brief")
    assert not demo.has_other_data()
    assert "演示数据已存在" in run("demo", "--brief")  # twice on its own database: fine
    make_user("office", username="real-office")
    assert demo.has_other_data()
    with pytest.raises(CommandError, match="--reset"):
        run("demo", "--reset", "--force")
    assert User.objects.filter(username="real-office").exists()


@pytest.mark.django_db
def test_import_of_a_report_without_a_specific_problem_is_refused(
    tmp_path, fiction_file, make_round, make_unit, office
):
    """`zhenggai import` says why, exits non-zero, and a later corrected import of the same file goes through."""
    round_ = make_round()
    empty_file = tmp_path / "未识别的报告.txt"
    empty_file.write_bytes(EMPTY_REPORT)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1个文件中有1个未能导入"):
        call_command("import", str(empty_file), "--round", str(round_.pk), stdout=out)
    assert f"{empty_file}: 错误:该文件中未识别出任何具体问题" in out.getvalue()
    assert not Inspection.objects.exists()

    unit = make_unit("青溪县水利局党组", committee=round_.committee)
    empty = legacy_empty_inspection(round=round_, unit=unit, source=fiction_file.read_bytes(), actor=office)
    done = run("import", str(fiction_file), "--round", str(round_.pk), "--unit", unit.name)
    assert f"已导入,检查编号 {empty.pk}(" in done
