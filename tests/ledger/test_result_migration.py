"""Migration 0006 splits the old result kinds and turns amounts in 元 into the same amount in 万元, digit for
digit; going back restores the old kinds and 元."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from tests.support.migrations import migrate_to, migrate_to_latest
from zhenggai.ledger.models import Result, ResultKind

BEFORE, AFTER = ("ledger", "0005_task_handler_name"), ("ledger", "0006_result_kinds_exact_amounts")


def migrate(target):
    migrate_to(target)
    if target == AFTER:
        migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_old_rows_map_onto_the_new_kinds(make_inspection, office):
    inspection = make_inspection()
    rows = {
        "money": Result.objects.create(
            inspection=inspection, kind=ResultKind.MONEY_RECOVERED, title="追缴", amount="1.250050", created_by=office
        ),
        "rule": Result.objects.create(
            inspection=inspection, kind=ResultKind.RULE_REVISED, title="制度", created_by=office
        ),
        "people": Result.objects.create(
            inspection=inspection, kind=ResultKind.ADMONITION, title="问责", count=2, created_by=office
        ),
    }
    try:
        migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, kind, amount FROM ledger_result ORDER BY id")
            old = {pk: (kind, amount) for pk, kind, amount in cursor.fetchall()}
        assert old[rows["money"].pk][0] == "money" and Decimal(str(old[rows["money"].pk][1])) == Decimal("12500.50")
        assert old[rows["rule"].pk][0] == "rule" and old[rows["people"].pk][0] == "accountability"
    finally:
        migrate(AFTER)
    money, rule, people = (Result.objects.get(pk=rows[k].pk) for k in ("money", "rule", "people"))
    # the same value (SQLite keeps a decimal column as a number, so a trailing zero may not survive the old column)
    assert money.kind == ResultKind.MONEY_RECOVERED and money.amount == Decimal("1.250050")
    assert rule.kind == ResultKind.RULE_NEW and (people.kind, people.count) == (ResultKind.ACCOUNTABILITY, 2)
