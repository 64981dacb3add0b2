"""Renderers of a fictional report: published text, Word document, government web page, Traditional mirror.

Text is the reference rendering; `to_docx_bytes` and `to_html_bytes` live in their own modules and are
re-exported here so callers need one import.
"""

from __future__ import annotations

from functools import lru_cache

from zhenggai.fiction.blocks import blocks
from zhenggai.fiction.docx_out import to_docx_bytes
from zhenggai.fiction.html_out import to_html_bytes
from zhenggai.fiction.model import STYLES, FictionalReport, TextStyle

__all__ = ["resolve_style", "to_docx_bytes", "to_html_bytes", "to_text", "to_traditional"]


def resolve_style(report: FictionalReport, style: TextStyle | str | None) -> TextStyle:
    """None: the report's own style (drawn from its seed); a name: one of `STYLES`."""
    if style is None:
        return report.style
    return STYLES[style] if isinstance(style, str) else style


def to_text(report: FictionalReport, style: TextStyle | str | None = None) -> str:
    """The report as published plain text, one paragraph a line."""
    st = resolve_style(report, style)
    lines = []
    for b in blocks(report):
        if b.role == "title" and not st.title_line:
            continue
        label = st.label(b.level, b.number) if b.level is not None and b.number is not None else ""
        indent = "" if b.role in ("title", "signature", "date") else st.indent
        lines.append(indent + label + st.content(b.text))
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """Traditional-character copy, as on mirror sites (繁體 version of a page)."""
    return _s2t().convert(text)
