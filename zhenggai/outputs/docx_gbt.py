"""The report as a .docx laid out to GB/T 9704-2012, ready to print or to sign and upload.

The paragraphs are emitted as one XML fragment that refers to the styles of `docx_layout`, which is
much faster than python-docx's per-paragraph API on a report of several hundred findings.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, time
from itertools import combinations, pairwise
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from zhenggai.outputs.compose import Block, Composed
from zhenggai.outputs.docx_layout import CONDENSE, SIZE_2, TEXT_WIDTH_PT, chars, set_up

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HEADING_STYLE = {1: "GbHeading1", 2: "GbHeading2", 3: "GbHeading3", 4: "GbHeading4"}
_STYLE = {
    "title": "GbTitle",
    "addressee": "GbAddressee",
    "para": "GbBody",
    "measure": "GbBody",
    "status": "GbBody",
    "item": "GbBody",
    "signature": "GbSignature",
    "date": "GbSignature",
    "mark": "GbMark",
}
# 版记 rules (GB/T 9704-2012 7.4.1): the first and last 0.35 mm, those between 0.25 mm (w:sz in 1/8 pt).
_THICK, _THIN = 8, 6
_RED_RULE = '<w:pBdr><w:bottom w:val="single" w:sz="16" w:space="8" w:color="FF0000"/></w:pBdr>'


def _rules(top: int | None, bottom: int) -> str:
    edges = [("top", top), ("bottom", bottom)]
    lines = "".join(
        f'<w:{side} w:val="single" w:sz="{size}" w:space="1" w:color="000000"/>' for side, size in edges if size
    )
    return f"<w:pBdr>{lines}</w:pBdr>"


def _text(value: str) -> str:
    return escape(_CONTROL.sub("", value))


def _paragraph(style: str, text: str, extra: str = "") -> str:
    run = f'<w:r><w:t xml:space="preserve">{_text(text)}</w:t></w:r>' if text else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>{run}</w:p>'


def _width(text: str) -> float:
    """Width in grid characters: ASCII (digits of a date) takes half a character."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def signature_indents(signature: str, dated: str) -> tuple[float, float]:
    """Right indents (in characters) of the signature and the date, by GB/T 9704-2012 7.3.5.1: the
    signature two characters from the right, the date starting two characters right of the
    signature's start; a date longer than that keeps two characters and pushes the signature left."""
    ls, ld = _width(signature), _width(dated)
    if ls - ld >= 2:
        return 2.0, ls - ld
    return 4.0 + ld - ls, 2.0


