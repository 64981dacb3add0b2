"""Tasks through the API: optimistic locking, filters and pagination, scoping, history, evidence, closure."""

import logging
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhenggai.ledger.models import Closure, Event, Status, Task

V1 = "/api/v1"


@pytest.mark.django_db
def test_second_editor_gets_409_with_the_stale_edit_message(world):
    task = world.tasks["open"]
    path = f"{V1}/tasks/{task.pk}"
    first = world.call("unit_own", "PATCH", path, json_body={"version": task.version, "department": "办公室"})
    assert first.status_code == 200 and first.json()["version"] == task.version + 1
    second = world.call("office", "PATCH", path, json_body={"version": task.version, "department": "财务科"})
    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "stale_edit" and body["current_version"] == task.version + 1
    assert "已被他人修改" in body["detail"]
    assert Task.objects.get(pk=task.pk).department == "办公室"


@pytest.mark.django_db
def test_assign_sets_and_clears_only_given_fields(world):
    task = world.tasks["open"]
    deadline = timezone.localdate() + timedelta(days=5)
    body = {"version": task.version, "deadline": deadline.isoformat(), "responsible_leader": "副局长", "kind": "rules"}
    response = world.call("unit_own", "PATCH", f"{V1}/tasks/{task.pk}", json_body=body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["deadline"], data["responsible_leader"], data["kind"]) == (deadline.isoformat(), "副局长", "rules")
    assert data["handler"]["username"] == "resp_own" and data["light"] == "yellow" and data["days_left"] == 5

    response = world.call(
        "unit_own", "PATCH", f"{V1}/tasks/{task.pk}", json_body={"version": data["version"], "handler_id": None}
    )
    assert response.json()["handler"] is None and response.json()["responsible_leader"] == "副局长"


@pytest.mark.django_db
def test_handler_must_belong_to_the_unit(world):
    task = world.tasks["open"]
    body = {"version": task.version, "handler_id": world.users["unit_other"].pk}
    response = world.call("unit_own", "PATCH", f"{V1}/tasks/{task.pk}", json_body=body)
    assert response.status_code == 422 and "handler" in response.json()["errors"]


@pytest.mark.django_db
def test_filters_and_pagination(world):
    today = timezone.localdate()
    Task.objects.filter(pk=world.tasks["open"].pk).update(deadline=today - timedelta(days=3), department="办公室")
    Task.objects.filter(pk=world.tasks["other"].pk).update(deadline=today + timedelta(days=30))

    def ids(query: str, role: str = "office") -> set[int]:
        response = world.call(role, "GET", f"{V1}/tasks?{query}")
        assert response.status_code == 200
        return {t["id"] for t in response.json()["items"]}

    assert ids("overdue=true") == {world.tasks["open"].pk}
    assert world.tasks["open"].pk not in ids("overdue=false")
    assert ids("department=办公室") == {world.tasks["open"].pk}
    assert ids(f"deadline_from={today}&deadline_to={today + timedelta(days=40)}") == {world.tasks["other"].pk}
    assert ids(f"handler={world.users['resp_other'].pk}") == {world.tasks["other"].pk}
    assert ids("closure=closed") == {world.tasks["closed"].pk}
    assert ids(f"status={Status.BASICALLY}&inspection={world.a.pk}") == {world.tasks["open"].pk}
    assert ids(f"round={world.b.round_id}") == set(
        Task.objects.filter(finding__inspection=world.b).values_list("pk", flat=True)
    )
    assert ids("mine=true", role="resp_own") == {world.tasks[k].pk for k in ("open", "requested", "closed")}

    page = world.call("office", "GET", f"{V1}/tasks?limit=3&offset=2").json()
    assert page["count"] == 14 and len(page["items"]) == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "inspections", "tasks"),
    [
        ("office", 2, 14),
        ("supervisor", 2, 14),
        ("team_own", 1, 7),
        ("unit_other", 1, 7),
        ("resp_own", 1, 3),
        ("resp_other", 1, 1),
    ],
)
def test_lists_are_scoped(world, role, inspections, tasks):
    assert world.call(role, "GET", f"{V1}/inspections").json()["count"] == inspections
    assert world.call(role, "GET", f"{V1}/tasks").json()["count"] == tasks


@pytest.mark.django_db
def test_tree_shows_a_responsible_person_only_their_tasks(world):
    def count_tasks(nodes):
        return sum(len(n["tasks"]) + count_tasks(n["children"]) for n in nodes)

    full = world.call("unit_own", "GET", f"{V1}/inspections/{world.a.pk}/tree").json()
    own = world.call("resp_other", "GET", f"{V1}/inspections/{world.a.pk}/tree").json()
    assert count_tasks(full["findings"]) == 7 and count_tasks(own["findings"]) == 1
    assert [n["title"] for n in full["findings"]] == [n["title"] for n in own["findings"]]
    assert full["inspection"]["figures"]["leaves"] == 5


