"""The pieces of the manifest that need no database: value canonicalisation, table comparison and the
advice after restoring a backup from another version."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from zhenggai.ops.restore import migration_notes
from zhenggai.ops.tables import TableDigest, differences, digest_rows


def test_equal_values_of_different_types_do_not_collide():
    variants = [[1], [1.0], ["1"], [True], [Decimal("1")], [b"1"], [None]]
    assert len({digest_rows([row]).sha256 for row in variants}) == len(variants)


def test_one_instant_in_two_time_zones_has_one_checksum():
    utc = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)
    shanghai = utc.astimezone(timezone(timedelta(hours=8)))
    assert digest_rows([[utc]]) == digest_rows([[shanghai]])


def test_row_order_matters():
    assert digest_rows([[1], [2]]) != digest_rows([[2], [1]])
    assert digest_rows([[1], [2]]).rows == 2


def test_differences_name_changed_missing_and_extra_tables():
    same = TableDigest(3, "a" * 64)
    expected = {"kept": same.as_json(), "changed": same.as_json(), "lost": same.as_json()}
    actual = {"kept": same, "changed": TableDigest(4, "b" * 64), "extra": same}
    problems = differences(expected, actual)
    assert len(problems) == 3
    assert any(p.startswith("changed(备份 3 行,恢复后 4 行)") for p in problems)
    assert any(p.startswith("lost") for p in problems) and any(p.startswith("extra") for p in problems)


def test_migration_notes_after_restoring_an_older_or_newer_backup():
    known = {("ledger", "0001_initial"), ("ledger", "0002_more")}
    older = {"migrations": {"ledger": ["0001_initial"]}, "system_version": "0.0.9"}
    newer = {"migrations": {"ledger": ["0001_initial", "0002_more", "0003_future"]}, "system_version": "0.2.0"}
    same = {"migrations": {"ledger": ["0001_initial", "0002_more"]}, "system_version": "0.1.0"}
    assert "zhenggai upgrade" in migration_notes(older, known)[0]
    assert "较新的版本(0.2.0)" in migration_notes(newer, known)[0]
    assert migration_notes(same, known) == []