TITLE_PITCH_PT = SIZE_2 + CONDENSE / 20  # a 2号 character, condensed like the rest
TITLE_CHARS = int(TEXT_WIDTH_PT // TITLE_PITCH_PT)  # 20 in a line of 156 mm
_BREAK_AFTER = ("党组", "党委", "党工委", "委员会", "关于", "巡察组", "巡视组", "整改")
_SHAPE_PENALTY = 4
_BREAK_BEFORE = ("关于", "巡察反馈", "巡视反馈", "巡察整改", "整改")


def title_lines(title: str) -> list[str]:
    """Where a long title breaks (GB/T 9704-2012 7.3.3: 回行时词意完整, 排列对称, 长短适宜, in a
    trapezoid or a diamond): at word boundaries, in as few lines as possible, as even as possible,
    lines that grow downwards or bulge in the middle counting four characters more even than others;
    [title] when it fits one line or no break fits."""
    if _width(title) <= TITLE_CHARS:
        return [title]
    cuts = {m.end() for word in _BREAK_AFTER for m in re.finditer(word, title)}
    cuts |= {m.start() for word in _BREAK_BEFORE for m in re.finditer(word, title)}
    cuts = sorted(c for c in cuts if 0 < c < len(title))
    for breaks in (1, 2):
        best = None
        for combo in combinations(cuts, breaks):
            lines = [title[a:b] for a, b in pairwise((0, *combo, len(title)))]
            widths = [_width(line) for line in lines]
            if max(widths) > TITLE_CHARS:
                continue
            growing = all(a <= b for a, b in pairwise(widths))
            diamond = len(widths) == 3 and widths[1] >= max(widths[0], widths[2])
            score = max(widths) - min(widths) + (0 if growing or diamond else _SHAPE_PENALTY)
            if best is None or score < best[0]:
                best = (score, lines)
        if best:
            return best[1]
    return [title]


def _title(title: str) -> str:
    """The title with a line break (w:br) where `title_lines` chose; centred, so the lines are symmetric."""
    runs = "<w:r><w:br/></w:r>".join(
        f'<w:r><w:t xml:space="preserve">{_text(line)}</w:t></w:r>' for line in title_lines(title)
    )
    return f'<w:p><w:pPr><w:pStyle w:val="GbTitle"/></w:pPr>{runs}</w:p>'


def _body(composed: Composed) -> str:
    parts: list[str] = []
    sign_indent, date_indent = 2.0, 2.0
    signature = next((b.text for b in composed.blocks if b.role == "signature"), "")
    dated = next((b.text for b in composed.blocks if b.role == "date"), "")
    if signature and dated:
        sign_indent, date_indent = signature_indents(signature, dated)
    has_copy_to = any(b.role == "copy_to" for b in composed.blocks)
    for block in composed.blocks:
        if block.role == "copy_to":
            parts += [_paragraph("GbBody", ""), _colophon(block, _THICK, _THIN)]
        elif block.role == "issued":
            blank = [] if has_copy_to else [_paragraph("GbBody", "")]
            parts += [*blank, _colophon(block, None if has_copy_to else _THICK, _THICK)]
        else:
            parts += _block(block, sign_indent, date_indent)
    return "".join(parts)


def _colophon(block: Block, top: int | None, bottom: int) -> str:
    """A line of the 版记 between its rules; 印发机关 on the left and 印发日期 against the right edge."""
    one = chars(1)
    ind = f'<w:ind w:left="{one}" w:right="{one}" w:firstLine="0" w:firstLineChars="0"/>'
    keep = "<w:keepNext/>" if block.role == "copy_to" else ""  # the 版记 is never split across pages
    if block.role != "issued" or not block.label:
        return _paragraph("GbColophon", block.full_text, keep + _rules(top, bottom) + ind)
    stop = round(TEXT_WIDTH_PT * 20) - 2 * one
    tabs = f'<w:tabs><w:tab w:val="right" w:pos="{stop}"/></w:tabs>'
    runs = (
        f'<w:r><w:t xml:space="preserve">{_text(block.label.strip())}</w:t></w:r><w:r><w:tab/></w:r>'
        f'<w:r><w:t xml:space="preserve">{_text(block.text)}</w:t></w:r>'
    )
    return f'<w:p><w:pPr><w:pStyle w:val="GbColophon"/>{_rules(top, bottom)}{tabs}{ind}</w:pPr>{runs}</w:p>'


def _block(block: Block, sign_indent: float, date_indent: float) -> list[str]:
    if block.role == "title":
        return [_title(block.text), _paragraph("GbBody", "")]  # 标题下空一行
    if block.role == "number":  # 发文字号 above the red rule, the title below it after a blank line
        return [_paragraph("GbNumber", block.text, _RED_RULE), _paragraph("GbBody", "")]
    if block.role == "heading":  # the heading styles keep a heading with what follows it
        return [_paragraph(_HEADING_STYLE.get(block.level, "GbHeading4"), block.full_text)]
    if block.role in ("signature", "date"):
        indent = sign_indent if block.role == "signature" else date_indent
        ind = f'<w:ind w:right="{chars(indent)}" w:rightChars="{round(indent * 100)}"/>'
        blank = [_paragraph("GbBody", "")] if block.role == "signature" else []  # 正文下空一行
        return [*blank, _paragraph("GbSignature", block.text, ind)]
    return [_paragraph(_STYLE.get(block.role, "GbBody"), block.full_text)]


def to_docx(composed: Composed) -> bytes:
    """The .docx bytes of the composed report."""
    document = Document()
    set_up(document)
    body = document.element.body
    for old in list(body):
        if old.tag != qn("w:sectPr"):
            body.remove(old)
    fragment = parse_xml(f"<w:body {nsdecls('w')}>{_body(composed)}</w:body>")
    section = body.find(qn("w:sectPr"))
    for paragraph in list(fragment):
        section.addprevious(paragraph)
    props = document.core_properties
    props.title = composed.title
    props.author = props.last_modified_by = composed.publisher
    props.comments = props.keywords = props.subject = props.category = ""
    props.created = props.modified = datetime.combine(composed.dated, time(9))
    props.revision = 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
