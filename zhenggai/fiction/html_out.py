"""The report as a page of a fictional government site: navigation, breadcrumb, headline, the info line
(发布时间 / 来源 / 字号 大 中 小 / 打印本页), the article in div.TRS_Editor, share buttons and a footer
with a site code (网站标识码) and an ICP line — the chrome an HTML reader has to see past.
"""

from __future__ import annotations

import random
from html import escape

from zhenggai.fiction import vocabulary as V
from zhenggai.fiction.blocks import blocks
from zhenggai.fiction.model import FictionalReport, TextStyle

_INDENTS = ('<p style="text-indent: 2em;">{}</p>', "<p>&nbsp;&nbsp;&nbsp;&nbsp;{}</p>", "<p>\u3000\u3000{}</p>")
_CSS = (
    "body{font-family:'Microsoft YaHei',sans-serif;margin:0;color:#333}"
    ".head{background:#a40f14;color:#fff;font-size:32px;padding:24px 60px}"
    ".nav a{display:inline-block;padding:0 20px;line-height:44px;color:#fff}.nav{background:#7d0b0f}"
    ".crumb,.main{width:1100px;margin:0 auto}.crumb{line-height:40px;color:#666}"
    ".main h1{text-align:center;font-size:26px}.info{text-align:center;color:#999;font-size:14px}"
    ".TRS_Editor p{font-size:16px;line-height:2em}.foot{background:#eee;text-align:center;font-size:13px;line-height:26px}"
)


def to_html_bytes(
    report: FictionalReport, encoding: str = "utf-8", style: TextStyle | None = None, traditional: bool = False
) -> bytes:
    """The page, encoded as declared in its meta charset ("utf-8" or "gbk")."""
    st = style or report.style
    rng = random.Random(report.seed)
    paragraphs = []
    for b in blocks(report):
        if b.role == "title":
            continue
        label = st.label(b.level, b.number) if b.level is not None and b.number is not None else ""
        text = escape(label + st.content(b.text))
        if b.role in ("heading", "aspect") or (b.role == "problem" and rng.random() < 0.5):
            text = f"<strong>{text}</strong>"
        if b.role in ("signature", "date"):
            paragraphs.append(f'<p style="text-align: right;">{text}</p>')
        else:
            paragraphs.append(rng.choice(_INDENTS).format(text))
    site = escape(report.site)
    title = escape(st.content(report.title))
    code = f"{rng.randint(10, 99)}{rng.randint(0, 99_999_999):08d}"
    icp = f"{rng.choice(V.ICP_PREFIXES)}ICP备{rng.randint(10_000_000, 99_999_999)}号-{rng.randint(1, 3)}"
    nav = "".join(f'<a href="/c{i}/">{n}</a>' for i, n in enumerate(V.NAV))
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={encoding}">
<title>{title}-{site}</title>
<meta name="SiteName" content="{site}">
<meta name="SiteIDCode" content="{code}">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{report.published}">
<style>{_CSS}</style>
</head>
<body>
<div class="head">{site}</div>
<div class="nav">{nav}</div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/c2/">巡视巡察</a> &gt; <a href="/c2/zg/">整改公开</a></div>
<div class="main">
<h1>{title}</h1>
<div class="info">发布时间：{report.published}　来源：{escape(report.unit)}　字号：<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a>　<a href="javascript:window.print();">打印本页</a></div>
<div class="TRS_Editor" id="zoom">
{chr(10).join(paragraphs)}
</div>
<div class="share">分享到：<a class="wx" title="微信">微信</a> <a class="wb" title="微博">微博</a> <a class="qz" title="QQ空间">QQ空间</a></div>
</div>
<div class="foot">
<p>主办单位：{site}编辑部　地址：{escape(report.contact.address or "")}</p>
<p>网站标识码：{code}　<a href="javascript:;">{icp}</a></p>
</div>
</body>
</html>
"""
    if traditional:
        from zhenggai.fiction.render import to_traditional

        page = to_traditional(page)
    return page.encode(encoding, errors="xmlcharrefreplace")
