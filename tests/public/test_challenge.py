"""The challenge a script cannot answer by reading the page: the sum exists only in a picture the server
draws; the page, its token and the picture's address hold no answer."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest
from django.core import signing
from PIL import Image

from tests.public.conftest import form_data, solve, token
from zhenggai.public.models import ChallengeUse, Opinion
from zhenggai.public.protect import challenge

pytestmark = pytest.mark.django_db


def pages(client, world) -> list[str]:
    return [
        client.get("/gongkai/opinion/").content.decode(),
        client.get(f"/gongkai/reports/{world['report'].pk}/").content.decode(),
        client.get(f"/gongkai/reports/{world['report'].pk}/opinion/").content.decode(),
    ]


def test_the_page_holds_neither_the_question_nor_the_answer(client, world):
    for html in pages(client, world):
        puzzle = challenge.sum_for(token(html))
        for written in (
            f"{puzzle.left}加{puzzle.right}",
            f"{puzzle.left}减{puzzle.right}",
            f"{puzzle.left}+{puzzle.right}",
            f"{puzzle.left}-{puzzle.right}",
        ):
            assert written not in html
        assert "等于几" not in html and not re.search(r"[零一二三四五六七八九十][加减][零一二三四五六七八九十]", html)
        img = re.search(r'<img class="challenge-picture" src="([^"]+)" alt="([^"]*)"', html)
        assert img, "no challenge picture in the page"
        assert img[2] == "验证题图片" and not re.search(r"\d", img[2])  # the alt text tells nothing
        path, query = img[1].split("?t=")  # the picture's address: our path and the token, nothing more
        assert path == "/gongkai/opinion/challenge.png" and unquote(query) == token(html)
        # the signed token is readable by anyone: it carries a nonce and nothing else
        assert set(signing.loads(token(html), salt=challenge.SALT)) == {"n"}


def test_the_picture_is_a_fresh_png_never_cached(client, world):
    html = client.get("/gongkai/opinion/").content.decode()
    url = re.search(r'<img class="challenge-picture" src="([^"]+)"', html)[1].replace("&amp;", "&")
    first, second = client.get(url), client.get(url)
    for response in (first, second):
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "no-store"
        assert Image.open(io.BytesIO(response.content)).size == (240, 72)
    assert first.content != second.content  # drawn anew each time
    assert not ChallengeUse.objects.exists()  # looking at it does not use it up


@pytest.mark.parametrize("query", ["", "?t=garbage", "?t=" + "x" * 5000])
def test_a_forged_token_gets_no_picture(client, world, query):
    response = client.get(f"/gongkai/opinion/challenge.png{query}")
    assert response.status_code == 404 and response["Cache-Control"] == "no-store"
    assert "验证题无效" in response.content.decode()


def test_an_expired_token_gets_no_picture(client, world):
    fresh = challenge.new_challenge()
    challenge.MAX_AGE, old = -1, challenge.MAX_AGE
    try:
        response = client.get("/gongkai/opinion/challenge.png", {"t": fresh.token})
    finally:
        challenge.MAX_AGE = old
    assert response.status_code == 404 and "过期" in response.content.decode()


def test_pictures_are_rate_limited_per_address(client, world):
    fresh = challenge.new_challenge()
    codes = [
        client.get("/gongkai/opinion/challenge.png", {"t": fresh.token}, REMOTE_ADDR="203.0.113.9").status_code
        for _ in range(62)  # 30 a minute: at most 60 in two windows, however the minute falls
    ]
    assert codes[0] == 200 and 429 in codes
    other = client.get("/gongkai/opinion/challenge.png", {"t": fresh.token}, REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 200


def test_another_picture_keeps_what_was_written(client, world):
    url = f"/gongkai/reports/{world['report'].pk}/opinion/"
    html = client.get(url).content.decode()
    data = form_data(html, text="看不清图片时写下的意见", kind="not_rectified", contact="13900000000")
    response = client.post(url, {**data, "answer": "", "refresh": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "看不清图片时写下的意见" in page and "13900000000" in page
    assert 'value="not_rectified" selected' in page
    assert token(page) != token(html) and "error" not in page.split("<form", 1)[1].split("</form>")[0]
    assert not Opinion.objects.exists() and not ChallengeUse.objects.exists()
    sent = client.post(url, {**data, "token": token(page), "answer": solve(token(page))})
    assert sent.status_code == 200 and Opinion.objects.get().text == "看不清图片时写下的意见"


def test_the_answer_of_another_question_is_refused(client, world):
    one = client.get("/gongkai/opinion/").content.decode()
    two = one
    while solve(token(two)) == solve(token(one)):
        two = client.get("/gongkai/opinion/").content.decode()
    response = client.post("/gongkai/opinion/", {**form_data(one), "answer": solve(token(two))})
    assert response.status_code == 400 and "验证题答案不正确" in response.content.decode()
