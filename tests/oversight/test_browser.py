"""The dashboard in a real browser: the numbers on screen are the database's, a click on a number
reaches the tasks behind it, the charts are drawn, and the page asks no host but our own."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.conftest import TEST_PASSWORD
from tests.oversight.conftest import TODAY
from tests.support.browser import MARKS

pytestmark = MARKS
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def expected_figures(world) -> dict:
    """Computed straight from the database with the ledger's own counting, not the dashboard's."""
    from zhenggai.ledger.models import Closure, Inspection, Task
    from zhenggai.ledger.stats import figures_by_inspection

    per_unit = figures_by_inspection(Inspection.objects.filter(round=world["round"]), TODAY)
    waiting = Task.objects.filter(finding__inspection__round=world["round"], closure=Closure.CLOSURE_REQUESTED)
    red_tasks = {
        t.pk
        for t in Task.objects.filter(finding__inspection__round=world["round"], deadline__lt=TODAY).exclude(
            closure=Closure.CLOSED
        )
    }
    return {"per_unit": per_unit, "waiting": waiting.count(), "red_tasks": red_tasks}


def test_dashboard_numbers_clicks_and_hosts(browser, live_server, world):
    expected = expected_figures(world)
    requested: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.set_default_timeout(15_000)
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_label("密码").press("Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/oversight/rounds/{world['round'].pk}/")

    # the charts are drawn by the vendored ECharts
    charts = page.locator("[data-chart]")
    assert charts.count() == 5
    page.wait_for_function("document.querySelectorAll('[data-chart][data-drawn]').length === 5")
    assert page.locator("[data-chart] svg").count() == 5

    # every unit's numbers on screen equal the ledger's counts
    columns = {"leaves": "leaves", "completed": "completed", "tasks": "tasks", "closed": "closed"}
    columns |= {"red": "overdue", "yellow": "yellow", "green": "green"}
    for inspection_id, figures in expected["per_unit"].items():
        row = page.locator(f'table[data-section="units"] tr[data-row="units-{inspection_id}"]')
        for column, attribute in columns.items():
            shown = row.locator(f'td[data-col="{column}"]').inner_text()
            assert int(shown) == getattr(figures, attribute), (inspection_id, column)
        assert row.locator('td[data-col="rate_text"]').inner_text() == figures.rate_text
    totals = page.locator("#totals")
    red_total = sum(f.overdue for f in expected["per_unit"].values())
    assert int(totals.locator('li[data-col="red"] b').inner_text()) == red_total
    assert int(totals.locator('li[data-col="requested"] b').inner_text()) == expected["waiting"]

    # a click on the red total reaches exactly the late tasks
    totals.locator('li[data-col="red"] a').click()
    page.wait_for_url("**/oversight/tasks/**")
    assert int(page.locator('[data-count="tasks"]').inner_text()) == red_total
    shown_tasks = {
        int(x) for x in page.locator("#task-table tr[data-task]").evaluate_all("rows => rows.map(r => r.dataset.task)")
    }
    assert shown_tasks == expected["red_tasks"]

    # nothing but our own server was asked for anything
    own = urlparse(live_server.url).netloc
    assert requested
    assert {urlparse(url).netloc for url in requested if not url.startswith("data:")} == {own}
    assert any(url.endswith("/static/oversight/vendor/echarts.min.js") for url in requested)
