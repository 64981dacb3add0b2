"""A report the parser reads without finding one specific problem, and the empty inspection that such a
report became before empty imports were refused (the state an older database may still hold)."""

from __future__ import annotations

import hashlib

EMPTY_REPORT = """中共青溪县水利局党组关于县委第二巡察组巡察反馈意见整改情况的通报

根据县委统一部署，2024年3月至5月，县委第二巡察组对县水利局党组进行了巡察，并于2024年6月10日反馈了巡察意见。
局党组高度重视，认真抓好整改落实。现将整改情况公布如下。

巡察反馈的问题均已整改到位，具体情况略。

欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0000-0000000。
""".encode()


def legacy_empty_inspection(*, round, unit, source: bytes, actor):
    """What the old import made of a report whose problems the parser missed: an inspection holding the
    report's hash and no finding, with its history entry."""
    from zhenggai.ledger.history import record
    from zhenggai.ledger.models import Inspection
    from zhenggai.ledger.services.import_ledger import tree_fingerprint

    inspection = Inspection.objects.create(
        round=round,
        unit=unit,
        source_name="report.txt",
        source_sha256=hashlib.sha256(source).hexdigest(),
        tree_sha256=tree_fingerprint([]),
        created_by=actor,
    )
    record(actor=actor, action="imported", obj=inspection, inspection=inspection, after={"findings": 0, "tasks": 0})
    return inspection
