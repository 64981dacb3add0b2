"""Export formats for `zhenggai export`, by name. A format is a suffix and a function to bytes;
the printable report and the Excel ledger register here when they come, and the command's
`--format` choices follow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from zhenggai.ledger.models import Inspection
from zhenggai.ledger.services.import_ledger import export_document


class Exporter(NamedTuple):
    suffix: str
    description: str
    render: Callable[[Inspection, Any], bytes]


def _ledger_json(inspection: Inspection, actor: Any) -> bytes:
    return (export_document(inspection, actor=actor).to_json(indent=2) + "\n").encode("utf-8")


EXPORTERS: dict[str, Exporter] = {
    "json": Exporter(".json", "zhenggai.ledger/1 台账交换格式", _ledger_json),
}


def register(name: str, exporter: Exporter) -> None:
    EXPORTERS[name] = exporter
