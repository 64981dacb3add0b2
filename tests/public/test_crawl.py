"""Walk the public site from its home page and find nothing that was not approved for publication:
no draft, no exempt finding, no ledger field (handler, department, leader, progress note), no user
name, no one else's opinion. Searches for those very words are walked too, and the files offered
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


def test_crawl_finds_nothing_unpublished(client, world, opinions):
    searches = {f"/gongkai/search/?q={word}": word for word in SECRETS.values()}
    searches["/gongkai/search/?q=" + SECRETS["handler"][:2]] = SECRETS["handler"][:2]
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
    assert any("/reports/" in url for url in pages) and any(url.endswith(".docx") for url in pages)
    words = forbidden_words(world, opinions)
    leaks = [(url, word) for url, text in pages.items() for word in words if word in text]
    assert leaks == []
    report_page = pages[f"/gongkai/reports/{world['report'].pk}/"]
    assert "河湖长制落实不扎实" in report_page  # the crawl did read the published text
