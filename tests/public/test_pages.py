"""The public reading pages and the staff publishing pages, walked as their users would."""

from __future__ import annotations

import pytest

from tests.public.conftest import SECRETS
from zhenggai.public.models import PublicReport, Revision

pytestmark = pytest.mark.django_db


def test_home_list_and_filters(client, world):
    home = client.get("/gongkai/").content.decode()
    assert world["report"].title in home and world["pending"].title not in home
    a = world["a"]
    assert world["report"].title in client.get("/gongkai/reports/", {"unit": a.unit_id}).content.decode()
    assert "没有符合条件" in client.get("/gongkai/reports/", {"unit": world["b"].unit_id}).content.decode()
    assert "没有符合条件" in client.get("/gongkai/reports/", {"year": 1999}).content.decode()
    assert client.get("/gongkai/reports/", {"year": "x", "page": "y"}).status_code == 200
    listing = client.get("/gongkai/reports/").content.decode()
    assert world["b"].unit.name not in listing  # facets list only what is published


def test_report_page_print_and_feed(client, world):
    report = world["report"]
    page = client.get(f"/gongkai/reports/{report.pk}/").content.decode()
    assert '<article class="report"' in page and "发布日期" in page and "对本报告提出意见建议" in page
    printed = client.get(f"/gongkai/reports/{report.pk}/print/").content.decode()
    assert "@media print" not in printed and "site.css" in printed and "河湖长制落实不扎实" in printed
    feed = client.get("/gongkai/feed.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    text = feed.content.decode()
    assert report.title in text and world["pending"].title not in text


def test_feed_keeps_a_withdrawn_report_with_its_note(client, world):
    from zhenggai.public.services.withdraw import withdraw

    withdraw(world["report"], actor=world["users"]["office"], reason="内容需要核实")
    text = client.get("/gongkai/feed.atom").content.decode()
    assert "(已撤回)" in text and "撤回。内容需要核实" in text and "河湖长制" not in text


def test_docx_download_is_the_approved_text(client, world):
    import io
    import zipfile

    response = client.get(f"/gongkai/reports/{world['report'].pk}/report.docx")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "河湖长制落实不扎实" in xml and SECRETS["exempt"] not in xml


def test_unit_submits_with_an_exemption_and_the_office_approves(login, world):
    client = login(world["users"]["unit_office_other"])
    b = world["b"]
    world["pending"].delete()
    form = client.get(f"/publication/inspections/{b.pk}/submit/").content.decode()
    assert SECRETS["draft"] in form  # the tree offered for exemption
    response = client.post(
        f"/publication/inspections/{b.pk}/submit/", {"as_of": "2024-08-30", "exempt": ["0.1"]}, follow=True
    )
    revision = Revision.objects.get(report__inspection=b)
    assert response.redirect_chain[-1][0] == f"/publication/revisions/{revision.pk}/"
    assert SECRETS["draft"] not in revision.body_text and revision.exempt == [[0, 1]]
    assert "公开版已提交" in response.content.decode()
    office = login(world["users"]["office"])
    overview = office.get("/publication/").content.decode()
    assert "待审核的公开版" in overview and f"/publication/revisions/{revision.pk}/" in overview
    office.post(f"/publication/revisions/{revision.pk}/approve/")
    assert PublicReport.objects.get(inspection=b).state == PublicReport.State.PUBLISHED
    again = office.post(f"/publication/revisions/{revision.pk}/approve/", follow=True)
    assert "该版本已审核" in again.content.decode()


def test_submit_form_errors(login, world):
    client = login(world["users"]["unit_office_own"])
    url = f"/publication/inspections/{world['a'].pk}/submit/"
    missing_note = client.post(url, {"as_of": "2024-08-30"})
    assert missing_note.status_code == 400 and "请填写更正说明" in missing_note.content.decode()
    future = client.post(url, {"as_of": "2999-01-01", "correction_note": "x"})
    assert future.status_code == 400 and "不能晚于今天" in future.content.decode()


def test_return_and_withdraw_through_the_pages(login, world):
    office = login(world["users"]["office"])
    pending = world["pending"]
    empty = office.post(f"/publication/revisions/{pending.pk}/return/", {"reason": ""})
    assert empty.status_code == 400
    office.post(f"/publication/revisions/{pending.pk}/return/", {"reason": "请补充整改成效"})
    pending.refresh_from_db()
    assert pending.state == Revision.State.RETURNED
    unit = login(world["users"]["unit_office_other"])
    assert "请补充整改成效" in unit.get(f"/publication/revisions/{pending.pk}/").content.decode()
    office = login(world["users"]["office"])
    office.post(f"/publication/reports/{world['report'].pk}/withdraw/", {"reason": "内容需要核实"})
    assert PublicReport.objects.get(pk=world["report"].pk).state == PublicReport.State.WITHDRAWN


def test_public_pages_forbid_scripts_and_outside_resources(client, world):
    page = client.get("/gongkai/")
    policy = page["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy and "style-src 'self'" in policy
    assert page["Referrer-Policy"] == "same-origin"  # nothing sent to other sites; our own forms keep working
    assert "<script" not in page.content.decode()
