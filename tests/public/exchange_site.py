"""Drives a public-only site (ZHENGGAI_MODE=public, its own data folder) from a process of its own, the
way a person's browser would, for tests/public/test_exchange.py: run as

    python -m tests.public.exchange_site crawl WORD…        every page reachable, searches for the words
    python -m tests.public.exchange_site opinion REPORT_ID  send an opinion through the report's form
    python -m tests.public.exchange_site status RECEIPT     the receipt look-up page
    python -m tests.public.exchange_site page URL           one page

Prints one JSON object: the pages (or the receipt) and every table the requests touched. The challenge
is answered as tests/public/conftest.py `solve` does, with this site's own key.
"""

from __future__ import annotations

import json
import os
import re
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.public.conftest import form_data  # noqa: E402
from tests.public.test_crawl import text_of, walk  # noqa: E402

TABLE = re.compile(r'\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.IGNORECASE)
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def tables(queries: list[dict]) -> list[str]:
    return sorted({name for query in queries for name in TABLE.findall(query["sql"])})


def crawl(client: Client, words: list[str]) -> dict:
    return {"pages": walk(client, words)}


def opinion(client: Client, report_id: str) -> dict:
    url = f"/gongkai/reports/{report_id}/opinion/"
    page = client.get(url).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    data = form_data(page, text="公众网站提交的意见:河道保洁仍不到位。", contact="13800000000")
    response = client.post(url, {**data, "csrfmiddlewaretoken": csrf})
    assert response.status_code == 200, response.content.decode()[:2000]
    number = re.search(r'id="receipt-number">([^<]+)<', response.content.decode())[1]
    return {"receipt": number}


def status(client: Client, receipt: str) -> dict:
    page = client.get("/gongkai/opinion/status/").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post("/gongkai/opinion/status/", {"receipt": receipt, "csrfmiddlewaretoken": csrf})
    return {"status": response.status_code, "text": text_of(response)}


def page(client: Client, url: str) -> dict:
    response = client.get(url)
    return {"status": response.status_code, "text": text_of(response)}


def main(argv: list[str]) -> None:
    action, args = argv[0], argv[1:]
    client = Client(enforce_csrf_checks=True)
    steps = {"opinion": opinion, "status": status, "page": page}
    with (
        override_settings(STORAGES=PLAIN_STATIC, ALLOWED_HOSTS=["testserver"]),
        CaptureQueriesContext(connection) as captured,
    ):
        result = crawl(client, args) if action == "crawl" else steps[action](client, args[0])
        result["login"] = client.get("/login/").status_code
        result["api"] = client.get("/api/v1/").status_code
        result["staff"] = client.get("/publication/").status_code
        result["home"] = client.get("/").get("Location", "")
    result["tables"] = tables(captured.captured_queries)
    print(json.dumps(result))  # ASCII: no character of a page can break the line


if __name__ == "__main__":
    main(sys.argv[1:])
