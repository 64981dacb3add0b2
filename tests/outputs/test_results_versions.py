"""The results section (整改成效) and the two versions of a report, from one ledger with recorded results:
the public version counts the rules, states every figure exactly as entered and ends with the contacts;
the in-party version lists the rules by name, keeps the exempt problem (marked) and carries the 公文
marks (密级 mark, 发文字号, 版记). Read back from the plain text, the .docx and the PDF."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from tests.outputs.conftest import NEEDS_SOFFICE
from zhenggai.ledger.models import Finding, ResultKind
from zhenggai.ledger.services.results import add_result
from zhenggai.outputs.compose import EXEMPT_MARK
from zhenggai.reports.drafts import create_draft, edit_draft
from zhenggai.reports.exemptions import propose_exemption
from zhenggai.reports.render import render_report

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
EXEMPT = "部分河段巡河记录流于形式"
MARKS = {
    "mark": "内部资料 注意保存",
    "doc_number": "青水党〔2024〕12号",
    "copy_to": "县纪委监委、县委巡察办",
    "issuer": "中共青溪县水利局党组办公室",
    "issued_on": date(2024, 9, 2),
}
# every kind with the figures as a unit typed them
FIGURES = [
    "退缴资金12.345万元",
    "追回资金0.50万元",
    "挽回损失3万元",
    "共问责7人次",
    "党纪政务处分1人次",
    "组织处理2人次",
    "诫勉谈话1人次",
    "批评教育/提醒谈话3人次",
    "召开巡察整改专题会议4次",
]
RULE_NAMES = ["《巡河工作制度》", "《河道采砂监管办法》", "《党组议事规则》"]
INTERNAL = [MARKS["mark"], MARKS["doc_number"], "抄送：县纪委监委、县委巡察办。", "2024年9月2日印发"]


@pytest.fixture
def ledger(make_inspection, make_user, office):
    inspection = make_inspection()
    unit_office = make_user("unit_office", unit=inspection.unit, username="unit_office")
    for kind, title, amount, count in [
        (ResultKind.RULE_NEW, "巡河工作制度", None, None),
        (ResultKind.RULE_NEW, "河道采砂监管办法", None, None),
        (ResultKind.RULE_REVISED, "《党组议事规则》", None, None),
        (ResultKind.MONEY_RETURNED, "退缴违规发放的津贴补贴", "12.345", None),
        (ResultKind.MONEY_RECOVERED, "追回工程款", "0.50", None),
        (ResultKind.LOSS_RETRIEVED, "挽回采砂损失", "3", None),
        (ResultKind.DISCIPLINE, "违规发放津贴补贴问题", None, 1),
        (ResultKind.ORGANISATIONAL, "巡河记录造假问题", None, 2),
        (ResultKind.ADMONITION, "采砂监管不力问题", None, 1),
        (ResultKind.CRITICISM, "防汛物资管理问题", None, 3),
        (ResultKind.MEETING, "巡察整改专题民主生活会", None, None),
        (ResultKind.MEETING, "整改推进会", None, 3),
    ]:
        add_result(inspection, actor=unit_office, kind=kind, title=title, amount=amount, count=count)
    hidden = Finding.objects.get(inspection=inspection, title__startswith=EXEMPT)
    propose_exemption(inspection, actor=unit_office, ground="case", finding=hidden, reason="正在查处")
    draft = create_draft(inspection, actor=unit_office, kind="public", as_of=TODAY)
    edit_draft(draft, actor=unit_office, sections=MARKS)
    return inspection, office, draft


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def txt(inspection, actor, **options) -> str:
    return render_report(inspection, actor=actor, fmt="txt", as_of=TODAY, **options).data.decode("utf-8-sig")


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def pdf_text(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "report.pdf"
        path.write_bytes(data)
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def assert_lines(lines: set[str], expected: list[str], also: tuple[str, ...] = ()) -> None:
    """Each line starts with one of `expected` (or `also`), and each of `expected` starts a line."""
    for line in lines:
        assert line.startswith((*expected, *also)), line
    for start in expected:
        assert any(line.startswith(start) for line in lines), start


def assert_public(text: str) -> None:
    flat = squeeze(text)
    for figure in [*FIGURES, "建立制度2项、修订制度1项"]:
        assert squeeze(figure) in flat, figure
    for hidden in [*RULE_NAMES, EXEMPT, EXEMPT_MARK, *INTERNAL]:
        assert squeeze(hidden) not in flat, hidden
    assert "巡察整改落实情况进行监督" in flat  # ends with the supervision contacts


def assert_in_party(text: str) -> None:
    flat = squeeze(text)
    for figure in [*FIGURES, *RULE_NAMES, "建立制度2项：", "修订制度1项："]:
        assert squeeze(figure) in flat, figure
    assert squeeze(EXEMPT + "。" + EXEMPT_MARK) in flat  # the exempt problem, marked as such
    for mark in INTERNAL:
        assert squeeze(mark) in flat, mark
    assert "县委：" in flat and "特此通报。" in flat and "巡察整改落实情况进行监督" not in flat


def test_public_and_in_party_versions_in_plain_text(ledger):
    inspection, office, draft = ledger
    public = txt(inspection, office, draft=draft, version="public")
    full = txt(inspection, office, draft=draft, version="full")
    assert_public(public)
    assert_in_party(full)
    # the marks stand where GB/T 9704 puts them: mark and number before the title, 版记 after the date
    lines = [line.strip() for line in full.splitlines() if line.strip()]
    assert lines[:2] == [MARKS["mark"], MARKS["doc_number"]]
    assert lines[-2:] == ["抄送：县纪委监委、县委巡察办。", "中共青溪县水利局党组办公室\u30002024年9月2日印发"]


def test_what_differs_between_the_versions(ledger):
    """Both come from the same ledger: the same counts and figures; only these lines differ."""
    inspection, office, draft = ledger
    public = {line.strip() for line in txt(inspection, office, draft=draft, version="public").splitlines()}
    full = {line.strip() for line in txt(inspection, office, draft=draft, version="full").splitlines()}
    only_public = public - full - {""}
    only_full = full - public - {""}
    assert_lines(
        only_public,
        [
            "根据县委统一部署",  # "…予以公布" where the in-party version says "…通报如下"
            "另有1个问题按规定不予公开",
            "建章立制方面，建立制度2项、修订制度1项。",
            "欢迎广大干部群众对巡察整改落实情况进行监督",
            "联系电话：",
            "通信地址：",
            "电子邮箱：",
        ],
        also=("（1）",),  # the next problem, numbered one up once the exempt one is left out
    )
    assert_lines(
        only_full,
        [
            MARKS["mark"],
            MARKS["doc_number"],
            "县委：",
            "根据县委统一部署",
            f"（1）{EXEMPT}。{EXEMPT_MARK}",
            "建章立制方面，建立制度2项：《巡河工作制度》、《河道采砂监管办法》；修订制度1项：《党组议事规则》。",
            "特此通报。",
            "抄送：县纪委监委、县委巡察办。",
            "中共青溪县水利局党组办公室",
        ],
        also=(
            "（2）",
            "整改情况：",
            "整改状态：",
            "二是",
            "三是",
        ),  # the exempt problem's measures, the next one's number
    )
    counts = next(line for line in full if line.startswith("截至"))
    assert counts in public  # the same counts in both


def test_the_progress_report_states_the_results(ledger):
    inspection, office, _ = ledger
    text = txt(inspection, office, kind="progress", version="public")
    assert "、整改成效" in text
    assert_public(text.replace("特此报告。", "欢迎广大干部群众对巡察整改落实情况进行监督"))
    full = txt(inspection, office, kind="progress", version="full")
    for figure in [*FIGURES, *RULE_NAMES]:
        assert figure in full, figure


def test_the_docx_of_both_versions(ledger):
    inspection, office, draft = ledger
    public = render_report(inspection, actor=office, fmt="docx", draft=draft, version="public")
    full = render_report(inspection, actor=office, fmt="docx", draft=draft, version="full")
    assert_public(docx_text(public.data))
    assert_in_party(docx_text(full.data))
    paragraphs = Document(io.BytesIO(full.data)).paragraphs
    assert [p.style.name for p in paragraphs[:2]] == ["GB密级", "GB发文字号"]
    assert [p.style.name for p in paragraphs[-2:]] == ["GB版记", "GB版记"]
    assert "FF0000" in paragraphs[1]._p.xml  # the red rule under the 发文字号


@NEEDS_SOFFICE
def test_the_pdf_of_both_versions(ledger):
    inspection, office, draft = ledger
    assert_public(pdf_text(render_report(inspection, actor=office, fmt="pdf", draft=draft, version="public").data))
    assert_in_party(pdf_text(render_report(inspection, actor=office, fmt="pdf", draft=draft, version="full").data))


def test_the_marks_are_edited_on_the_draft_page(client, ledger):
    _, _, draft = ledger
    client.force_login(draft.created_by)
    url = reverse("reports:draft", args=[draft.pk])
    html = client.get(url).content.decode()
    assert "发文字号(党内版)" in html and 'value="青水党〔2024〕12号"' in html
    response = client.post(
        url,
        {
            "revision": draft.revision,
            "as_of": TODAY.isoformat(),
            "doc_number": "青水党〔2024〕13号",
            "mark": "秘密",
            "issued_on": "2024-09-03",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.sections["doc_number"] == "青水党〔2024〕13号" and draft.sections["issued_on"] == "2024-09-03"
    bad = client.post(url, {"revision": draft.revision, "as_of": TODAY.isoformat(), "issued_on": "2024-13-40"})
    assert bad.status_code == 400
