"""Every unhandled error, on a page or in the API, is logged with the request id and the user id, to the
rotated file in the data folder and to stderr; the user sees the Chinese 500 page (or the API's JSON)
with the id to quote, and no traceback."""

from __future__ import annotations

import logging
import logging.handlers
import sys

import pytest
from django.conf import settings
from django.test import Client

from zhenggai.web.logs import StderrHandler

pytestmark = pytest.mark.urls("tests.support.boom_urls")


def _log_lines(request_id: str) -> list[str]:
    for handler in logging.getLogger("django.request").handlers:
        handler.flush()
    text = settings.ZHENGGAI_LOG_FILE.read_text(encoding="utf-8")
    return [line for line in text.splitlines() if f"req={request_id} " in line]


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_errors_go_to_a_rotated_file_in_the_data_folder_and_to_stderr():
    for name in ("django.request", "zhenggai"):
        handlers = logging.getLogger(name).handlers
        files = [h for h in handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
        assert [h.baseFilename for h in files] == [str(settings.DATA_DIR / "logs" / "zhenggai.log")]
        assert files[0].maxBytes == settings.ZHENGGAI_LOG_MAX_BYTES > 0 and files[0].backupCount >= 1
        streams = [h for h in handlers if isinstance(h, StderrHandler)]
        assert len(streams) == 1 and streams[0].stream is sys.stderr


def test_a_failing_page_is_logged_with_request_and_user_and_shows_the_chinese_page(db, make_user):
    user = make_user("supervisor")
    response = _client(user).get("/test-only/boom/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    body = response.content.decode()
    assert "系统出错了" in body and request_id in body
    assert "Traceback" not in body and "secret detail" not in body and "Boom" not in body
    lines = _log_lines(request_id)
    assert any(f"user={user.pk}]" in line and "ERROR django.request" in line for line in lines), lines
    assert "secret detail of the page failure" in settings.ZHENGGAI_LOG_FILE.read_text(encoding="utf-8")


def test_an_anonymous_failure_is_logged_without_a_user(db):
    response = _client().get("/test-only/anonymous-boom/")
    assert response.status_code == 500
    lines = _log_lines(response["X-Request-ID"])
    assert any("user=-]" in line and "Internal Server Error" in line for line in lines), lines


def test_a_failing_api_call_is_logged_with_request_and_user(db, make_user):
    user = make_user("office")
    response = _client(user).get("/test-only/api/boom")
    assert response.status_code == 500
    body = response.json()
    request_id = response["X-Request-ID"]
    assert body["code"] == "internal_error" and body["request_id"] == request_id
    assert request_id in body["detail"] and "secret detail" not in body["detail"]
    lines = _log_lines(request_id)
    assert any(f"user={user.pk}]" in line and "ERROR zhenggai.api" in line for line in lines), lines
    assert "[req=- " not in settings.ZHENGGAI_LOG_FILE.read_text(encoding="utf-8").splitlines()[-1]


def test_a_request_id_from_the_client_is_not_trusted_by_default(db):
    response = _client().get("/test-only/anonymous-boom/", headers={"X-Request-ID": "chosen-by-client"})
    assert response["X-Request-ID"] != "chosen-by-client"
    assert not _log_lines("chosen-by-client")


def test_a_trusted_proxys_request_id_is_kept_when_sane(db, settings):
    settings.ZHENGGAI_REQUEST_ID_HEADER = "X-Request-ID"
    response = _client().get("/test-only/anonymous-boom/", headers={"X-Request-ID": "proxy-7f3a.42"})
    assert response["X-Request-ID"] == "proxy-7f3a.42"
    assert _log_lines("proxy-7f3a.42")
    for insane in ("a b", "x" * 200, "id]\n2026 ERROR forged line", "标识"):
        answer = _client().get("/healthz", headers={"X-Request-ID": insane})
        assert answer["X-Request-ID"] != insane and len(answer["X-Request-ID"]) == 32


def test_logging_set_up_again_under_a_stderr_that_is_later_closed_still_logs(capsys):
    """django.setup() (which every in-process `zhenggai` command runs) configures logging again, with
    whatever sys.stderr is at that moment; a log line after that stream is closed must still be written."""
    import io

    import django

    swapped = io.StringIO()
    real, sys.stderr = sys.stderr, swapped
    try:
        django.setup()
    finally:
        sys.stderr = real
    swapped.close()
    logging.getLogger("zhenggai").error("after the swapped stream was closed")
    err = capsys.readouterr().err
    assert "after the swapped stream was closed" in err and "Logging error" not in err
