"""The overview pages and an inspection's ledger: figures, calendar, tree, the filterable table, results."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html

from zhenggai.ingest.ledgerdoc import Finding as DocFinding
from zhenggai.ledger.models import Closure, Result, ResultKind, Status, Task
from zhenggai.web.templatetags.zhenggai_web import cndate, cndatetime, days_left, passed_days, rate, yuan


def page_of(response):
    assert response.status_code == 200, response.status_code
    return html.fromstring(response.content.decode())


def text(page, element_id):
    return " ".join(page.get_element_by_id(element_id).text_content().split())


def ids(page, xpath):
    return [int(href.rstrip("/").rsplit("/", 1)[1]) for href in page.xpath(xpath)]


@pytest.fixture
def office_client(client, world):
    client.force_login(world["users"]["office"])
    return client


@pytest.fixture
def on_day(monkeypatch):
    """Pretend the pages are looked at on `day`."""

    def set_day(day: date):
        for module in ("common", "inspection", "rounds", "task", "my_tasks"):
            monkeypatch.setattr(f"zhenggai.web.views.{module}.today", lambda: day)

    return set_day


# --- template filters ------------------------------------------------------------------------


def test_dates_rates_and_money_are_written_as_the_reports_write_them():
    assert cndate(date(2024, 3, 5)) == "2024年3月5日"
    assert cndate(None) == "—"
    assert cndatetime(timezone.make_aware(datetime(2024, 3, 5, 9, 7))) == "2024年3月5日 09:07"
    assert rate(Decimal("98.71")) == "98.71%"
    assert rate(None) == "—"
    assert days_left(5) == "还有5天" and days_left(0) == "今天到期" and days_left(-3) == "已超期3天"
    assert passed_days(-15) == "已过15天"
    assert yuan(Decimal("125000")) == "12.5万元" and yuan(Decimal("3200")) == "3,200元"


# --- the shell of every page -----------------------------------------------------------------


def test_pages_load_htmx_and_css_from_our_own_server(office_client):
    page = page_of(office_client.get(reverse("web:rounds")))
    scripts = page.xpath("//script/@src")
    assert scripts and all(src.startswith("/static/") for src in scripts)
    assert any("django_htmx/htmx-2" in src for src in scripts)
    assert page.xpath("//link[@rel='stylesheet']/@href") == ["/static/web/app.css"]
    assert page.xpath("//nav[@aria-label='主导航']") and page.xpath("//main[@id='main']")


def test_the_navigation_follows_the_role(client, world):
    client.force_login(world["users"]["responsible_own"])
    nav = text(page_of(client.get(reverse("web:my_tasks"))), "main").strip()
    assert "我的任务" in nav
    header = html.fromstring(client.get(reverse("web:my_tasks")).content.decode()).xpath("//header")[0].text_content()
    assert "我的任务" in header and "导入台账" not in header and "系统管理" not in header


# --- rounds ----------------------------------------------------------------------------------


def test_the_rounds_overview_counts_what_the_user_sees(office_client, world):
    page = page_of(office_client.get(reverse("web:rounds")))
    row = page.xpath("//table[@id='rounds']/tbody/tr")[0]
    cells = [" ".join(c.text_content().split()) for c in row.xpath("th|td")]
    # two units, five specific problems each; completed 2 of 5 in each ledger (one accepted closure too)
    assert cells[0] == "十五届县委第三轮巡察" and cells[2] == "2" and cells[3] == "10"
    assert cells[5].endswith("%")
    assert cells[7] == "1"  # one closure waiting for review


def test_a_unit_office_sees_only_its_unit_in_the_round(client, world):
    client.force_login(world["users"]["unit_office_own"])
    page = page_of(client.get(reverse("web:round", kwargs={"pk": world["a"].round_id})))
    units = [a.text_content() for a in page.xpath("//table[@id='units']/tbody/tr/th/a")]
    assert units == ["青溪县水利局党组"]


def test_the_round_page_lists_units_with_rates_and_links(office_client, world):
    url = reverse("web:round", kwargs={"pk": world["a"].round_id})
    page = page_of(office_client.get(url + "?sort=unit"))
    rows = page.xpath("//table[@id='units']/tbody/tr")
    assert [r.xpath("th/a")[0].text_content() for r in rows] == ["青溪县林业局党组", "青溪县水利局党组"]
    waiting = rows[1].xpath("td[@data-label='待审核']/a/@href")[0]
    assert waiting.endswith("?closure=requested#tasks")
    assert "反馈日期" in page.text_content() and "2024年5月20日" in page.text_content()


# --- the inspection's ledger -------------------------------------------------------------------


def test_the_ledger_header_has_the_calendar_as_countdowns(office_client, world, on_day):
    on_day(date(2024, 6, 10))
    page = page_of(office_client.get(reverse("web:inspection", kwargs={"pk": world["a"].pk})))
    countdowns = text(page, "countdowns")
    # feedback 2024-05-20: plan after 30 days, concentrated rectification 3 months, report 2 months
    assert "整改方案报送 2024年6月19日 （还有9天）" in countdowns
    assert "集中整改结束 2024年8月20日 （还有71天）" in countdowns
    assert "整改情况报告 2024年7月20日 （还有40天）" in countdowns
    assert "2024年3月4日 至 2024年4月19日" in text(page, "main")


def test_the_calendar_follows_the_committee_settings(office_client, world, on_day):
    committee = world["committee"]
    committee.report_due_months = 3
    committee.save()
    on_day(date(2024, 6, 10))
    page = page_of(office_client.get(reverse("web:inspection", kwargs={"pk": world["a"].pk})))
    assert "整改情况报告 2024年8月20日" in text(page, "countdowns")


def test_the_ledger_shows_figures_tree_results_claims_and_warnings(office_client, world):
    a = world["a"]
    Result.objects.create(
        inspection=a,
        kind=ResultKind.MONEY_RECOVERED,
        title="追回违规资金",
        amount=Decimal("12.50"),
        created_by=world["users"]["office"],
    )
    Result.objects.create(
        inspection=a, kind=ResultKind.ACCOUNTABILITY, title="问责处理", count=3, created_by=world["users"]["office"]
    )
    page = page_of(office_client.get(reverse("web:inspection", kwargs={"pk": a.pk})))
    figures = text(page, "figures")
    assert "5具体问题" in figures and "40.00%整改完成率" in figures
    assert page.get_element_by_id("completion-rate").text_content() == "40.00%"
    tree = text(page, "tree")
    assert "2个方面，5个具体问题" in tree and "河湖长制落实不扎实" in tree and "防汛物资储备管理不规范" in tree
    results = text(page, "results")
    assert "1建立、修订制度（项）" in results and "12.50万元" in results and "3问责处理（人次）" in results
    claimed = page.xpath("//section[@id='claimed']//tbody/tr")
    by_label = {r.xpath("th")[0].text_content(): [c.text_content().strip() for c in r.xpath("td")] for r in claimed}
    assert by_label["具体问题"][:1] == ["5"] and by_label["问题"][0] == "3"
    assert "differs" in claimed[1].get("class", "")  # the report claims 3 problems, the tree holds 1
    assert "第二方面第(二)项没有整改情况" in text(page, "warnings")


def test_the_tree_holds_every_task_with_its_status_and_light(office_client, world):
    page = page_of(office_client.get(reverse("web:inspection", kwargs={"pk": world["a"].pk})))
    tasks_in_tree = ids(page, "//section[@id='tree']//ul[@class='tasks']/li/a/@href")
    assert sorted(tasks_in_tree) == sorted(
        Task.objects.filter(finding__inspection=world["a"]).values_list("pk", flat=True)
    )
    closed = page.xpath(f"//section[@id='tree']//a[@href='/tasks/{world['closed'].pk}/']/..")[0].text_content()
    assert "已销号" in closed and "完成整改" in closed


def test_a_responsible_person_sees_the_tree_but_only_their_tasks(client, world):
    client.force_login(world["users"]["responsible_own"])
    page = page_of(client.get(reverse("web:inspection", kwargs={"pk": world["a"].pk})))
    mine = {world["task"].pk, world["requested"].pk, world["closed"].pk}
    assert set(ids(page, "//div[@id='task-table']//td[@data-label='措施']/a/@href")) == mine
    assert set(ids(page, "//section[@id='tree']//ul[@class='tasks']/li/a/@href")) == mine
    assert "2个方面，5个具体问题" in text(page, "tree")


def _table_ids(client, inspection, **query):
    url = reverse("web:inspection", kwargs={"pk": inspection.pk}) + "?" + urlencode(query, doseq=True)
    page = page_of(client.get(url))
    return set(ids(page, "//div[@id='task-table']//td[@data-label='措施']/a/@href")), page


def test_the_table_filters_by_status_handler_department_deadline_and_overdue(office_client, world, on_day):
    a, task, requested = world["a"], world["task"], world["requested"]
    Task.objects.filter(pk=task.pk).update(department="河湖科", deadline=date(2024, 7, 1))
    Task.objects.filter(pk=requested.pk).update(deadline=date(2024, 9, 1))
    on_day(date(2024, 8, 1))
    owner = world["users"]["responsible_own"].pk
    assert _table_ids(office_client, a, closure="requested")[0] == {requested.pk}
    assert _table_ids(office_client, a, handler=owner)[0] == {task.pk, requested.pk, world["closed"].pk}
    unassigned = _table_ids(office_client, a, handler="none")[0]
    assert len(unassigned) == 4 and task.pk not in unassigned
    assert _table_ids(office_client, a, department="河湖科")[0] == {task.pk}
    assert _table_ids(office_client, a, deadline_from="2024-08-01", deadline_to="2024-12-31")[0] == {requested.pk}
    assert _table_ids(office_client, a, overdue="on")[0] == {task.pk}
    by_status = _table_ids(office_client, a, status=Status.LONG_TERM)[0]
    assert by_status == set(
        Task.objects.filter(finding__inspection=a, status=Status.LONG_TERM).values_list("pk", flat=True)
    )
    assert _table_ids(office_client, a, q="巡河")[0] == set(
        Task.objects.filter(finding__inspection=a, finding__title__contains="巡河").values_list("pk", flat=True)
    )
    found, page = _table_ids(office_client, a, status="完成整改", department="河湖科")
    assert found == set() and "没有符合条件的任务" in text(page, "task-table")
    # the filter form shows the chosen values, so the URL is the whole state
    _, page = _table_ids(office_client, a, closure="requested", overdue="on")
    assert page.xpath("//select[@name='closure']/option[@selected]/@value") == ["requested"]
    assert page.xpath("//input[@name='overdue']/@checked")


def test_htmx_gets_only_the_table_and_keeps_the_url_shareable(office_client, world):
    url = reverse("web:inspection", kwargs={"pk": world["a"].pk}) + "?closure=requested"
    response = office_client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="task-table")
    fragment = response.content.decode()
    assert response.status_code == 200
    assert fragment.startswith('<div id="task-table">') and "<html" not in fragment
    assert f"/tasks/{world['requested'].pk}/" in fragment
    assert "HX-Request" in response["Vary"]
    form = page_of(office_client.get(url)).xpath("//form[@role='search']")[0]
    assert form.get("hx-push-url") == "true" and form.get("hx-target") == "#task-table" and form.get("method") == "get"


def test_a_history_restore_gets_the_whole_page(office_client, world):
    url = reverse("web:inspection", kwargs={"pk": world["a"].pk})
    response = office_client.get(
        url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="task-table", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


@pytest.fixture
def big_ledger(make_inspection, make_doc):
    """An inspection the size of the benchmark's: 5 aspects × 4 problems × 5 items = 100 leaves, 250 tasks."""
    doc = make_doc()
    doc.inspection.unit = "青溪县城市管理局党组"
    doc.findings = [
        DocFinding(
            f"{aspect}",
            f"第{aspect}方面",
            children=[
                DocFinding(
                    f"({problem})",
                    f"问题{aspect}-{problem}",
                    children=[
                        DocFinding(
                            f"{item}",
                            f"具体问题{aspect}-{problem}-{item}",
                            measures=[
                                f"措施{aspect}-{problem}-{item}-{m}"
                                for m in range(3 if (aspect + problem + item) % 2 else 2)
                            ],
                            status="正在推进",
                        )
                        for item in range(1, 6)
                    ],
                )
                for problem in range(1, 5)
            ],
        )
        for aspect in range(1, 6)
    ]
    return make_inspection(doc)


