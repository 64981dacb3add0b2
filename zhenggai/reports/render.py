"""One entry point for every download: a report in a format, or the ledger workbook, as bytes with a name.

Views, the `zhenggai export` command and the benchmark all call `render_report` / `render_workbook`,
so they agree on what a file contains and what it is called; each rendering is written to the
history (who took which version of what, as of when).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from zhenggai.ledger.history import record
from zhenggai.ledger.models import Inspection
from zhenggai.outputs import Composed, ReportContext, ReportKind, Version, compose
from zhenggai.outputs.docx_gbt import to_docx
from zhenggai.outputs.html_page import to_html
from zhenggai.outputs.pdf import docx_to_pdf
from zhenggai.outputs.plain import to_text_bytes
from zhenggai.reports.gather import report_inputs
from zhenggai.reports.ledger_xlsx import ledger_workbook
from zhenggai.reports.models import ReportDraft

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
REPORT_FORMATS = ("docx", "pdf", "html", "txt")
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class Rendered:
    data: bytes
    filename: str
    content_type: str


def latest_draft(inspection: Inspection, kind: str) -> ReportDraft | None:
    """The approved draft of that kind if there is one, else the newest."""
    drafts = ReportDraft.objects.filter(inspection=inspection, kind=kind)
    return (
        drafts.filter(state=ReportDraft.State.APPROVED).order_by("-approved_at", "-pk").first()
        or drafts.order_by("-created_at", "-pk").first()
    )


def filename(inspection: Inspection, *parts: str, suffix: str) -> str:
    name = "-".join([inspection.unit_name or inspection.unit.name, *parts])
    return _UNSAFE.sub("_", name)[:120] + "." + suffix


def compose_report(
    inspection: Inspection, *, actor: Any, kind: ReportKind, version: Version, as_of: date, draft: ReportDraft | None
) -> tuple[Composed, ReportContext]:
    """The paragraphs of the report (and the context they came from), without recording anything."""
    doc, ctx = report_inputs(inspection, actor=actor, kind=kind, version=version, as_of=as_of, draft=draft)
    return compose(doc, ctx), ctx


def render_report(
    inspection: Inspection,
    *,
    actor: Any,
    fmt: str,
    kind: str = ReportKind.PUBLIC,
    version: str = Version.PUBLIC,
    as_of: date | None = None,
    draft: ReportDraft | None = None,
) -> Rendered:
    """The report of `inspection` in `fmt` (docx, pdf, html, txt). With a draft, its kind, wording and
    date; without, the latest draft of `kind`, else the generated wording as of `as_of` (today)."""
    if fmt not in REPORT_FORMATS:
        raise ValueError(f"unknown report format {fmt}")
    kind, version = ReportKind(draft.kind if draft else kind), Version(version)
    if draft is None:
        draft = latest_draft(inspection, kind)
    day = as_of or (draft.as_of if draft else timezone.localdate())
    composed, _ = compose_report(inspection, actor=actor, kind=kind, version=version, as_of=day, draft=draft)
    if fmt == "txt":
        data = to_text_bytes(composed)
    elif fmt == "html":
        data = to_html(composed)
    else:
        data = to_docx(composed)
        if fmt == "pdf":
            data = docx_to_pdf(data)
    record(
        actor=actor,
        action="report_exported",
        obj=draft,
        object_type="reportdraft" if draft else "inspection",
        inspection=inspection,
        after={"format": fmt, "kind": kind.value, "version": version.value, "as_of": day},
    )
    name = filename(inspection, kind.label, version.label.replace("(全文)", ""), day.isoformat(), suffix=fmt)
    return Rendered(data, name, CONTENT_TYPES[fmt])


def render_workbook(inspection: Inspection, *, actor: Any) -> Rendered:
    day = timezone.localdate()
    data = ledger_workbook(inspection, actor=actor, as_of=day)
    record(actor=actor, action="ledger_exported", obj=inspection, inspection=inspection, after={"format": "xlsx"})
    return Rendered(data, filename(inspection, "整改台账", day.isoformat(), suffix="xlsx"), CONTENT_TYPES["xlsx"])
