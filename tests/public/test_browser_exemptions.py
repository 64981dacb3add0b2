"""Exemptions in a real browser: the unit office proposes one problem as 不予公开 on a ground with a
reason and submits its public version; the inspection office sees that problem with its ground and
reason, refuses that exemption, approves the rest and publishes; the public page shows the problem
and still not the problem whose exemption was approved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import TEST_PASSWORD
from tests.public.conftest import SECRETS
from tests.support.browser import MARKS

pytestmark = MARKS

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = playwright_api.expect

REASON = "该问题所涉线索正由县纪委监委核查,尚未形成结论"


@pytest.fixture
def setting(world):
    """B's earlier submission sent back; one exemption of B already proposed (the one to be approved)."""
    from zhenggai.public.services.decide import send_back
    from zhenggai.reports.exemptions import propose_exemption

    b, unit = world["b"], world["users"]["unit_office_other"]
    send_back(world["pending"], actor=world["users"]["office"], reason="请补充整改成效")
    leaves = list(b.findings.filter(children__isnull=True).order_by("level", "position", "pk"))
    kept = leaves[0]
    propose_exemption(b, actor=unit, ground="state_secret", reason="涉及定密事项", finding=kept)
    target = next(f for f in leaves if f.title.startswith(SECRETS["draft"]))
    return {**world, "kept": kept, "target": target}


def _login(browser, base, username):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_label("密码").press("Enter")
    page.wait_for_load_state()
    return page


def test_the_office_refuses_one_exemption_and_the_public_page_shows_that_problem(browser, live_server, setting):
    base, b, target, kept = live_server.url, setting["b"], setting["target"], setting["kept"]

    unit = _login(browser, base, "unit_office_other")
    unit.goto(f"{base}{reverse('reports:page', args=[b.pk])}#exemptions")
    unit.get_by_text("提出不予公开申请").click()
    unit.get_by_label("不予公开的问题或措施").select_option(value=f"finding:{target.pk}")
    unit.get_by_label("不予公开依据").select_option(label="可能引发负面炒作")
    unit.get_by_role("button", name="提交申请").click()
    expect(unit.get_by_label("理由")).to_have_js_property("validity.valueMissing", True)  # no reason, no request
    unit.get_by_label("理由").fill(REASON)
    unit.get_by_role("button", name="提交申请").click()
    expect(unit.locator("#exemptions")).to_contain_text(REASON)
    unit.goto(f"{base}{reverse('publication:submit', args=[b.pk])}")
    unit.get_by_role("button", name="提交审核").click()
    expect(unit.locator(".messages, [role=status]").first).to_contain_text("公开版已提交")
    revision_url = unit.url

    office = _login(browser, base, "office")
    office.goto(revision_url)
    item = office.locator("li.exemption").filter(has_text=target.title)
    expect(item).to_contain_text("可能引发负面炒作")
    expect(item).to_contain_text(REASON)
    expect(office.locator("article.report")).not_to_contain_text(SECRETS["draft"])
    item.get_by_label("不同意的意见").fill("属于应当公开的整改情况")
    item.get_by_role("button", name="不同意不予公开").click()
    expect(office.locator(".messages, [role=status]").first).to_contain_text("已恢复到公开版中")
    expect(office.locator("article.report")).to_contain_text(SECRETS["draft"])
    expect(office.locator("li.exemption")).to_have_count(1)
    expect(office.locator("li.exemption")).to_contain_text("涉及定密事项")
    office.get_by_role("button", name="同意发布").click()
    expect(office.locator("li.exemption")).to_contain_text("已同意")  # the approved list stays on the page

    reader = browser.new_page(locale="zh-CN")
    reader.goto(f"{base}{reverse('public:report', args=[setting['report_b'].pk])}")
    expect(reader.locator("article.report")).to_contain_text(SECRETS["draft"])
    expect(reader.locator("article.report")).not_to_contain_text(kept.title)
