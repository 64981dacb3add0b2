"""The whole loop in a real browser, as the people would walk it.

The inspection office imports a fictional report and assigns a task; the responsible person
records progress, uploads evidence and asks for closure; the office sends it back once, then
accepts it; the completion rate moves and the task's history shows every step. Every request
the pages make must go to our own server: nothing from the internet.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import TEST_PASSWORD
from tests.support.browser import MARKS

pytestmark = MARKS

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = playwright_api.expect


@pytest.fixture
def people(make_round, make_unit, make_user, office):
    """The office, a round, the unit the report is about and a responsible person working there."""
    round_ = make_round()
    unit = make_unit("青溪县统计局党组")
    person = make_user("responsible", unit=unit, username="zhangwei")
    person.display_name = "张伟"
    person.save(update_fields=["display_name"])
    return {"round": round_, "unit": unit, "office": office, "person": person}


@pytest.fixture
def report(tmp_path):
    from zhenggai.fiction import generate_report, to_text

    # One measure per specific problem and no statuses stated: closing one task completes one problem.
    path = tmp_path / "统计局整改报告.txt"
    path.write_text(to_text(generate_report(5, measures=1, show_status="none", claims=False)), encoding="utf-8")
    return path


def test_the_whole_loop(browser, live_server, people, report, tmp_path):
    base = live_server.url
    requested: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.set_default_timeout(15_000)
    page.on("request", lambda request: requested.append(request.url))
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))

    def log_in(username: str) -> None:
        page.goto(f"{base}/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(TEST_PASSWORD)
        page.get_by_label("密码").press("Enter")  # Enter submits
        page.wait_for_load_state()

    def log_out() -> None:
        page.get_by_role("button", name="退出").click()
        expect(page).to_have_url(re.compile(r"/login/$"))

    # --- the office imports the report -------------------------------------------------------
    log_in("office")
    expect(page).to_have_url(re.compile(r"/rounds/$"))
    page.get_by_role("link", name="导入台账").click()
    page.get_by_label("报告或台账文件").set_input_files(str(report))
    page.get_by_label("巡察轮次").select_option(label=people["round"].name)
    page.get_by_label("被巡察单位").select_option(value=str(people["unit"].pk))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_role("heading", name=re.compile("导入预览"))).to_be_visible()

    # correct the first aspect's title in place (htmx): edit, type, Enter saves
    first = page.locator("#draft-tree > li").first
    first.get_by_role("button", name=re.compile("^修改")).first.click()
    editor = first.locator("textarea").first
    expect(editor).to_be_focused()
    editor.fill("党的政治建设方面（已核对）")
    editor.press("Enter")
    expect(first).to_contain_text("党的政治建设方面（已核对）")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".messages")).to_contain_text("已导入")
    expect(page.locator("#tree")).to_contain_text("党的政治建设方面（已核对）")
    ledger_url = page.url
    rate_before = page.locator("#completion-rate").inner_text()
    assert rate_before == "0.00%"

    # the table filters through htmx and keeps the filter in the URL
    page.get_by_label("搜索").fill("不存在的措施文字")
    expect(page.locator("#task-table")).to_contain_text("没有符合条件的任务")
    expect(page).to_have_url(re.compile(r"q=%E4%B8%8D"))
    page.get_by_role("link", name="清除").click()
    page.locator("#task-table td[data-label='措施'] a").first.click()
    task_url = page.url
    assert re.search(r"/tasks/\d+/$", task_url)

    # assign the responsible person and a deadline
    page.get_by_text("修改责任分工").click()
    page.get_by_label("责任人").select_option(label="张伟")
    page.get_by_label("责任科室").fill("综合统计股")
    page.get_by_label("整改时限").fill("2030-06-30")
    page.get_by_role("button", name="保存分工").click()
    expect(page.locator(".messages")).to_contain_text("已保存责任分工")
    expect(page.locator("#handler")).to_have_text("张伟")
    log_out()

    # --- the responsible person works on the task ----------------------------------------------
    log_in("zhangwei")
    expect(page).to_have_url(re.compile(r"/my/tasks/$"))
    card = page.locator("article").first
    card.get_by_label("记录进展").fill("已完成全局统计台账自查，整改3处。")
    card.get_by_role("button", name="记录进展").click()  # htmx: the card answers in place
    expect(card).to_contain_text("已记录进展")
    page.goto(task_url)
    expect(page.locator("#notes")).to_contain_text("已完成全局统计台账自查")
    evidence = tmp_path / "自查报告.pdf"
    evidence.write_bytes(b"%PDF-1.4 fictional self-check report")
    page.get_by_label("佐证材料文件").set_input_files(str(evidence))
    page.get_by_role("button", name="上传").click()
    expect(page.locator("#evidence")).to_contain_text("自查报告.pdf")

    def ask_for_closure(note: str, with_evidence: bool) -> None:
        page.get_by_label("新的整改状态").select_option(label="基本完成")
        page.get_by_role("button", name="修改状态").click()
        expect(page.locator(".messages")).to_contain_text("基本完成")
        page.get_by_label("整改说明").fill(note)
        if with_evidence:
            page.get_by_label("自查报告.pdf").check()
        page.get_by_role("button", name="申请销号").click()
        expect(page.locator(".messages")).to_contain_text("已提交销号申请")

    ask_for_closure("整改已完成，附自查报告。", with_evidence=True)
    log_out()

    # --- the office sends it back once ----------------------------------------------------------
    log_in("office")
    page.goto(task_url)
    expect(page.locator("#pending-request")).to_contain_text("整改已完成，附自查报告。")
    page.get_by_label("理由").first.fill("请补充整改前后对比材料")
    page.get_by_role("button", name="退回").click()
    expect(page.locator(".messages")).to_contain_text("已退回")
    log_out()

    # --- the responsible person asks again ------------------------------------------------------
    log_in("zhangwei")
    page.goto(task_url)
    expect(page.locator("#closure-requests")).to_contain_text("请补充整改前后对比材料")
    ask_for_closure("已补充整改前后对比材料。", with_evidence=False)
    log_out()

    # --- the office accepts; the rate moves; the history tells every step -----------------------
    log_in("office")
    page.goto(task_url)
    page.get_by_role("button", name="同意销号").click()
    expect(page.locator(".messages")).to_contain_text("已同意销号")
    history = page.locator("#history")
    for step in (
        "分工调整",
        "记录进展",
        "上传佐证材料",
        "修改整改状态",
        "申请销号",
        "退回销号申请",
        "请补充整改前后对比材料",
        "同意销号",
    ):
        expect(history).to_contain_text(step)
    assert history.locator("tbody tr").count() == 9
    page.goto(ledger_url)
    rate_after = page.locator("#completion-rate").inner_text()
    assert rate_after != rate_before and float(rate_after.rstrip("%")) > 0

    strangers = [url for url in requested if not url.startswith(base)]
    assert strangers == []
    assert any("/static/django_htmx/htmx-2" in url for url in requested)
    assert not [text for text in console if "Content Security Policy" in text]  # the whole loop works under it
    page.close()