@pytest.mark.django_db
def test_task_page_has_history_notes_evidence_and_requests(world):
    task = world.tasks["open"]
    world.call("resp_own", "POST", f"{V1}/tasks/{task.pk}/notes", json_body={"text": "已开展联合执法"})
    detail = world.call("resp_own", "GET", f"{V1}/tasks/{task.pk}").json()
    assert [n["text"] for n in detail["notes"]] == ["已开展联合执法"]
    assert [e["original_name"] for e in detail["evidence"]] == ["纪要.txt"]
    assert [p["title"] for p in detail["path"]][-1] == "河道采砂监管存在空档。"
    actions = [h["action"] for h in detail["history"]]
    assert actions == ["status_changed", "evidence_added", "note_added"]
    requested = world.call("resp_own", "GET", f"{V1}/tasks/{world.tasks['closed'].pk}").json()
    assert [r["decision"] for r in requested["closure_requests"]] == ["accepted"]


@pytest.mark.django_db
def test_evidence_upload_and_download(world):
    task = world.tasks["open"]
    upload = world.call(
        "resp_own",
        "POST",
        f"{V1}/tasks/{task.pk}/evidence",
        data={"file": SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4 x")},
    )
    assert upload.status_code == 201
    url = upload.json()["download_url"]
    download = world.call("team_own", "GET", url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 x"
    assert "attachment" in download["Content-Disposition"]
    assert world.call("unit_other", "GET", url).status_code == 404

    again = world.call(
        "resp_own",
        "POST",
        f"{V1}/tasks/{task.pk}/evidence",
        data={"file": SimpleUploadedFile("副本.pdf", b"%PDF-1.4 x")},
    )
    assert again.status_code == 422 and again.json()["code"] == "validation_failed"
    bad = world.call(
        "resp_own", "POST", f"{V1}/tasks/{task.pk}/evidence", data={"file": SimpleUploadedFile("x.exe", b"MZ")}
    )
    assert bad.status_code == 422


@pytest.mark.django_db
def test_closure_round_trip_moves_the_completion_rate(world):
    task = world.tasks["open"]

    def rate():
        return world.call("office", "GET", f"{V1}/inspections/{world.a.pk}").json()["figures"]["completed"]

    before = rate()
    step = world.call(
        "resp_own", "POST", f"{V1}/tasks/{task.pk}/closure/request", json_body={"evidence": [world.evidence.pk]}
    )
    assert step.json()["closure"] == Closure.CLOSURE_REQUESTED
    step = world.call("office", "POST", f"{V1}/tasks/{task.pk}/closure/return", json_body={"reason": "佐证材料不足"})
    assert (step.json()["closure"], step.json()["status"]) == (Closure.OPEN, Status.IN_PROGRESS)
    empty = world.call("office", "POST", f"{V1}/tasks/{task.pk}/closure/return", json_body={"reason": "x"})
    assert empty.status_code == 409
    world.call(
        "resp_own",
        "POST",
        f"{V1}/tasks/{task.pk}/status",
        json_body={"version": step.json()["version"], "status": "基本完成"},
    )
    world.call("resp_own", "POST", f"{V1}/tasks/{task.pk}/closure/request", json_body={"note": "补充了执法记录"})
    done = world.call("office", "POST", f"{V1}/tasks/{task.pk}/closure/accept", json_body={})
    assert (done.json()["closure"], done.json()["status"]) == (Closure.CLOSED, Status.COMPLETED)
    assert rate() == before + 1
    actions = [h["action"] for h in done.json()["history"]]
    assert (
        actions.count("closure_requested") == 2 and "closure_returned" in actions and actions[-1] == "closure_accepted"
    )


@pytest.mark.django_db
def test_another_units_ledger_is_refused_and_logged(world, caplog):
    intruder = world.users["unit_other"]
    task = world.tasks["open"]
    caplog.set_level(logging.WARNING, logger="zhenggai.security")
    read = world.call("unit_other", "GET", f"{V1}/inspections/{world.a.pk}/tree")
    change = world.call(
        "unit_other", "PATCH", f"{V1}/tasks/{task.pk}", json_body={"version": task.version, "department": "x"}
    )
    assert (read.status_code, change.status_code) == (404, 404)
    denied = Event.objects.filter(action="denied", actor=intruder)
    assert {(e.object_type, e.inspection_id) for e in denied} == {("inspection", world.a.pk), ("task", world.a.pk)}
    assert sum("denied user=unit_other" in r.getMessage() for r in caplog.records) == 2
    assert Task.objects.get(pk=task.pk).department == ""
