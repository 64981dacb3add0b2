"""The report formats (docx, pdf, html, txt) and the ledger workbook (xlsx), registered with
`zhenggai export` like any other exporter. Report exporters take the command's report options
(`kind`, `version`, `as_of`), which is what `takes_options` tells the command."""

from __future__ import annotations

from datetime import date
from typing import Any

from zhenggai.ledger.management.exporters import Exporter, register
from zhenggai.ledger.models import Inspection

DESCRIPTIONS = {
    "docx": "整改报告 Word 文档(GB/T 9704-2012 版式)",
    "pdf": "整改报告 PDF(由 Word 文档经 LibreOffice 生成)",
    "html": "整改报告网页(公开发布用,无外部资源)",
    "txt": "整改报告纯文本",
}


def _report(fmt: str):
    def render(
        inspection: Inspection, actor: Any, *, kind: str = "public", version: str = "public", as_of: date | None = None
    ) -> bytes:
        from zhenggai.reports.render import render_report

        return render_report(inspection, actor=actor, fmt=fmt, kind=kind, version=version, as_of=as_of).data

    render.takes_options = True  # type: ignore[attr-defined]
    return render


def _workbook(inspection: Inspection, actor: Any) -> bytes:
    from zhenggai.reports.render import render_workbook

    return render_workbook(inspection, actor=actor).data


def register_formats() -> None:
    for fmt, description in DESCRIPTIONS.items():
        register(fmt, Exporter(f".{fmt}", description, _report(fmt)))
    register("xlsx", Exporter(".xlsx", "问题清单、任务清单、责任清单 Excel 工作簿", _workbook))
