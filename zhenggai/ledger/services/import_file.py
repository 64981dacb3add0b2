"""Import a file as it arrives: a report in any format the parser reads, or a `zhenggai.ledger/1` JSON
document (an export from this or another system). The API, the upload page and `zhenggai import`
all start here, so they agree on what a file is.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any, NamedTuple

from django.db.models import Count, Q

from zhenggai.ingest import IngestError, LedgerDocument, parse_bytes
from zhenggai.ingest import ledgerdoc as ld
from zhenggai.ledger.access import Action, require
from zhenggai.ledger.models import Finding, FindingKind, Inspection, Round, Task
from zhenggai.ledger.services.import_ledger import import_document
from zhenggai.org.models import Unit


def read_document(data: bytes, name: str) -> LedgerDocument:
    """The ledger document in `data`: JSON in our format as it is, anything else through the parser.

    Raises IngestError (with a Chinese message) for a file that is neither.
    """
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        try:
            parsed = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            parsed = None
        if parsed is not None:
            return _ledger_from_json(parsed)
    return parse_bytes(data, name)


def _ledger_from_json(parsed: Any) -> LedgerDocument:
    if not isinstance(parsed, dict) or parsed.get("format") != ld.FORMAT:
        raise IngestError(f"JSON 文件不是 {ld.FORMAT} 格式的台账文档", code="not_ledger")
    for part, kind in (("inspection", ld.Inspection), ("report", ld.Report)):
        section = parsed.get(part) or {}
        if not isinstance(section, dict) or any(
            section.get(f.name) is not None and not isinstance(section.get(f.name), str) for f in fields(kind)
        ):
            raise IngestError(f"台账文档的 {part} 部分格式有误(应为文字或 null)", code="bad_ledger")
    try:
        return LedgerDocument.from_dict(parsed)
    except (TypeError, ValueError, AttributeError):
        raise IngestError("台账文档的结构有误,无法读取", code="bad_ledger") from None


def import_file(data: bytes, name: str, *, round: Round, unit: Unit | None = None, actor: Any) -> Inspection:
    """Read `data` (named `name`) and import it into `round`, all or nothing; returns the new Inspection.

    Permission is checked before the file is read: parsing a large PDF costs seconds. Raises
    IngestError for an unreadable file and the import's own errors (ValidationFailed, DuplicateImport).
    """
    require(actor, Action.IMPORT, round)
    doc = read_document(data, name)
    if not doc.report.source:
        doc.report.source = name
    return import_document(doc, round=round, unit=unit, actor=actor, source_bytes=data)


class TreeCounts(NamedTuple):
    aspects: int
    items: int
    tasks: int


def tree_counts(inspection: Inspection) -> TreeCounts:
    """What an importer is told about the ledger it just made: aspects, specific problems, tasks."""
    counts = Finding.objects.filter(inspection=inspection).aggregate(
        aspects=Count("pk", filter=Q(level=1)), items=Count("pk", filter=Q(kind=FindingKind.ITEM))
    )
    tasks = Task.objects.filter(finding__inspection=inspection).count()
    return TreeCounts(counts["aspects"], counts["items"], tasks)
