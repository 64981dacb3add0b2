"""Uploads on the web pages: limits enforced while the body arrives, nothing left on disk, content
types from the content, bombs refused with a message, downloads that are never rendered."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.support import badfiles
from tests.support.uploads import MiB, StreamedUpload, post_streamed
from zhenggai.ledger.models import Evidence

pytestmark = [pytest.mark.django_db, pytest.mark.database]
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def disks(settings, tmp_path, world):
    """A temp folder of its own and the media files already there, to see that a refused upload
    leaves nothing in either (`_new(disks)` is what appeared since)."""
    temp = tmp_path / "upload-temp"
    temp.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(temp)
    media = Path(settings.MEDIA_ROOT)
    return temp, media, set(_files(media))


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _timed_post(client, url: str, data: dict, *, warm: str):
    """POST `data`, timed; `warm` is first fetched so the time is the refusal's, not first-use loading."""
    client.get(warm)
    started = time.perf_counter()
    response = client.post(url, data)
    return response, time.perf_counter() - started


def _new(disks) -> list[Path]:
    temp, media, before = disks
    return _files(temp) + [p for p in _files(media) if p not in before]


def test_a_60_mb_evidence_upload_is_refused_before_a_byte_is_read(client, world, disks):
    client.force_login(world["users"]["responsible_own"])
    before = Evidence.objects.count()
    body = StreamedUpload("大文件.pdf", 60 * MiB, {"compact": "0"})
    response = post_streamed(client, reverse("web:task_evidence", args=[world["task"].pk]), body)
    assert response.status_code == 413
    assert "上传的文件超过 50 MB 上限,服务器已停止接收" in response.content.decode()
    assert body.taken == 0
    assert Evidence.objects.count() == before
    assert _new(disks) == []


def test_an_upload_over_the_limit_is_stopped_while_it_streams(client, world, disks, settings):
    """The declared length is within the envelope allowed for form fields, the file is not: the
    handler stops reading at the limit, after the temp-file handler had started a file on disk."""
    settings.ZHENGGAI_EVIDENCE_MAX_BYTES = 4 * MiB
    client.force_login(world["users"]["responsible_own"])
    body = StreamedUpload("纪要.pdf", 4 * MiB + 900 * 1024)
    response = post_streamed(client, reverse("web:task_evidence", args=[world["task"].pk]), body)
    assert response.status_code == 413
    assert "上传的文件超过 4 MB 上限" in response.content.decode()
    assert 4 * MiB < body.taken < body.length  # stopped before the end of the body
    assert _new(disks) == []
    assert not Evidence.objects.filter(original_name="纪要.pdf").exists()


@pytest.mark.parametrize(
    ("view", "args", "role", "limit"),
    [
        ("web:import", (), "office", 50),
        ("reports:ledger_import", ("a",), "unit_office_own", 20),
        ("reports:feedback_import", (), "office", 20),
    ],
)
def test_imports_have_their_own_limits(client, world, disks, view, args, role, limit):
    client.force_login(world["users"][role])
    url = reverse(view, args=[world[a].pk for a in args])
    body = StreamedUpload("台账.xlsx", (limit + 5) * MiB)
    response = post_streamed(client, url, body)
    assert response.status_code == 413
    assert f"超过 {limit} MB 上限" in response.content.decode()
    assert body.taken == 0
    assert _files(disks[0]) == []


def test_an_upload_within_the_limit_still_arrives(client, world, disks):
    client.force_login(world["users"]["responsible_own"])
    body = StreamedUpload("说明.txt", 3 * MiB, fill=b"a")  # over the in-memory threshold: goes to temp disk
    response = post_streamed(client, reverse("web:task_evidence", args=[world["task"].pk]), body)
    assert response.status_code == 302
    item = Evidence.objects.get(original_name="说明.txt")
    assert (item.size, item.content_type) == (3 * MiB, "text/plain")
    assert _files(disks[0]) == []


def test_a_file_declared_png_but_holding_html_is_refused(client, world):
    client.force_login(world["users"]["responsible_own"])
    upload = SimpleUploadedFile("截图.png", HTML, content_type="image/png")
    response = client.post(reverse("web:task_evidence", args=[world["task"].pk]), {"file": upload})
    assert response.status_code == 400
    assert "文件内容是网页或 SVG 图形,与扩展名“.png”(PNG 图片)不符" in response.content.decode()
    assert not Evidence.objects.filter(original_name="截图.png").exists()


