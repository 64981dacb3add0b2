"""The task page: what it shows, the assign form with optimistic locking, notes, evidence, closure, history."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import html

from zhenggai.ledger.models import Closure, Event, ProgressNote, Status, Task


def url(name, task):
    return reverse(f"web:{name}", kwargs={"pk": task.pk})


def tree_of(response):
    return html.fromstring(response.content.decode())


@pytest.fixture
def office_client(client, world):
    client.force_login(world["users"]["office"])
    return client


def test_the_page_shows_the_measure_its_path_and_responsibility(office_client, world):
    task = world["task"]
    Task.objects.filter(pk=task.pk).update(deadline=date(2024, 3, 5), department="河湖科")
    page = tree_of(office_client.get(url("task", task)))
    assert page.get_element_by_id("measure").text_content().strip() == task.text
    path = [li.text_content().strip() for li in page.xpath("//ol[@class='finding-path']/li")]
    assert path == ["二 全面从严治党主体责任落实不到位", "(一) 集体决策制度执行不严。"]
    assert page.get_element_by_id("deadline").text_content().startswith("2024年3月5日")
    assert page.xpath("//dd[@id='deadline']/span[@class='light red']")  # long past: red light
    assert "responsible_own" in page.get_element_by_id("handler").text_content()


def test_the_deadline_defaults_to_the_end_of_concentrated_rectification(office_client, world):
    Task.objects.filter(pk=world["task"].pk).update(deadline=None)
    page = tree_of(office_client.get(url("task", world["task"])))
    # feedback 2024-05-20, three months of concentrated rectification by default
    assert page.get_element_by_id("id_deadline").get("value") == "2024-08-20"


def test_assign_saves_and_records_the_history(office_client, world):
    task = world["task"]
    response = office_client.post(
        url("task_assign", task),
        {"version": task.version, "responsible_leader": "分管副局长", "department": "河湖科",
         "handler": world["users"]["responsible_own"].pk, "deadline": "2024-08-20", "kind": "rules"},
    )  # fmt: skip
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.department, task.deadline, task.kind) == ("河湖科", date(2024, 8, 20), "rules")
    page = office_client.get(url("task", task)).content.decode()
    assert "已保存责任分工" in page
    history = tree_of(office_client.get(url("task", task))).get_element_by_id("history").text_content()
    assert "分工调整" in history and "责任科室：（空）→改为河湖科" in history.replace(" ", "").replace("\n", "")
    assert "整改时限：（空）→改为2024年8月20日" in history.replace(" ", "").replace("\n", "")


def test_a_second_editor_with_the_same_version_keeps_their_input_and_sees_the_current_values(client, world):
    task = world["task"]
    seen = task.version
    client.force_login(world["users"]["unit_office_own"])
    first = client.post(
        url("task_assign", task), {"version": seen, "department": "河湖科", "responsible_leader": "张局长"}
    )
    assert first.status_code == 302

    client.force_login(world["users"]["office"])
    second = client.post(
        url("task_assign", task), {"version": seen, "department": "办公室", "responsible_leader": "李主任"}
    )
    assert second.status_code == 409
    page = tree_of(second)
    assert "该任务已被他人修改" in page.text_content() and "您的内容已保留" in page.text_content()
    # the typed values stay in the form…
    assert page.get_element_by_id("id_department").get("value") == "办公室"
    assert page.get_element_by_id("id_responsible_leader").get("value") == "李主任"
    # …beside what the other editor saved
    current = page.get_element_by_id("current-values").text_content()
    assert "河湖科" in current and "张局长" in current
    task.refresh_from_db()
    assert task.department == "河湖科"
    # the form now carries the current version: submitting again applies the second editor's values
    assert page.get_element_by_id("id_version").get("value") == str(task.version)
    again = client.post(url("task_assign", task), {"version": task.version, "department": "办公室"})
    assert again.status_code == 302
    task.refresh_from_db()
    assert task.department == "办公室"


def test_assign_errors_are_shown_next_to_the_field(office_client, world, make_user, make_unit):
    stranger = make_user("responsible", unit=make_unit("青溪县林业局党组"))
    task = world["task"]
    response = office_client.post(url("task_assign", task), {"version": task.version, "handler": stranger.pk})
    assert response.status_code == 400
    field = tree_of(response).xpath("//div[@class='field has-error']")[0]
    assert "责任人" in field.text_content()
    response = office_client.post(url("task_assign", task), {"version": task.version, "deadline": "2024-13-40"})
    assert response.status_code == 400 and "有效的日期" in response.content.decode()


def test_status_change_and_its_stale_version(client, world):
    task = world["task"]
    client.force_login(world["users"]["responsible_own"])
    assert client.post(url("task_status", task), {"version": task.version, "status": "正在推进"}).status_code == 302
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS
    stale = client.post(url("task_status", task), {"version": task.version - 1, "status": "基本完成"})
    assert stale.status_code == 409 and "该任务已被他人修改" in stale.content.decode()


def test_a_status_not_allowed_from_here_is_an_error_not_a_crash(client, world):
    task = world["task"]
    client.force_login(world["users"]["responsible_own"])
    response = client.post(url("task_status", task), {"version": task.version, "status": "完成整改"})
    assert response.status_code == 400
    assert "完成整改" in response.content.decode()


def test_notes_are_added_and_listed(client, world):
    task = world["task"]
    client.force_login(world["users"]["responsible_own"])
    assert client.post(url("task_note", task), {"text": "已检查12个河段的巡河记录。"}).status_code == 302
    page = client.get(url("task", task)).content.decode()
    assert "已检查12个河段的巡河记录。" in page and "记录进展" in page
    empty = client.post(url("task_note", task), {"text": "   "})
    assert empty.status_code == 400 and "这个字段是必填项" in empty.content.decode()


def test_a_quick_note_through_htmx_answers_with_the_fragment(client, world):
    task = world["task"]
    client.force_login(world["users"]["responsible_own"])
    response = client.post(url("task_note", task), {"text": "周报：进展顺利", "compact": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment and "已记录进展" in fragment and f'id="notes-{task.pk}"' in fragment
    assert ProgressNote.objects.filter(task=task, text="周报：进展顺利").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("脚本.exe", b"MZ", "不支持该文件类型"),
        ("空文件.pdf", b"", "文件为空"),
        ("巡河记录.pdf", b"%PDF-1.4 fictional", "已作为本任务的佐证材料上传过"),
    ],
)
def test_evidence_upload_errors_are_in_chinese(client, world, name, content, message):
    client.force_login(world["users"]["responsible_own"])
    upload = SimpleUploadedFile(name, content)
    response = client.post(url("task_evidence", world["task"]), {"file": upload})
    assert response.status_code == 400
    assert message in tree_of(response).get_element_by_id("evidence").text_content()


def test_evidence_over_the_size_limit_is_refused(client, world, settings):
    settings.ZHENGGAI_EVIDENCE_MAX_BYTES = 10
    client.force_login(world["users"]["responsible_own"])
    response = client.post(url("task_evidence", world["task"]), {"file": SimpleUploadedFile("大.pdf", b"x" * 11)})
    assert response.status_code == 413 and "上传的文件超过 10 字节 上限" in response.content.decode()


def test_evidence_is_downloaded_through_the_checked_view(client, world):
    client.force_login(world["users"]["team_own"])
    response = client.get(reverse("web:evidence", kwargs={"pk": world["evidence"].pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E5%B7%A1%E6%B2%B3%E8%AE%B0%E5%BD%95.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 fictional"


def test_media_files_are_not_served_by_url(client, world):
    client.force_login(world["users"]["office"])
    assert client.get("/media/" + world["evidence"].file.name).status_code == 404


def test_the_closure_loop_on_the_page(client, world):
    task, owner, office = world["task"], world["users"]["responsible_own"], world["users"]["office"]
    client.force_login(owner)
    page = tree_of(client.get(url("task", task)))
    assert page.xpath("//section[@id='closure']//button[@class='primary' and not(@disabled)]")
    no_proof = client.post(url("closure_request", task), {"version": task.version})
    assert no_proof.status_code == 400 and "佐证材料" in no_proof.content.decode()
    asked = client.post(
        url("closure_request", task),
        {"version": task.version, "note": "制度已印发", "evidence": [world["evidence"].pk]},
    )
    assert asked.status_code == 302
    task.refresh_from_db()
    assert task.closure == Closure.CLOSURE_REQUESTED

    client.force_login(office)
    pending = tree_of(client.get(url("task", task))).get_element_by_id("pending-request").text_content()
    assert "制度已印发" in pending and "巡河记录.pdf" in pending
    no_reason = client.post(url("closure_return", task), {"return-version": task.version, "return-reason": ""})
    assert no_reason.status_code == 400 and "请填写理由" in no_reason.content.decode()
    back = client.post(url("closure_return", task), {"return-version": task.version, "return-reason": "缺少会议纪要"})
    assert back.status_code == 302
    task.refresh_from_db()
    assert (task.closure, task.status) == (Closure.OPEN, Status.IN_PROGRESS)

    client.force_login(owner)
    page = tree_of(client.get(url("task", task)))
    assert "缺少会议纪要" in page.get_element_by_id("closure-requests").text_content()
    assert page.xpath("//section[@id='closure']//button[@disabled]")  # in progress again: status first
    client.post(url("task_status", task), {"version": task.version, "status": "基本完成"})
    task.refresh_from_db()
    client.post(url("closure_request", task), {"version": task.version, "note": "已补充会议纪要"})

    client.force_login(office)
    task.refresh_from_db()
    assert client.post(url("closure_accept", task), {"version": task.version}).status_code == 302
    task.refresh_from_db()
    assert (task.closure, task.status) == (Closure.CLOSED, Status.COMPLETED)

    history = tree_of(client.get(url("task", task))).get_element_by_id("history").text_content()
    for step in ("申请销号", "退回销号申请", "缺少会议纪要", "修改整改状态", "同意销号", "销号状态"):
        assert step in history


def test_an_accept_on_a_task_that_is_not_waiting_is_an_error(office_client, world):
    task = world["task"]
    response = office_client.post(url("closure_accept", task), {"version": task.version})
    assert response.status_code == 400 and "不能进行此操作" in response.content.decode()


def test_history_reads_like_a_ledger_and_hides_refusals(client, world):
    task = world["task"]
    client.force_login(world["users"]["supervisor"])
    client.post(url("task_assign", task), {"version": task.version})  # refused, logged
    assert Event.objects.filter(action="denied", object_id=str(task.pk)).exists()
    client.force_login(world["users"]["office"])
    history = tree_of(client.get(url("task", task))).get_element_by_id("history").text_content()
    assert "上传佐证材料" in history and "巡河记录.pdf" in history
    assert "越权" not in history


def test_a_problem_status_is_pinned_and_given_back(client, world):
    task = world["task"]
    client.force_login(world["users"]["unit_office_own"])
    url_pin = reverse("web:finding_pin", kwargs={"pk": task.finding_id})
    assert client.post(url_pin, {"status": "完成整改", "task": task.pk})["Location"].endswith("#finding-status")
    task.finding.refresh_from_db()
    assert (task.finding.status, task.finding.status_pinned) == ("完成整改", True)
    page = tree_of(client.get(url("task", task)))
    assert "人工认定" in page.get_element_by_id("finding-status").text_content()
    client.post(url_pin, {"status": "", "task": task.pk})
    task.finding.refresh_from_db()
    assert not task.finding.status_pinned and task.finding.status == "基本完成"  # rolled up from its tasks again
    assert client.post(url_pin, {"status": "胡乱", "task": task.pk}).status_code == 400
