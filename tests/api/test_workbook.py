"""The Excel ledger over the API: an import that would overwrite a change made in the system since the
export answers 409 with both values and writes nothing, until a resolution is given per task."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from zhenggai.ledger.models import Event, Task
from zhenggai.ledger.services.assign import assign_task

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def edited(data: bytes, task: Task, header: str, value) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb["责任清单"]
    columns = {c.value: c.column for c in ws[2]}
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, columns["任务编号"]).value == task.pk)
    ws.cell(row, columns[header]).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def post(world, data: bytes, **fields):
    url = f"{V1}/inspections/{world.a.pk}/workbook"
    return world.call("unit_own", "POST", url, data={"file": SimpleUploadedFile("台账.xlsx", data), **fields})


@pytest.fixture
def conflicting(world):
    """The unit exports, the office then changes the task's department, the unit changes it too."""
    task = world.tasks["open"]
    response = world.call("unit_own", "GET", f"{V1}/inspections/{world.a.pk}/workbook")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    data = edited(response.content, task, "责任科室", "办公室")
    assign_task(task, actor=world.users["office"], department="纪检监察组")
    return task, data


def test_a_conflict_is_a_409_with_both_values_and_nothing_written(world, conflicting):
    task, data = conflicting
    events = Event.objects.count()
    response = post(world, data)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "import_conflicts" and "保留您的修改" in body["detail"]
    (conflict,) = body["conflicts"]
    assert conflict["task_id"] == task.pk and conflict["system_version"] == task.version
    assert conflict["fields"] == [
        {"field": "department", "header": "责任科室", "exported": "", "mine": "办公室", "system": "纪检监察组",
         "changed_by_user": True}
    ]  # fmt: skip
    assert Event.objects.count() == events
    task.refresh_from_db()
    assert task.department == "纪检监察组"


@pytest.mark.parametrize(("choice", "department"), [("mine", "办公室"), ("system", "纪检监察组")])
def test_a_resolution_per_task_settles_it(world, conflicting, choice, department):
    task, data = conflicting
    response = post(world, data, resolutions=f'{{"{task.pk}": "{choice}"}}')
    assert response.status_code == 200, response.content
    task.refresh_from_db()
    assert task.department == department
    body = response.json()
    if choice == "mine":
        assert body["changes"] == [{"task_id": task.pk, "field": "department", "header": "责任科室",
                                    "old": "纪检监察组", "new": "办公室", "where": body["changes"][0]["where"]}]  # fmt: skip
        assert (
            Event.objects.filter(action="assigned", object_id=str(task.pk)).latest("id").actor
            == world.users["unit_own"]
        )
    else:
        assert body["changes"] == [] and body["kept"] == [task.pk]


def test_a_resolution_on_an_older_version_or_a_bad_one_is_refused(world, conflicting):
    task, data = conflicting
    stale = post(world, data, resolutions=f'{{"{task.pk}": {{"keep": "mine", "version": {task.version - 1}}}}}')
    assert stale.status_code == 409
    for bad in ('{"x": "mine"}', '{"1": "theirs"}', "[1]", "not json"):
        response = post(world, data, resolutions=bad)
        assert response.status_code == 422 and response.json()["code"] == "invalid_request", bad
    assert post(world, data, keep="mine", resolutions="{}").status_code == 422
    assert post(world, data, keep="system").status_code == 200


def test_a_broken_workbook_is_a_422_with_every_problem(world):
    response = post(world, edited(world.objects["workbook"], world.tasks["open"], "整改时限", "下个月"))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "workbook_rejected" and body["errors"][0].endswith("整改时限不是日期(“下个月”)")
    assert post(world, b"not a workbook").status_code == 422