def test_a_big_ledger_pages_its_table_in_tree_order_with_few_queries(
    office_client, big_ledger, django_assert_max_num_queries
):
    assert Task.objects.filter(finding__inspection=big_ledger).count() == 250
    url = reverse("web:inspection", kwargs={"pk": big_ledger.pk})
    with django_assert_max_num_queries(30):
        page = page_of(office_client.get(url))
    rows = page.xpath("//div[@id='task-table']//tbody/tr")
    assert len(rows) == 50
    measures = [r.xpath("td[@data-label='措施']/a")[0].text_content() for r in rows]
    assert measures[:4] == ["措施1-1-1-0", "措施1-1-1-1", "措施1-1-1-2", "措施1-1-2-0"]
    assert "第1页，共5页" in text(page, "task-table")
    assert len(page.xpath("//section[@id='tree']//ul[@class='tasks']/li")) == 250
    assert page.xpath("//section[@id='tree']/details[not(@open)]")  # a long tree starts folded

    with django_assert_max_num_queries(15):
        response = office_client.get(
            url + "?page=5&status=正在推进", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="task-table"
        )
    fragment = html.fromstring(response.content.decode())
    assert fragment.xpath("//a[@rel='prev']/@href") == ["?page=4&status=%E6%AD%A3%E5%9C%A8%E6%8E%A8%E8%BF%9B"]
    last = [r.text_content() for r in fragment.xpath("//td[@data-label='措施']/a")]
    assert last[-1] == "措施5-4-5-1" and len(last) == 50


