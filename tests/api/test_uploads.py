"""Uploads through the API: limits enforced while the body arrives (after authentication), bombs and
disguised files refused with a Chinese message, evidence downloads typed by their content."""

from __future__ import annotations

import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.support import badfiles
from tests.support.uploads import MiB, StreamedUpload, post_streamed
from zhenggai.ledger.models import Evidence, Inspection

pytestmark = [pytest.mark.django_db, pytest.mark.database]
V1 = "/api/v1"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def _stream(world, role: str, path: str, body: StreamedUpload):
    headers = {"Authorization": f"Bearer {world.tokens[role]}"} if role in world.tokens else {}
    return post_streamed(Client(), path, body, **headers)


def test_a_60_mb_evidence_upload_is_refused_with_413_before_it_is_read(world, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-temp")
    (tmp_path / "upload-temp").mkdir()
    before = Evidence.objects.count()
    body = StreamedUpload("录像.zip", 60 * MiB)
    response = _stream(world, "resp_own", f"{V1}/tasks/{world.tasks['open'].pk}/evidence", body)
    assert response.status_code == 413
    assert response.json() == {
        "detail": "上传的文件超过 50 MB 上限,服务器已停止接收。请压缩或拆分后再上传",
        "code": "upload_too_large",
    }
    assert body.taken == 0
    assert Evidence.objects.count() == before
    assert list((tmp_path / "upload-temp").iterdir()) == []


def test_an_api_upload_is_stopped_while_it_streams(world, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-temp")
    (tmp_path / "upload-temp").mkdir()
    settings.ZHENGGAI_EVIDENCE_MAX_BYTES = 4 * MiB
    body = StreamedUpload("纪要.pdf", 4 * MiB + 900 * 1024)
    response = _stream(world, "resp_own", f"{V1}/tasks/{world.tasks['open'].pk}/evidence", body)
    assert response.status_code == 413
    assert 4 * MiB < body.taken < body.length
    assert list((tmp_path / "upload-temp").iterdir()) == []


def test_an_anonymous_upload_is_refused_before_the_body_is_read(world):
    body = StreamedUpload("纪要.pdf", 10 * MiB)
    response = _stream(world, "anonymous", f"{V1}/tasks/{world.tasks['open'].pk}/evidence", body)
    assert response.status_code == 401
    assert body.taken == 0


def test_an_import_over_its_limit_is_refused(world):
    body = StreamedUpload("报告.pdf", 55 * MiB, {"round_id": str(world.a.round_id)})
    response = _stream(world, "office", f"{V1}/imports", body)
    assert response.status_code == 413 and "50 MB" in response.json()["detail"]
    assert body.taken == 0


def test_a_docx_bomb_import_is_refused_naming_the_file(world):
    before = Inspection.objects.count()
    upload = SimpleUploadedFile("整改报告.docx", badfiles.docx_deflate_bomb())
    world.call("office", "GET", f"{V1}/inspections/{world.a.pk}")  # first-use loading is not the refusal's time
    started = time.perf_counter()
    response = world.call("office", "POST", f"{V1}/imports", data={"file": upload, "round_id": world.a.round_id})
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 422
    body = response.json()
    assert body["reason"] == "archive_too_large"
    assert body["detail"].startswith("文件“整改报告.docx”中的“word/document.xml”解压后过大")
    assert Inspection.objects.count() == before


@pytest.mark.parametrize(
    ("name", "bomb"),
    [("材料.zip", badfiles.zip_bomb), ("台账.xlsx", badfiles.xlsx_bomb), ("报告.docx", badfiles.docx_deflate_bomb)],
)
def test_a_bomb_as_evidence_is_refused(world, name, bomb):
    upload = SimpleUploadedFile(name, bomb())
    world.call("resp_own", "GET", f"{V1}/tasks/{world.tasks['open'].pk}")  # first-use loading is not timed
    started = time.perf_counter()
    response = world.call("resp_own", "POST", f"{V1}/tasks/{world.tasks['open'].pk}/evidence", data={"file": upload})
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 422
    assert response.json()["detail"].startswith(f"文件“{name}”")
    assert "可能是恶意构造的压缩文件" in response.json()["detail"]
    assert not Evidence.objects.filter(original_name=name).exists()


def test_a_file_declared_png_but_holding_html_is_refused(world):
    upload = SimpleUploadedFile("截图.png", HTML, content_type="image/png")
    response = world.call("resp_own", "POST", f"{V1}/tasks/{world.tasks['open'].pk}/evidence", data={"file": upload})
    assert response.status_code == 422
    assert "与扩展名“.png”(PNG 图片)不符" in response.json()["detail"]


def test_the_download_sends_the_type_of_the_content_not_the_declared_one(world):
    upload = SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, content_type="text/html")
    created = world.call("resp_own", "POST", f"{V1}/tasks/{world.tasks['open'].pk}/evidence", data={"file": upload})
    assert created.status_code == 201
    download = world.call("team_own", "GET", created.json()["download_url"])
    assert download["Content-Type"] == "image/jpeg"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_stored_html_file_is_downloaded_as_an_octet_stream_attachment(world):
    """A row typed by the client before this check ("image/png" over an HTML body)."""
    item = world.evidence
    item.file.save("旧截图.png", ContentFile(HTML), save=False)
    item.content_type = "image/png"
    item.save()
    download = world.call("team_own", "GET", f"{V1}/evidence/{item.pk}/download")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
