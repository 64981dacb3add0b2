"""The page of GB/T 9704-2012 (党政机关公文格式) in a python-docx document: A4, margins, the 28 × 22
character grid, the paragraph styles and the page numbers "— N —".

Word draws the 28 × 22 grid from w:docGrid (linesAndChars, linePitch 579, charSpace); LibreOffice
does not: on a character grid narrower than the 3号 glyphs it gives every character two cells. So the
paragraphs do not snap to the grid but sit on it by construction — lines exactly 28.95 pt apart and
characters condensed by a quarter point (16 − 0.25 ≤ 15.79 pt) — which gives 28 × 22 in Word, WPS and
LibreOffice alike, while Word's page setup still shows the grid the standard asks for.

The formatting lives in named paragraph styles (GB正文, GB标题, GB一级标题 …) rather than on every
paragraph, so a unit that opens the file in Word or WPS can adjust one style and the whole document
follows, and so the writer only has to emit `<w:pStyle>` and the text.
"""

from __future__ import annotations

import math

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, Twips

# Type sizes (字号) in points.
SIZE_2 = 22.0  # 2号: the title
SIZE_3 = 16.0  # 3号: the body
SIZE_4 = 14.0  # 4号: page numbers

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_LEVEL_1 = "黑体"
FONT_LEVEL_2 = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"

# 版心 156 mm × 225 mm: 28 characters a line, 22 lines a page.
TEXT_WIDTH_PT = (210 - 28 - 26) / 25.4 * 72
CHAR_PITCH_PT = TEXT_WIDTH_PT / 28  # ≈ 15.79 pt: 3号 characters set slightly closer than their size
LINE_PITCH_PT = 28.95  # 22 lines in 225 mm
LINE_PITCH_TWIPS = 579
CHAR_SPACE = round((CHAR_PITCH_PT - SIZE_3) * 4096)  # w:charSpace is in 1/4096 pt added to the 3号 size
CONDENSE = math.floor((CHAR_PITCH_PT - SIZE_3) * 20)  # w:spacing of runs in 1/20 pt: −5, so 28 fit a line


def chars(n: float) -> int:
    """`n` characters of the grid in twips (for indents)."""
    return round(n * CHAR_PITCH_PT * 20)


STYLES: dict[str, dict] = {
    # style id: name, font, size, alignment, first-line indent in characters, outline level
    "GbBody": {"name": "GB正文", "font": FONT_BODY, "indent": 2},
    "GbTitle": {"name": "GB标题", "font": FONT_TITLE, "size": SIZE_2, "align": WD_ALIGN_PARAGRAPH.CENTER},
    "GbAddressee": {"name": "GB主送机关", "font": FONT_BODY, "indent": 0},
    # Headings stay with the paragraph that follows them: never the last line of a page.
    "GbHeading1": {"name": "GB一级标题", "font": FONT_LEVEL_1, "indent": 2, "outline": 0, "keep": True},
    "GbHeading2": {"name": "GB二级标题", "font": FONT_LEVEL_2, "indent": 2, "outline": 1, "keep": True},
    "GbHeading3": {"name": "GB三级标题", "font": FONT_BODY, "indent": 2, "outline": 2, "keep": True, "bold": True},
    "GbHeading4": {"name": "GB四级标题", "font": FONT_BODY, "indent": 2, "outline": 3, "keep": True},
    "GbHeading5": {"name": "GB五级标题", "font": FONT_BODY, "indent": 2, "outline": 4, "keep": True},
    "GbSignature": {"name": "GB署名", "font": FONT_BODY, "align": WD_ALIGN_PARAGRAPH.RIGHT},
    # The in-party version's 版头 and 版记: 密级 top left in 黑体, 发文字号 centred above the red rule,
    # 抄送 and 印发 in 4号 仿宋 one character in from both sides.
    "GbMark": {"name": "GB密级", "font": FONT_LEVEL_1, "align": WD_ALIGN_PARAGRAPH.LEFT, "indent": 0},
    "GbNumber": {"name": "GB发文字号", "font": FONT_BODY, "align": WD_ALIGN_PARAGRAPH.CENTER, "indent": 0},
    "GbColophon": {"name": "GB版记", "font": FONT_BODY, "size": SIZE_4, "align": WD_ALIGN_PARAGRAPH.LEFT, "indent": 0},
    "GbPageNumber": {"name": "GB页码", "font": FONT_PAGE_NUMBER, "size": SIZE_4, "grid": False},
}


def set_fonts(rpr, name: str) -> None:
    """Name the font for every script: Word picks the East Asian font from w:eastAsia only."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
    fonts.set(qn("w:hint"), "eastAsia")


def set_up(document: Document) -> None:
    """Page, grid, styles and footers of a fresh document."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(21)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = section._sectPr.makeelement(qn("w:docGrid"), {})
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    _defaults(document)
    _line_breaking(document)
    for style_id, spec in STYLES.items():
        _style(document, style_id, spec)
    _page_numbers(document)


