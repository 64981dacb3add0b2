"""The one reader of query strings and path ids (zhenggai/params.py), and what pages do with a bad value:
a list page ignores the filter and says so, a download refuses with 400, a path id past bigint is a 404."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import QueryDict

from zhenggai.params import MAX_ID, IdConverter, Query, identifier, integer, iso_date

NOT_NUMBERS = ["²", "١٢", "１２", "1e5", "1.5", "0x10", "+1", "1_000", "", " ", "\x00", "' OR 1=1 --", "x" * 300]


@pytest.mark.parametrize("raw", NOT_NUMBERS)
def test_only_ascii_digits_are_a_number(raw):
    assert "²".isdigit() and "١٢".isdigit()  # why str.isdigit() is not the test
    assert integer(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("7", 7), (" 7 ", 7), ("0", None), ("-1", None), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None)],
)
def test_an_id_is_positive_and_fits_the_databases_bigint(raw, expected):
    assert identifier(raw) == expected


def test_integer_bounds_and_signs():
    assert integer("-3", low=-5) == -3
    assert integer("-3") is None
    assert integer("99999999999999999999999") is None
    assert integer("12", high=10) is None


@pytest.mark.parametrize(
    "raw", ["2026-02-30", "0000-00-00", "2024-1-5", "20240105", "2024-01-05T00:00", "２０２４-01-05"]
)
def test_a_date_exists_and_is_written_iso(raw):
    assert iso_date(raw) is None
    assert iso_date("2024-02-29") == date(2024, 2, 29)


def test_the_reader_ignores_a_bad_value_and_says_which():
    query = Query(QueryDict("unit=²&round=99999999999999999999999&status=nonsense&team=&as_of=2026-02-30&q=a%00b"))
    assert query.id("unit", "单位") is None
    assert query.id("round", "轮次") is None
    assert query.choice("status", "整改状态", ["open"]) is None
    assert query.id("team", "巡察组") is None  # empty: no filter, no note
    assert query.date("as_of", "截至日期") is None
    assert query.text("q") == "ab"
    assert query.notes == [
        "筛选条件“单位”的值无效，已忽略",
        "筛选条件“轮次”的值无效，已忽略",
        "筛选条件“整改状态”的值无效，已忽略",
        "筛选条件“截至日期”的值无效，已忽略",
    ]


def test_the_path_converter_refuses_ids_past_bigint():
    converter = IdConverter()
    assert converter.to_python("42") == 42
    for raw in ("0", str(MAX_ID + 1), "99999999999999999999999"):
        with pytest.raises(ValueError):
            converter.to_python(raw)


# --- pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["99999999999999999999999", "²", "-1", "\x00"])
def test_the_public_list_ignores_a_bad_unit_and_says_so(client, world, value):
    response = client.get("/gongkai/reports/", {"unit": value})
    assert response.status_code == 200
    text = response.content.decode()
    assert "筛选条件“单位”的值无效，已忽略" in text
    assert world["report"].title in text  # the filter is ignored: every published report is listed


@pytest.mark.django_db
def test_the_task_list_ignores_a_bad_filter_and_keeps_the_good_ones(client, world):
    client.force_login(world["users"]["office"])
    a = world["a"]
    response = client.get(
        "/oversight/tasks/", {"unit": "²", "inspection": str(a.pk), "round": "99999999999999999999999"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "筛选条件“单位”的值无效，已忽略" in text and "筛选条件“轮次”的值无效，已忽略" in text
    assert f"inspection={a.pk}" in text  # the valid filter stays in the page's links


@pytest.mark.django_db
def test_a_download_with_a_bad_value_is_refused_with_400(client, world):
    client.force_login(world["users"]["office"])
    pk = world["a"].pk
    for query in ({"as_of": "2026-02-30"}, {"draft": "²"}, {"draft": "99999999999999999999999"}, {"fmt": "exe"}):
        response = client.get(f"/inspections/{pk}/reports/download/", query)
        assert response.status_code == 400, query
        assert "下载参数有误" in response.content.decode()
        assert "<h1>请求有误</h1>" in response.content.decode()
    response = client.get("/oversight/tasks.csv", {"unit": "99999999999999999999999"})
    assert response.status_code == 400
    assert "筛选条件“单位”的值无效，已忽略" in response.content.decode()
    assert "<h1>请求有误</h1>" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/gongkai/reports/{}/", "/inspections/{}/", "/oversight/rounds/{}/", "/tasks/{}/"])
def test_an_id_past_bigint_in_the_path_is_a_404(client, world, path):
    client.force_login(world["users"]["office"])
    for value in ("99999999999999999999999", "9223372036854775808", "0"):
        assert client.get(path.format(value)).status_code == 404


@pytest.mark.django_db
def test_a_command_reads_a_round_like_a_superscript_as_a_name(make_round):
    """The command line's `--round ²` was int()-ed after str.isdigit() said yes: a traceback."""
    from zhenggai.ledger.management.base import find_round

    round_ = make_round()
    assert find_round(str(round_.pk)) == round_
    assert find_round("²") is None
    assert find_round("99999999999999999999999") is None


def test_every_id_in_a_path_uses_the_bounded_converter():
    """`<int:pk>` would let a number past bigint reach the database; new patterns use `<id:pk>`."""
    from tests.support.fuzz import routes

    plain = [route for route in routes() if "<int:" in route and not route.startswith("api/")]
    assert plain == []


@pytest.mark.django_db
def test_a_name_of_only_nul_is_refused_with_a_message_not_a_database_error(client, world):
    """PostgreSQL refuses NUL in text: the rename form's value is cleaned before it reaches the service."""
    client.force_login(world["users"]["office"])
    unit = world["a"].unit
    response = client.post(f"/manage/units/{unit.pk}/rename/", {"name": "\x00"}, follow=True)
    assert response.status_code == 200
    assert "请填写单位名称" in response.content.decode()
    unit.refresh_from_db()
    assert unit.name == "青溪县水利局党组"
