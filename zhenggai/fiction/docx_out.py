"""The report as a Word document, optionally with Word automatic numbering for some levels.

With automatic numbering the labels of those levels are not in the paragraph text at all: they are
drawn by Word from numbering.xml (abstractNum levels with lvlText "%1、" / "（%1）" and numFmt
chineseCounting / decimal) and the paragraphs' w:numPr — the case where real copies lose their labels.
"""

from __future__ import annotations

import io
from dataclasses import replace

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from zhenggai.fiction.blocks import Block, blocks
from zhenggai.fiction.model import ARABIC, CHINESE, PAREN, TOP, FictionalReport, TextStyle

_FONTS = {TOP: "黑体", CHINESE: "楷体_GB2312"}
_BODY_FONT = "仿宋_GB2312"


def _lvl_text(level: int, style: TextStyle) -> tuple[str, str]:
    left, right = ("（", "）") if style.paren == "full" else ("(", ")")
    return {
        TOP: ("chineseCounting", "%1、"),
        CHINESE: ("chineseCounting", f"{left}%1{right}"),
        ARABIC: ("decimal", f"%1{style.dot}"),
        PAREN: ("decimal", f"{left}%1{right}"),
    }[level]


def _abstract_num(abstract_id: int, level: int, style: TextStyle):
    fmt, text = _lvl_text(level, style)
    return parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:suff w:val="nothing"/>'
        '<w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl></w:abstractNum>'
    )


class _Numbering:
    """Creates list instances: one per run of consecutive siblings, starting at the first's number."""

    def __init__(self, document, levels: tuple[int, ...], style: TextStyle):
        self.root = document.part.numbering_part.element
        ids = [int(x) for x in self.root.xpath("./w:abstractNum/@w:abstractNumId")]
        first = max(ids, default=-1) + 1
        self.abstract = {}
        anchor = self.root.xpath("./w:abstractNum")
        position = self.root.index(anchor[-1]) + 1 if anchor else 0
        for i, level in enumerate(levels):
            self.abstract[level] = first + i
            self.root.insert(position + i, _abstract_num(first + i, level, style))
        self.open: dict[int, tuple[int, int]] = {}  # level -> (numId, last number)

    def num_id(self, level: int, number: int) -> int:
        current = self.open.get(level)
        if current and current[1] + 1 == number:
            num_id = current[0]
        else:
            num = self.root.add_num(self.abstract[level])
            num.add_lvlOverride(ilvl=0).add_startOverride(number)
            num_id = num.numId
        self.open[level] = (num_id, number)
        return num_id

    def close_below(self, level: int) -> None:
        """A heading of `level` ends the runs of every deeper level."""
        for deeper in [lv for lv in self.open if lv > level]:
            del self.open[deeper]


def _set_font(run, name: str, size: float) -> None:
    run.font.size = Pt(size)
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def to_docx_bytes(report: FictionalReport, auto_numbering: bool = True, style: TextStyle | None = None) -> bytes:
    """A .docx of the report. Levels in `report.auto_levels` are numbered by Word when `auto_numbering`."""
    st = replace(style or report.style, lost_levels=())
    document = Document()
    auto = report.auto_levels if auto_numbering else ()
    numbering = _Numbering(document, auto, st) if auto else None
    for b in blocks(report):
        _paragraph(document, b, st, auto, numbering)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraph(document, b: Block, st: TextStyle, auto: tuple[int, ...], numbering: _Numbering | None) -> None:
    p = document.add_paragraph()
    text = st.content(b.text)
    if b.level is not None and b.number is not None:
        if numbering:
            numbering.close_below(b.level)
        if b.level in auto and numbering:
            num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = numbering.num_id(b.level, b.number)
        else:
            text = st.typed_label(b.level, b.number) + text
    font = _FONTS.get(b.level, _BODY_FONT) if b.role in ("heading", "aspect") else _BODY_FONT
    size = 16
    if b.role == "title":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        font, size = "方正小标宋简体", 22
    elif b.role in ("signature", "date"):
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        p.paragraph_format.first_line_indent = Pt(32)
    _set_font(p.add_run(text), font, size)