def test_sorting_by_deadline_puts_the_nearest_first(office_client, world):
    task, requested = world["task"], world["requested"]
    Task.objects.filter(pk=task.pk).update(deadline=date(2024, 9, 1))
    Task.objects.filter(pk=requested.pk).update(deadline=date(2024, 7, 1))
    page = page_of(office_client.get(reverse("web:inspection", kwargs={"pk": world["a"].pk}) + "?sort=deadline"))
    assert ids(page, "//div[@id='task-table']//td[@data-label='措施']/a/@href")[:2] == [requested.pk, task.pk]


def test_export_downloads_the_ledger_as_json(office_client, world):
    response = office_client.get(reverse("web:export", kwargs={"pk": world["a"].pk}))
    assert response["Content-Disposition"] == f'attachment; filename="inspection-{world["a"].pk}.ledger.json"'
    document = json.loads(response.content)
    assert document["format"] == "zhenggai.ledger/1"
    assert document["inspection"]["unit"] == "青溪县水利局党组"
    assert len(document["findings"]) == 2


def test_results_are_added_with_errors_next_to_the_fields(client, world):
    client.force_login(world["users"]["unit_office_own"])
    url = reverse("web:result_add", kwargs={"pk": world["a"].pk})
    bad = client.post(url, {"kind": "money_recovered", "title": "追回资金"})
    assert bad.status_code == 400
    assert "请填写金额" in text(page_of_any(bad), "results")
    good = client.post(url, {"kind": "money_recovered", "title": "追回资金", "amount": "3200"})
    assert good.status_code == 302 and good["Location"].endswith("#results")
    assert Result.objects.filter(inspection=world["a"], kind="money_recovered", amount=Decimal("3200")).exists()