def _defaults(document: Document) -> None:
    """Document defaults: 3号 仿宋, Chinese language, no spacing before or after paragraphs."""
    normal = document.styles["Normal"]
    normal.font.size = Pt(SIZE_3)
    set_fonts(normal.element.get_or_add_rPr(), FONT_BODY)
    rpr_default = document.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr_default is not None:
        for old in rpr_default.findall(qn("w:lang")):
            rpr_default.remove(old)
        rpr_default.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'))
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)


# Children that must follow an element in w:pPr / w:rPr / w:settings: Word refuses files whose order
# breaks the schema.
_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
               "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")  # fmt: skip
_AFTER_AUTOSPACE = ("w:bidi", "w:adjustRightInd", "w:snapToGrid", *_AFTER_SNAP)
_AFTER_KINSOKU = (
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    *_AFTER_AUTOSPACE,
)
_AFTER_LINE_BREAKS = ("w:savePreviewPicture", "w:doNotValidateAgainstSchema", "w:saveInvalidXml",
                      "w:ignoreMixedContent", "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml",
                      "w:saveXmlDataOnly", "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags",
                      "w:alwaysMergeEmptyNamespace", "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr",
                      "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
                      "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
                      "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
                      "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags",
                      "w:decimalSymbol", "w:listSeparator")  # fmt: skip

# 避头尾 (kinsoku) for Simplified Chinese, as Word lists it: no line starts with the first set, none
# ends with the second. LibreOffice reads the same settings and the paragraphs' w:kinsoku.
NO_LINE_START = "!%),.:;?]}¢°·ˇˉ―‖’”…‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｝～￠"
NO_LINE_END = "$([{£¥·‘“〈《「『【〔〖〝﹙﹛﹝＄（．［｛￡￥"
_AFTER_OUTLINE = ("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                  "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                  "w:specVanish", "w:oMath")  # fmt: skip


def _line_breaking(document: Document) -> None:
    """The document's kinsoku characters for zh-CN (w:noLineBreaksBefore / w:noLineBreaksAfter)."""
    settings = document.settings.element
    for tag, chars_ in (("w:noLineBreaksAfter", NO_LINE_END), ("w:noLineBreaksBefore", NO_LINE_START)):
        element = settings.makeelement(qn(tag), {qn("w:lang"): "zh-CN", qn("w:val"): chars_})
        settings.insert_element_before(element, *_AFTER_LINE_BREAKS)


def _style(document: Document, style_id: str, spec: dict) -> None:
    style = document.styles.add_style(spec["name"], WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = style_id
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(spec.get("size", SIZE_3))
    style.font.bold = spec.get("bold", False)
    rpr = style.element.get_or_add_rPr()
    set_fonts(rpr, spec["font"])
    grid = spec.get("grid", True)
    if grid:
        rpr.insert_element_before(parse_xml(f'<w:spacing {nsdecls("w")} w:val="{CONDENSE}"/>'), *_AFTER_SPACING)
    fmt = style.paragraph_format
    fmt.alignment = spec.get("align", WD_ALIGN_PARAGRAPH.JUSTIFY)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = True
    fmt.keep_with_next = spec.get("keep", False)
    if grid:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PITCH_PT)
    else:
        fmt.line_spacing = 1.0
    ppr = style.element.get_or_add_pPr()
    # No extra space between Chinese and Latin text or digits, so a line holds exactly 28 characters.
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
        ppr.insert_element_before(parse_xml(f'<{name} {nsdecls("w")} w:val="0"/>'), *_AFTER_AUTOSPACE)
    # No line starts with closing punctuation (kinsoku); a comma may hang in the margin rather than
    # push the last character of a full line down (overflowPunct).
    ppr.insert_element_before(parse_xml(f'<w:kinsoku {nsdecls("w")} w:val="1"/>'), *_AFTER_KINSOKU)
    ppr.insert_element_before(parse_xml(f'<w:overflowPunct {nsdecls("w")} w:val="1"/>'), *_AFTER_KINSOKU[2:])
    ppr.insert_element_before(parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'), *_AFTER_SNAP)
    if "indent" in spec:
        ind = ppr.get_or_add_ind()
        ind.set(qn("w:firstLineChars"), str(spec["indent"] * 100))
        ind.set(qn("w:firstLine"), str(chars(spec["indent"])))
    if "outline" in spec:
        ppr.insert_element_before(
            parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{spec["outline"]}"/>'), *_AFTER_OUTLINE
        )


_PAGE_FIELD = (
    '<w:r><w:t xml:space="preserve">— </w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    "<w:r><w:t>1</w:t></w:r>"
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    '<w:r><w:t xml:space="preserve"> —</w:t></w:r>'
)


def _page_numbers(document: Document) -> None:
    """ "— N —" in 4号 宋体: odd pages on the right, even pages on the left, one character in."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    one_char = round(SIZE_4 * 20)
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["GB页码"]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if side == "right" else WD_ALIGN_PARAGRAPH.LEFT
        if side == "right":
            paragraph.paragraph_format.right_indent = Twips(one_char)
        else:
            paragraph.paragraph_format.left_indent = Twips(one_char)
        for run in parse_xml(f"<w:p {nsdecls('w')}>{_PAGE_FIELD}</w:p>"):
            paragraph._p.append(run)
