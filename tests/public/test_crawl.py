"""Walk the public site from its home page and find nothing that was not approved for publication:
no draft (a submission waiting for approval, a report draft written later), no exempt item (a finding
left out on submission, a measure exempted through the reports app, the exemption's note), no ledger
field (handler, department, leader, progress note), no user name, no one else's opinion. Searches for those very words are walked too, and the files offered
for download are read."""

from __future__ import annotations

import io
import re
import zipfile
from collections import deque
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

from tests.public.conftest import SECRETS
from zhenggai.org.models import User

pytestmark = pytest.mark.django_db
LIMIT = 300
HREF = re.compile(r'(?:href|action|src)="([^"]+)"')


def forbidden_words(world, opinions) -> list[str]:
    words = list(SECRETS.values())
    for user in User.objects.all():
        words += [user.username, user.display_name]
    for opinion in opinions.values():
        words += [opinion.text, opinion.receipt]
    words += [world["pending"].title + "(第", world["revision"].return_reason or "待退回理由"]
    return [w for w in words if w]


def text_of(response) -> str:
    kind = response.get("Content-Type", "")
    if "wordprocessingml" in kind:
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return re.sub(r"<[^>]+>", "", archive.read("word/document.xml").decode("utf-8"))
    if "pdf" in kind:
        import pypdfium2

        pdf = pypdfium2.PdfDocument(response.content)
        return "".join(page.get_textpage().get_text_range() for page in pdf)
    return response.content.decode("utf-8", errors="replace")


# kept out through the reports app rather than the submission form: an approved exemption of one measure
# (with its note), and the wording of a report draft written after the last approval
REPORTS_APP = {
    "exempt_measure": "将执行情况纳入年度考核",
    "exemption_note": "涉及在查案件的说明文字",
    "later_draft": "尚未报批的下一步工作打算",
}


@pytest.fixture
def reports_app_secrets(world):
    """A correction that leaves one more measure out by an exemption the office approved, then a newer
    draft of the public report that nobody has submitted."""
    from zhenggai.ledger.models import Task
    from zhenggai.public.render import render_public_version
    from zhenggai.public.services.decide import approve
    from zhenggai.public.services.submit import submit_public_version
    from zhenggai.reports.exemptions import decide_exemption, propose_exemption
    from zhenggai.reports.models import ReportDraft

    a, users = world["a"], world["users"]
    unit, office = users["unit_office_own"], users["office"]
    assert REPORTS_APP["exempt_measure"] in world["revision"].body_text  # published until the correction
    task = Task.objects.get(finding__inspection=a, text__startswith=REPORTS_APP["exempt_measure"])
    exemption = propose_exemption(a, actor=unit, ground="case", reason=REPORTS_APP["exemption_note"], task=task)
    decide_exemption(exemption, actor=office, approve=True)
    correction = submit_public_version(
        a, actor=unit, exempt=world["revision"].exempt, correction_note="依规删除一项不予公开的措施"
    )
    approve(correction, actor=office)
    ReportDraft.objects.create(
        inspection=a,
        kind=ReportDraft.Kind.PUBLIC,
        as_of=correction.as_of,
        sections={"next_steps": REPORTS_APP["later_draft"]},
        created_by=unit,
    )
    as_submitted = render_public_version(a, actor=unit, as_of=correction.as_of)
    assert REPORTS_APP["later_draft"] in as_submitted.text  # it would be published if it were submitted
    return REPORTS_APP


def walk(client, words: list[str]) -> dict[str, str]:
    """Every page and file reachable from the public home page and from searches for `words` (which must
    find nothing), as text by address; also used on a public-only site (tests/public/exchange_site.py)."""
    searches = {f"/gongkai/search/?q={word}": word for word in words}
    start = ["/gongkai/", *searches]
    queue, seen, pages = deque(start), set(start), {}
    while queue and len(pages) < LIMIT:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code in (200, 503), (url, response.status_code)  # 503: PDF without LibreOffice
        pages[url] = text_of(response)
        if url in searches:  # the page repeats what was asked; it must have found nothing
            assert "没有找到" in pages[url], url
            pages[url] = pages[url].replace(searches[url], "")
        if "html" not in response.get("Content-Type", "") and "xml" not in response.get("Content-Type", ""):
            continue
        for link in HREF.findall(pages[url]):
            target = urldefrag(urljoin("http://testserver" + url, link.replace("&amp;", "&")))[0]
            parts = urlparse(target)
            if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            assert parts.path.startswith(("/gongkai/", "/static/")), f"{url} links out of the public site: {path}"
            if path not in seen and not parts.path.startswith("/static/"):
                seen.add(path)
                queue.append(path)
    return pages


def test_crawl_finds_nothing_unpublished(client, world, opinions, reports_app_secrets):
    pages = walk(client, [*SECRETS.values(), *reports_app_secrets.values(), SECRETS["handler"][:2]])
    assert any("/reports/" in url for url in pages) and any(url.endswith(".docx") for url in pages)
    words = forbidden_words(world, opinions) + list(reports_app_secrets.values())
    leaks = [(url, word) for url, text in pages.items() for word in words if word in text]
    assert leaks == []
    report_page = pages[f"/gongkai/reports/{world['report'].pk}/"]
    assert "河湖长制落实不扎实" in report_page  # the crawl did read the published text
    assert "修订党组议事规则" in report_page and "更正" in report_page  # the correction is the one shown
