"""The public version of a report, rendered once when the unit submits it and frozen in a Revision.

The text comes from the outputs builders (`zhenggai.outputs`: compose → html_page / plain), fed with
what the reports app gathers (its wording, statuses as of the date, its exemptions) when that app is
installed, else with the ledger's own export. Exempt findings never reach the composed text; the
counts cover the whole ledger, as the approved report states them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from django.apps import apps

from zhenggai.ingest.ledgerdoc import LedgerDocument
from zhenggai.ledger.models import Inspection
from zhenggai.ledger.services.import_ledger import export_document
from zhenggai.outputs import ReportContext, ReportKind, Version, compose
from zhenggai.outputs.html_page import to_html
from zhenggai.outputs.plain import to_text

Path = tuple[int, ...]
_ARTICLE = re.compile(r"<article\b[^>]*>(.*)</article>", re.S)


@dataclass(frozen=True)
class Snapshot:
    """What a Revision freezes: the text in both forms and the facts the public page shows beside it."""

    title: str
    publisher: str
    dated: date
    as_of: date
    counts: dict[str, int]
    contact: dict[str, Any]
    html: str
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    exempt: list[list[int]] = field(default_factory=list)
    exemptions: list[dict[str, Any]] = field(default_factory=list)


def render_public_version(
    inspection: Inspection, *, actor: Any, as_of: date, dated: date | None = None, exempt: frozenset[Path] = frozenset()
) -> Snapshot:
    """Compose the public version of `inspection` as of `as_of`; `exempt` adds tree paths to leave out.

    Checks, through the ledger's export service, that `actor` may read the whole ledger.
    """
    doc, ctx = _inputs(inspection, actor=actor, as_of=as_of)
    ctx = replace(
        ctx,
        kind=ReportKind.PUBLIC,
        version=Version.PUBLIC,
        dated=dated or ctx.dated,
        exempt_findings=frozenset(ctx.exempt_findings) | frozenset(exempt),
    )
    composed = compose(doc, ctx)
    sections = ctx.sections
    contact = {
        "phones": list(sections.phones) or list(doc.contact.phones),
        "emails": list(sections.emails) or list(doc.contact.emails),
        "address": sections.address or doc.contact.address or "",
    }
    return Snapshot(
        title=composed.title[:300],
        publisher=composed.publisher[:200],
        dated=composed.dated,
        as_of=as_of,
        counts={key: int(value) for key, value in asdict(composed.counts).items()},
        contact=contact,
        html=article_of(to_html(composed).decode("utf-8")),
        text=to_text(composed),
        blocks=[asdict(block) for block in composed.blocks],
        exempt=sorted(list(path) for path in ctx.exempt_findings),
        exemptions=_exemptions(inspection),
    )


def _exemptions(inspection: Inspection) -> list[dict[str, Any]]:
    """The reports app's exemptions behind what is withheld, for the reviewer (none without that app)."""
    if not apps.is_installed("zhenggai.reports"):
        return []
    from zhenggai.reports.exemptions import withheld_entries

    return withheld_entries(inspection)


def article_of(page: str) -> str:
    """The report's own markup from the builder's self-contained page (its <style> and <head> stay out)."""
    found = _ARTICLE.search(page)
    if found is None:
        raise ValueError("the outputs HTML builder returned no <article>")
    return found.group(1).strip()


def _inputs(inspection: Inspection, *, actor: Any, as_of: date) -> tuple[LedgerDocument, ReportContext]:
    if apps.is_installed("zhenggai.reports"):
        from zhenggai.reports.gather import report_inputs
        from zhenggai.reports.render import latest_draft

        draft = latest_draft(inspection, ReportKind.PUBLIC)
        return report_inputs(
            inspection, actor=actor, kind=ReportKind.PUBLIC, version=Version.PUBLIC, as_of=as_of, draft=draft
        )
    doc = export_document(inspection, actor=actor)
    return doc, ReportContext(kind=ReportKind.PUBLIC, version=Version.PUBLIC, as_of=as_of)