def test_the_results_form_keeps_the_amount_as_typed_and_counts_by_kind(client, world):
    client.force_login(world["users"]["unit_office_own"])
    url = reverse("web:result_add", kwargs={"pk": world["a"].pk})
    assert client.post(url, {"kind": "loss_retrieved", "title": "挽回损失", "amount": "12.340"}).status_code == 302
    assert client.post(url, {"kind": "criticism", "title": "提醒谈话", "count": "3"}).status_code == 302
    refused = client.post(url, {"kind": "loss_retrieved", "title": "挽回损失", "amount": "12.3.4"})
    assert refused.status_code == 400 and "万元" in text(page_of_any(refused), "results")
    results = text(page_of_any(client.get(reverse("web:inspection", kwargs={"pk": world["a"].pk}))), "results")
    assert "12.340万元" in results and "批评教育/提醒谈话" in results


def page_of_any(response):
    return html.fromstring(response.content.decode())


# --- my tasks -----------------------------------------------------------------------------------


def test_my_tasks_are_grouped_by_light_overdue_first(client, world, on_day, make_inspection):
    owner = world["users"]["responsible_own"]
    on_day(date(2024, 8, 1))
    task, requested = world["task"], world["requested"]
    Task.objects.filter(pk=task.pk).update(deadline=date(2024, 7, 20))
    client.force_login(owner)
    page = page_of(client.get(reverse("web:my_tasks")))
    sections = [s.get("id") for s in page.xpath("//section")]
    assert sections == ["group-red", "group-requested", "group-closed"]
    assert ids(page, "//section[@id='group-red']//h3/a/@href") == [task.pk]
    assert ids(page, "//section[@id='group-requested']//h3/a/@href") == [requested.pk]
    quick = page.xpath("//section[@id='group-red']//form")[0]
    assert quick.get("hx-post") == f"/tasks/{task.pk}/notes/"
    assert not page.xpath("//section[@id='group-closed']//form")


