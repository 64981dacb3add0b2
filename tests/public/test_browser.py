"""A member of the public in a real browser: finds a report by searching a two-character and a
four-character term, opens it, sends an opinion and gets a receipt number; the unit office replies
through the staff pages; the member of the public reads the reply with the number. Every request
the pages make goes to our own server."""

from __future__ import annotations

import re

import pytest

from tests.conftest import TEST_PASSWORD
from tests.public.conftest import solve
from tests.support.browser import MARKS

pytestmark = MARKS

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = playwright_api.expect


def test_the_public_finds_a_report_sends_an_opinion_and_reads_the_reply(browser, live_server, world):
    base = live_server.url
    requested: list[str] = []
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")  # a phone
    page.set_default_timeout(15_000)
    page.on("request", lambda request: requested.append(request.url))
    title = world["report"].title

    page.goto(f"{base}/gongkai/")
    expect(page.get_by_role("heading", level=1)).to_have_text("巡察整改情况公开")
    box = page.get_by_label("检索已公开的整改报告")
    box.fill("河段")  # two characters
    box.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("共找到1篇")
    expect(page.locator(".snippet mark").first).to_have_text("河段")
    expect(page.get_by_role("link", name=title)).to_be_visible()
    page.get_by_label("检索已公开的整改报告").fill("巡河记录")  # four characters
    page.get_by_role("button", name="检索").click()
    expect(page.get_by_role("status")).to_contain_text("共找到1篇")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("article.report")).to_contain_text("河湖长制落实不扎实")

    page.get_by_label("类别").select_option(label="反映整改不到位")
    page.get_by_label("意见内容").fill("巡河记录仍有缺失，请核实整改。")
    picture = page.get_by_role("img", name="验证题图片")
    expect(picture).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", picture.element_handle()) > 0  # drawn and allowed by the CSP
    page.get_by_role("button", name="看不清，换一题").click()  # another picture; the text stays
    expect(page.get_by_label("意见内容")).to_have_value("巡河记录仍有缺失，请核实整改。")
    token = page.locator("input[name=token]").input_value()  # the answer, as only the server knows it
    page.get_by_label(re.compile("验证题")).fill(solve(token))
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("已收到您的意见")
    receipt = page.locator("#receipt-number").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]", receipt)

    staff = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    staff.set_default_timeout(15_000)
    staff.on("request", lambda request: requested.append(request.url))
    staff.goto(f"{base}/login/")
    staff.get_by_label("用户名").fill("unit_office_own")
    staff.get_by_label("密码").fill(TEST_PASSWORD)
    staff.get_by_label("密码").press("Enter")
    staff.wait_for_load_state()
    staff.get_by_role("navigation", name="主导航").get_by_role("link", name="公开与意见").click()
    staff.get_by_role("link", name="群众意见办理").click()
    staff.get_by_role("link", name=receipt.replace("-", "")).click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text(receipt)
    staff.get_by_label("答复内容").fill("经核实，已补齐全部巡河记录并建立月度检查制度。")
    staff.get_by_role("button", name="提交答复").click()
    expect(staff.get_by_role("status").or_(staff.locator(".messages"))).to_contain_text("已答复")

    page.get_by_role("link", name="办理查询").first.click()
    page.get_by_label("回执编号").fill(receipt.lower())
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".status-result h2")).to_have_text(f"回执编号 {receipt}")
    expect(page.locator(".state")).to_have_text("已答复")
    expect(page.locator(".reply")).to_contain_text("已补齐全部巡河记录")
    expect(page.locator(".status-result")).to_contain_text("青溪县水利局党组")

    outside = [url for url in requested if not url.startswith(base) and not url.startswith("data:")]
    assert outside == []
