"""The reports pages: every URL × every role for GET and POST, then what the pages show and do.

Rows give the expected answer per role, in the order of `ROLES` (tests/web/conftest.py):

    anonymous office supervisor team_own team_other unit_office_own unit_office_other responsible_own responsible_other

"L" is a redirect to the login page; 404 means the inspection is out of the user's sight, 403 that it is
in sight but the role may not do this (a responsible person sees the ledger but not the reports).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import get_resolver, reverse
from openpyxl import Workbook, load_workbook

from tests.support.headers import assert_security_headers
from tests.web.conftest import ROLES
from zhenggai.ledger.models import Event, Inspection, Task
from zhenggai.reports.drafts import create_draft
from zhenggai.reports.exemptions import propose_exemption
from zhenggai.reports.ledger_xlsx import ledger_workbook
from zhenggai.reports.models import Exemption, ReportDraft
from zhenggai.reports.xlsx_import import Edits

World = dict[str, Any]
VIEW = "L 200 200 200 404 200 404 403 404"
WRITE = "L 302 403 403 404 302 404 403 404"
OFFICE = "L 302 403 403 404 403 404 403 404"
NOT_GET = "L 405 405 405 405 405 405 405 405"


@dataclass
class Row:
    kwargs: Callable[[World], dict]
    get: str
    post: str
    data: Callable[[World], dict] = lambda w: {}
    query: str = ""


def _workbook(w: World) -> dict:
    data = ledger_workbook(w["a"], actor=w["users"]["office"], as_of=w["a"].feedback_date)
    return {"file": SimpleUploadedFile("台账.xlsx", data)}


def _no_edits(w: World) -> dict:
    edits = Edits(w["a"].pk, ()).as_data()
    return {"edits": signing.dumps(edits, salt=f"zhenggai.xlsx-import:{w['a'].pk}", compress=True)}


def _feedback(w: World) -> dict:
    wb = Workbook()
    wb.active.append(["方面", "具体问题"])
    wb.active.append(["作风建设方面", "公务接待超标准。"])
    out = io.BytesIO()
    wb.save(out)
    return {"file": SimpleUploadedFile("反馈问题清单.xlsx", out.getvalue()), "round": w["a"].round_id,
            "unit": w["b"].unit_id, "team": "县委第三巡察组"}  # fmt: skip


MATRIX: dict[str, Row] = {
    "page": Row(lambda w: {"pk": w["a"].pk}, get=VIEW, post=NOT_GET),
    "draft_create": Row(lambda w: {"pk": w["a"].pk}, get=NOT_GET, post=WRITE,
                        data=lambda w: {"kind": "public", "as_of": "2024-08-30"}),
    "download": Row(lambda w: {"pk": w["a"].pk}, get=VIEW, post=NOT_GET, query="?fmt=txt&kind=public&version=full"),
    "ledger_xlsx": Row(lambda w: {"pk": w["a"].pk}, get=VIEW, post=NOT_GET),
    "ledger_import": Row(lambda w: {"pk": w["a"].pk}, get=NOT_GET, post=WRITE, data=_workbook),
    "ledger_resolve": Row(lambda w: {"pk": w["a"].pk}, get=NOT_GET, post=WRITE, data=_no_edits),
    "exemption_propose": Row(lambda w: {"pk": w["a"].pk}, get=NOT_GET, post=WRITE,
                             data=lambda w: {"target": f"task:{w['task'].pk}", "ground": "case", "reason": "正在查处"}),
    "draft": Row(lambda w: {"pk": w["report"].pk}, get=VIEW, post=WRITE,
                 data=lambda w: {"revision": w["report"].revision, "as_of": "2024-08-30", "organisation": "成立领导小组。"}),
    "draft_approve": Row(lambda w: {"pk": w["report"].pk}, get=NOT_GET, post=OFFICE),
    "exemption_decide": Row(lambda w: {"pk": w["exemption"].pk}, get=NOT_GET, post=OFFICE,
                            data=lambda w: {"decision": "approve"}),
    "exemption_withdraw": Row(lambda w: {"pk": w["exemption"].pk}, get=NOT_GET, post=WRITE),
    "feedback_import": Row(lambda w: {}, get="L 200 403 403 403 403 403 403 403",
                           post="L 302 403 403 403 403 403 403 403", data=_feedback),
}  # fmt: skip


@pytest.fixture
def reports_world(world):
    office = world["users"]["office"]
    world["report"] = create_draft(world["a"], actor=office, kind="public", as_of=world["a"].feedback_date)
    world["exemption"] = propose_exemption(
        world["a"],
        actor=world["users"]["unit_office_own"],
        ground="state_secret",
        reason="定密",
        finding=world["closed"].finding,
    )
    return world


def test_every_url_has_a_row():
    names = {p.name for p in get_resolver().namespace_dict["reports"][1].url_patterns}
    assert names == set(MATRIX)


def outcome(response) -> str:
    assert_security_headers(response)
    if response.status_code == 302 and response["Location"].startswith("/login/"):
        return "L"
    return str(response.status_code)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(client, reports_world, name, method):
    row = MATRIX[name]
    url = reverse(f"reports:{name}", kwargs=row.kwargs(reports_world)) + row.query
    seen = {}
    for role in ROLES:
        with transaction.atomic():
            client.logout()
            if reports_world["users"][role] is not None:
                client.force_login(reports_world["users"][role])
            response = client.get(url) if method == "GET" else client.post(url, row.data(reports_world))
            seen[role] = outcome(response)
            transaction.set_rollback(True)
    expected = dict(zip(ROLES, (row.get if method == "GET" else row.post).split(), strict=True))
    assert seen == expected


def test_the_page_lists_drafts_exemptions_and_downloads(client, reports_world):
    client.force_login(reports_world["users"]["office"])
    html = client.get(reverse("reports:page", args=[reports_world["a"].pk])).content.decode()
    assert "整改情况公布稿" in html and "第1稿" in html
    assert "涉及国家秘密" in html and "待审核" in html and "有1项不予公开申请待巡察办审核" in html
    assert (
        "fmt=docx&amp;kind=public&amp;version=public" in html and "fmt=txt&amp;kind=progress&amp;version=full" in html
    )
    assert reverse("reports:ledger_xlsx", args=[reports_world["a"].pk]) in html
    assert 'name="decision" value="approve"' in html  # the office decides


def test_a_unit_office_sees_no_decision_buttons(client, reports_world):
    client.force_login(reports_world["users"]["unit_office_own"])
    html = client.get(reverse("reports:page", args=[reports_world["a"].pk])).content.decode()
    assert 'name="decision"' not in html and "撤回" in html and "提出不予公开申请" in html


def test_downloads_are_attachments_with_chinese_names(client, reports_world):
    client.force_login(reports_world["users"]["supervisor"])
    url = reverse("reports:download", args=[reports_world["a"].pk])
    response = client.get(url, {"fmt": "docx", "kind": "public", "version": "public"})
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "filename*=UTF-8''%E9%9D%92%E6%BA%AA" in response["Content-Disposition"]  # 青溪…
    public = client.get(url, {"fmt": "txt", "version": "public"}).content.decode("utf-8-sig")
    full = client.get(url, {"fmt": "txt", "version": "full"}).content.decode("utf-8-sig")
    exempt = reports_world["closed"].finding.title
    assert exempt in full and exempt not in public and "另有1个问题按规定不予公开。" in public
    assert client.get(url, {"fmt": "exe"}).status_code == 400
    assert client.get(url, {"fmt": "txt", "draft": "999999"}).status_code == 404
    exports = Event.objects.filter(action="report_exported", actor=reports_world["users"]["supervisor"])
    assert exports.count() == 3


def test_pdf_without_libreoffice_says_so(client, reports_world, monkeypatch):
    monkeypatch.setenv("ZHENGGAI_SOFFICE", "/nonexistent/soffice")
    client.force_login(reports_world["users"]["office"])
    response = client.get(reverse("reports:download", args=[reports_world["a"].pk]), {"fmt": "pdf"})
    assert response.status_code == 503 and "LibreOffice" in response.content.decode()


def test_editing_a_draft_shows_defaults_preview_and_history(client, reports_world):
    draft = reports_world["report"]
    client.force_login(reports_world["users"]["unit_office_own"])
    url = reverse("reports:draft", args=[draft.pk])
    html = client.get(url).content.decode()
    assert 'placeholder="巡察反馈意见后，青溪县水利局党组高度重视' in html  # the generated wording
    assert "预览（党内版全文）" in html and "二、巡察反馈问题整改落实情况" in html
    response = client.post(
        url, {"revision": 1, "as_of": "2024-08-30", "organisation": "成立领导小组。", "phones": "0000-1111111"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.revision == 2 and draft.sections == {"organisation": "成立领导小组。", "phones": ["0000-1111111"]}
    html = client.get(url).content.decode()
    assert "修改为第2稿:截至日期、整改工作开展情况、联系电话" in html
    stale = client.post(url, {"revision": 1, "as_of": "2024-08-30", "organisation": "旧稿"})
    assert stale.status_code == 409 and "请刷新后再提交" in stale.content.decode()


def test_approving_and_deciding(client, reports_world):
    client.force_login(reports_world["users"]["office"])
    refused = client.post(
        reverse("reports:exemption_decide", args=[reports_world["exemption"].pk]), {"decision": "reject"}
    )
    assert (
        refused.status_code == 302 and Exemption.objects.get().state == Exemption.State.PROPOSED
    )  # a reason is needed
    client.post(
        reverse("reports:exemption_decide", args=[reports_world["exemption"].pk]),
        {"decision": "reject", "note": "应当公开"},
    )
    assert Exemption.objects.get().state == Exemption.State.REJECTED
    client.post(reverse("reports:draft_approve", args=[reports_world["report"].pk]))
    assert ReportDraft.objects.get(pk=reports_world["report"].pk).state == ReportDraft.State.APPROVED


def test_the_workbook_import_shows_every_error(client, reports_world):
    inspection = reports_world["a"]
    client.force_login(reports_world["users"]["unit_office_own"])
    data = ledger_workbook(inspection, actor=reports_world["users"]["office"], as_of=inspection.feedback_date)
    wb = load_workbook(io.BytesIO(data))
    wb["任务清单"]["G3"] = "已完"
    wb["责任清单"]["H4"] = "下个月"
    out = io.BytesIO()
    wb.save(out)
    url = reverse("reports:ledger_import", args=[inspection.pk])
    response = client.post(url, {"file": SimpleUploadedFile("台账.xlsx", out.getvalue())})
    html = response.content.decode()
    assert response.status_code == 400
    assert "工作簿中有2处问题,未导入任何修改" in html
    assert "任务清单第3行:整改状态“已完”不是有效状态" in html and "责任清单第4行:整改时限不是日期" in html
    before = list(Task.objects.filter(finding__inspection=inspection).values_list("status", "deadline"))
    assert before == list(Task.objects.filter(finding__inspection=inspection).values_list("status", "deadline"))


def test_proposing_an_exemption_from_the_page(client, reports_world):
    client.force_login(reports_world["users"]["unit_office_own"])
    url = reverse("reports:exemption_propose", args=[reports_world["a"].pk])
    response = client.post(
        url, {"target": f"task:{reports_world['task_b'].pk}", "ground": "case", "reason": "正在查处"}
    )
    assert response.status_code == 400  # another unit's measure is not a choice
    response = client.post(url, {"target": f"task:{reports_world['task'].pk}", "ground": "case", "reason": "正在查处"})
    assert response.status_code == 302
    assert Exemption.objects.filter(task=reports_world["task"], state="proposed").exists()


def test_a_feedback_list_from_the_page(client, reports_world):
    client.force_login(reports_world["users"]["office"])
    url = reverse("reports:feedback_import")
    data = _feedback(reports_world)
    response = client.post(url, data)
    assert response.status_code == 302
    inspection = Inspection.objects.get(unit=reports_world["b"].unit, source_name="反馈问题清单.xlsx")
    assert response["Location"] == reverse("web:inspection", args=[inspection.pk])
    wb = Workbook()
    wb.active.append(["方面", "具体问题"])
    wb.active.append([None, "没有方面的问题。"])
    out = io.BytesIO()
    wb.save(out)
    bad = client.post(url, {**_feedback(reports_world), "file": SimpleUploadedFile("x.xlsx", out.getvalue())})
    assert bad.status_code == 400 and "Sheet第2行:缺少“方面”" in bad.content.decode()