def test_my_tasks_for_someone_without_tasks(client, world):
    client.force_login(world["users"]["responsible_other"])
    assert "目前没有分配给您的整改任务" in client.get(reverse("web:my_tasks")).content.decode()


def test_closed_tasks_show_no_light(client, world):
    Task.objects.filter(pk=world["closed"].pk).update(deadline=date(2020, 1, 1))
    assert Task.objects.get(pk=world["closed"].pk).closure == Closure.CLOSED
    client.force_login(world["users"]["responsible_own"])
    page = page_of(client.get(reverse("web:my_tasks")))
    assert not page.xpath("//section[@id='group-closed']//span[contains(@class, 'red')]")


def test_the_current_section_is_marked_in_the_navigation(office_client, world):
    for url, label in (
        (reverse("web:inspection", kwargs={"pk": world["a"].pk}), "巡察总览"),
        (reverse("web:import"), "导入台账"),
    ):
        page = page_of(office_client.get(url))
        assert [a.text_content() for a in page.xpath("//nav[@aria-label='主导航']//a[@aria-current='page']")] == [label]


def test_lights_are_told_in_words_not_only_colour(office_client, world, on_day):
    Task.objects.filter(pk=world["task"].pk).update(deadline=date(2024, 7, 1))
    on_day(date(2024, 8, 1))
    page = page_of(office_client.get(reverse("web:inspection", kwargs={"pk": world["a"].pk})))
    light = page.xpath(
        f"//div[@id='task-table']//a[@href='/tasks/{world['task'].pk}/']/../..//span[@class='light red']"
    )[0]
    assert light.text_content() == "红灯2024年7月1日"