def test_the_stored_type_comes_from_the_content_not_the_client(client, world):
    client.force_login(world["users"]["responsible_own"])
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    upload = SimpleUploadedFile("照片.png", png, content_type="text/html")
    client.post(reverse("web:task_evidence", args=[world["task"].pk]), {"file": upload})
    assert Evidence.objects.get(original_name="照片.png").content_type == "image/png"


def test_a_stored_html_file_is_downloaded_as_an_octet_stream_attachment(client, world):
    """A row from before this check, typed by the client: never served as what it claims."""
    item = world["evidence"]
    item.file.save("旧截图.png", ContentFile(HTML), save=False)
    item.content_type = "image/png"
    item.save()
    client.force_login(world["users"]["team_own"])
    response = client.get(reverse("web:evidence", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_docx_bomb_is_a_form_error_on_the_import_page(client, world):
    client.force_login(world["users"]["office"])
    upload = SimpleUploadedFile("整改报告.docx", badfiles.docx_deflate_bomb())
    fields = {"file": upload, "round": world["a"].round.pk}
    response, elapsed = _timed_post(client, reverse("web:import"), fields, warm=reverse("web:import"))
    assert elapsed < 1.0
    assert response.status_code == 400
    assert "文件“整改报告.docx”中的“word/document.xml”解压后过大" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "bomb", "problem"),
    [
        ("材料.zip", badfiles.zip_bomb, "可能是恶意构造的压缩文件"),
        ("台账.xlsx", badfiles.xlsx_bomb, "可能是恶意构造的压缩文件"),
        ("报告.docx", badfiles.docx_deflate_bomb, "可能是恶意构造的压缩文件"),
    ],
)
def test_a_bomb_as_evidence_is_refused(client, world, disks, name, bomb, problem):
    client.force_login(world["users"]["responsible_own"])
    upload = SimpleUploadedFile(name, bomb())
    url = reverse("web:task_evidence", args=[world["task"].pk])
    response, elapsed = _timed_post(client, url, {"file": upload}, warm=reverse("web:task", args=[world["task"].pk]))
    assert elapsed < 1.0
    assert response.status_code == 400
    html = response.content.decode()
    assert f"文件“{name}”" in html and problem in html
    assert not Evidence.objects.filter(original_name=name).exists()
    assert _new(disks) == []


def test_a_zip_of_documents_is_accepted_as_evidence(client, world):
    client.force_login(world["users"]["responsible_own"])
    upload = SimpleUploadedFile("材料.zip", badfiles.nested_zip(2))
    response = client.post(reverse("web:task_evidence", args=[world["task"].pk]), {"file": upload})
    assert response.status_code == 302
    assert Evidence.objects.get(original_name="材料.zip").content_type == "application/zip"


@pytest.mark.parametrize(
    ("view", "role"), [("reports:ledger_import", "unit_office_own"), ("reports:feedback_import", "office")]
)
def test_an_xlsx_bomb_is_refused_on_the_workbook_import_pages(client, world, view, role):
    client.force_login(world["users"][role])
    url = reverse(view, args=[world["a"].pk]) if view == "reports:ledger_import" else reverse(view)
    fields = {"file": SimpleUploadedFile("台账.xlsx", badfiles.xlsx_bomb())}
    if view == "reports:feedback_import":
        fields.update({"round": world["a"].round.pk, "unit": world["b"].unit.pk})
    warm = reverse("reports:page", args=[world["a"].pk]) if view == "reports:ledger_import" else url
    response, elapsed = _timed_post(client, url, fields, warm=warm)
    assert elapsed < 1.0
    assert response.status_code == 400
    html = response.content.decode()
    assert "Excel 工作簿中的“xl/worksheets/sheet1.xml”解压后过大" in html
    assert "可能是恶意构造的压缩文件" in html


@pytest.mark.parametrize("doctype", [badfiles.BILLION_LAUGHS, badfiles.EXTERNAL_ENTITY])
def test_an_xlsx_with_entities_is_refused_on_the_import_page(client, world, doctype):
    client.force_login(world["users"]["unit_office_own"])
    sheet = badfiles.SHEET_HEAD + badfiles.SHEET_TAIL
    data = badfiles.with_doctype(badfiles.minimal_xlsx(sheet), "xl/worksheets/sheet1.xml", doctype)
    upload = SimpleUploadedFile("台账.xlsx", data)
    response = client.post(reverse("reports:ledger_import", args=[world["a"].pk]), {"file": upload})
    assert response.status_code == 400
    assert "含有文档类型定义(DTD/实体)" in response.content.decode()
