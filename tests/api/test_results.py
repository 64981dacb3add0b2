"""Results through the API: an amount in 万元 comes back exactly as sent (its decimals included), each kind
of accountability is a count, and an amount that is not plain 万元 is refused in Chinese, storing nothing."""

from __future__ import annotations

import pytest

from zhenggai.ledger.models import Result

URL = "/api/v1/inspections/{}/results"


@pytest.mark.parametrize("amount", ["12.345", "0.50", "7"])
def test_an_amount_comes_back_exactly_as_sent(world, amount):
    body = {"kind": "money_returned", "title": "退缴违规资金", "amount": amount}
    created = world.call("unit_own", "POST", URL.format(world.a.pk), json_body=body)
    assert created.status_code == 201 and created.json()["amount"] == amount
    listed = world.call("unit_own", "GET", URL.format(world.a.pk)).json()
    assert [r["amount"] for r in listed if r["kind"] == "money_returned"] == [amount]


def test_accountability_is_recorded_by_kind_as_a_count(world):
    body = {"kind": "admonition", "title": "采砂监管不力问题", "count": 2}
    assert world.call("unit_own", "POST", URL.format(world.a.pk), json_body=body).status_code == 201
    missing = world.call("unit_own", "POST", URL.format(world.a.pk), json_body={"kind": "discipline", "title": "x"})
    assert missing.status_code in (400, 422) and "人次" in missing.content.decode()


@pytest.mark.parametrize("amount", ["1e3", "12.1234567", "-1"])
def test_an_amount_that_is_not_plain_wan_yuan_is_refused(world, amount):
    before = Result.objects.count()
    body = {"kind": "loss_retrieved", "title": "挽回损失", "amount": amount}
    refused = world.call("unit_own", "POST", URL.format(world.a.pk), json_body=body)
    assert refused.status_code in (400, 422) and "万元" in refused.content.decode()
    assert Result.objects.count() == before
