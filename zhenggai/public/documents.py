"""The approved text again as Word and PDF files, drawn by the outputs builders from the paragraphs
the revision froze — so the files always say exactly what the page says.

PDFs take LibreOffice a second or two, so each is made once and kept beside the media files.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.dateparse import parse_date

from zhenggai.outputs import Counts, ReportKind, Version
from zhenggai.outputs.compose import Block, Composed
from zhenggai.outputs.docx_gbt import to_docx
from zhenggai.outputs.pdf import docx_to_pdf, soffice
from zhenggai.public.models import Revision


def composed_of(revision: Revision) -> Composed:
    dated = revision.dated if not isinstance(revision.dated, str) else parse_date(revision.dated)
    return Composed(
        title=revision.title,
        blocks=tuple(Block(**block) for block in revision.blocks),
        publisher=revision.publisher,
        dated=dated,
        kind=ReportKind.PUBLIC,
        version=Version.PUBLIC,
        counts=Counts(**{k: v for k, v in revision.counts.items() if k in Counts.__dataclass_fields__}),
    )


def docx_of(revision: Revision) -> bytes:
    return to_docx(composed_of(revision))


def pdf_available() -> bool:
    return soffice() is not None


def pdf_of(revision: Revision) -> bytes:
    """The PDF of `revision`, made on first request and kept (revisions never change)."""
    folder = Path(settings.MEDIA_ROOT) / "public-pdf"
    target = folder / f"{revision.pk}-{revision.search_seq or 0}.pdf"
    if target.exists():
        return target.read_bytes()
    data = docx_to_pdf(docx_of(revision))
    folder.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)
    return data
