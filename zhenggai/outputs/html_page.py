"""The public report as a self-contained web page: semantic HTML, no scripts, fonts or files from outside.

Government sites run on intranets and publish by pasting or uploading a page, so everything the page
needs is inline: the text with its labels written out (copy and paste keeps the numbering), nested
<section>s by heading level, and a print stylesheet that sets the page as GB/T 9704 does.
"""

from __future__ import annotations

from html import escape

from zhenggai.outputs.compose import Composed

_SERIF = '"仿宋_GB2312", "仿宋", FangSong, STFangsong, FandolFang, "Noto Serif CJK SC", "Source Han Serif SC", serif'
# 4号 宋体 page numbers, "— N —" on the outside edges (odd pages right), as the .docx has them.
_PAGE_NUMBER = 'font: 14pt "宋体", SimSun, "Noto Serif CJK SC", serif; vertical-align: top;'
_CSS = f"""
:root {{ color-scheme: light; }}
body {{ margin: 0; background: #f4f4f4; color: #111; }}
.report {{ max-width: 44em; margin: 2rem auto; padding: 3rem 3.5rem; background: #fff;
  font: 1.125rem/1.9 {_SERIF}; text-align: justify; line-break: strict; }}
.report h1 {{ font: 700 1.6rem/1.5 "方正小标宋简体", "小标宋", "Noto Serif CJK SC", serif; text-align: center;
  margin: 0 0 1.5em; }}
.report h2, .report h3, .report h4, .report h5, .report h6, .report p {{ font-size: 1em; margin: 0;
  text-indent: 2em; }}
.report h2 {{ font-family: "黑体", SimHei, FandolHei, "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; font-weight: 400; }}
.report h3 {{ font-family: "楷体_GB2312", "楷体", KaiTi, STKaiti, FandolKai, {_SERIF}; font-weight: 400; }}
.report h4 {{ font-weight: 700; }}
.report h5, .report h6 {{ font-weight: 400; }}
.report .addressee {{ text-indent: 0; }}
.report .signature, .report .dated {{ text-align: right; text-indent: 0; padding-right: 2em; }}
.report .signature {{ margin-top: 1.9em; }}
.report .withheld {{ color: #555; }}
.report .mark, .report .number, .report .copy_to, .report .issued {{ text-indent: 0; }}
.report .number {{ text-align: center; border-bottom: 2px solid #c00; padding-bottom: .5em; margin-bottom: 1.5em; }}
.report .copy_to {{ margin-top: 2em; border-top: 1px solid #111; border-bottom: 1px solid #111; }}
.report .issued {{ border-bottom: 1px solid #111; }}
@media print {{
  @page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
  body {{ background: none; }}
  .report {{ max-width: none; margin: 0; padding: 0; font-size: 16pt; line-height: 28.95pt; }}
  .report h1 {{ font-size: 22pt; line-height: 28.95pt; margin-bottom: 28.95pt; }}
  .report h2, .report h3, .report h4, .report h5 {{ break-after: avoid; break-inside: avoid; }}
  .report p {{ orphans: 2; widows: 2; }}
  @page :right {{ @bottom-right {{ content: "— " counter(page) " —"; {_PAGE_NUMBER} margin-right: 14pt; }} }}
  @page :left {{ @bottom-left {{ content: "— " counter(page) " —"; {_PAGE_NUMBER} margin-left: 14pt; }} }}
}}
"""


def to_html(composed: Composed) -> bytes:
    """The UTF-8 bytes of the page."""
    body: list[str] = []
    open_levels: list[int] = []
    for block in composed.blocks:
        text = escape(block.full_text)
        if block.role == "heading":
            while open_levels and open_levels[-1] >= block.level:
                open_levels.pop()
                body.append("</section>")
            open_levels.append(block.level)
            tag = f"h{min(block.level + 1, 6)}"
            body.append(f"<section>\n<{tag}>{text}</{tag}>")
            continue
        if block.role in ("signature", "title", "mark", "number"):
            while open_levels:
                open_levels.pop()
                body.append("</section>")
        if block.role == "title":
            body.append(f"<h1>{text}</h1>")
        elif block.role == "date":
            body.append(f'<p class="dated"><time datetime="{composed.dated.isoformat()}">{text}</time></p>')
        elif block.role in ("signature", "addressee", "measure", "status", "mark", "number", "copy_to", "issued"):
            body.append(f'<p class="{block.role}">{text}</p>')
        elif text.startswith(("另有", "已公开问题中另有")):
            body.append(f'<p class="withheld">{text}</p>')
        else:
            body.append(f"<p>{text}</p>")
    body += ["</section>"] * len(open_levels)
    page = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(composed.title)}</title>\n"
        f'<meta name="author" content="{escape(composed.publisher)}">\n'
        f"<style>{_CSS}</style>\n</head>\n<body>\n"
        '<article class="article-content report">\n' + "\n".join(body) + "\n</article>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")
