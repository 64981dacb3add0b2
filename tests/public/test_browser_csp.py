"""The Content-Security-Policy in a real browser: HTML that slipped into a stored report (inline script,
an event handler, a javascript: link) does not run on the public page nor on the staff page that shows
it — the browser reports a policy violation instead — while the pages' own scripts (htmx, ECharts)
work without a single violation."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client

from tests.support.browser import MARKS
from zhenggai.ledger.models import Result, ResultKind
from zhenggai.public.models import Revision

pytestmark = MARKS

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = playwright_api.expect

HOSTILE_HTML = (
    "<script>window.__pwned = 'inline script'</script>"
    '<img src="data:," onerror="window.__pwned = \'event handler\'" alt="">'
    '<a id="hostile-link" href="javascript:window.__pwned = \'javascript link\'">附件</a>'
)
# Runs before the page's own scripts (injected by the driver, not by the page): counts what the policy blocked.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI));
"""


def _wait_until(page, expression: str, timeout: float = 15.0) -> None:
    """Poll from here: `page.wait_for_function` compiles its predicate with eval, which the policy forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"not true after {timeout}s: {expression}"
        page.wait_for_timeout(100)


def _staff_context(browser, live_server, user):
    """A browser signed in as `user` (a session made by the test client, not the login form)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


def _watch(context) -> list[str]:
    console: list[str] = []
    context.add_init_script(RECORD_VIOLATIONS)
    context.on("console", lambda message: console.append(message.text))
    return console


def _assert_blocked(page, console: list[str]) -> None:
    _wait_until(page, "window.__violations.length >= 2")  # the inline script and the handler
    page.locator("#hostile-link").click()
    _wait_until(page, "window.__violations.length >= 3")  # and the javascript: link
    assert page.evaluate("window.__pwned") is None
    violations = page.evaluate("window.__violations")
    assert all(v.startswith("script-src") for v in violations), violations
    assert any("Content Security Policy" in text for text in console), console


def test_a_stored_script_is_blocked_on_the_public_and_the_staff_page(browser, live_server, world):
    revision = world["revision"]
    Revision.objects.filter(pk=revision.pk).update(body_html=HOSTILE_HTML + revision.body_html)

    public = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    console = _watch(public)
    page = public.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/gongkai/reports/{world['report'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(world["report"].title)
    _assert_blocked(page, console)
    public.close()

    staff = _staff_context(browser, live_server, world["users"]["office"])
    console = _watch(staff)
    page = staff.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/publication/revisions/{revision.pk}/")
    expect(page.locator("article.report")).to_contain_text("附件")
    _assert_blocked(page, console)
    staff.close()


def test_a_javascript_link_stored_before_the_rule_is_not_a_link(browser, live_server, world):
    Result.objects.create(
        inspection=world["a"],
        kind=ResultKind.RULE_REVISED,
        title="旧成效",
        document_link="javascript:window.__pwned='document link'",
        created_by=world["users"]["unit_office_own"],
    )
    context = _staff_context(browser, live_server, world["users"]["office"])
    _watch(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/inspections/{world['a'].pk}/#results")
    row = page.locator("#results tr", has_text="旧成效")
    expect(row.locator(".unsafe-link")).to_have_text("javascript:window.__pwned='document link'")
    assert row.locator("a").count() == 0
    context.close()


def test_the_pages_own_scripts_run_without_a_violation(browser, live_server, world):
    context = _staff_context(browser, live_server, world["users"]["office"])
    console = _watch(context)
    page = context.new_page()
    page.set_default_timeout(15_000)

    # htmx: the task filter of an inspection swaps the table in place
    page.goto(f"{live_server.url}/inspections/{world['a'].pk}/")
    _wait_until(page, "window.htmx !== undefined")
    page.get_by_label("整改状态").select_option(index=1)
    _wait_until(page, "location.search.includes('status=')")
    assert page.evaluate("window.__violations") == []

    # ECharts: the dashboard draws its charts
    page.goto(f"{live_server.url}/oversight/rounds/{world['a'].round_id}/")
    _wait_until(
        page,
        "document.querySelectorAll('[data-chart]').length > 0 && "
        "document.querySelectorAll('[data-chart]').length === document.querySelectorAll('[data-chart][data-drawn]').length",
    )
    chart = page.locator("[data-chart]").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # the tooltip
    page.wait_for_timeout(500)
    assert page.evaluate("window.__violations") == []
    assert not [text for text in console if "Content Security Policy" in text], console
    context.close()
