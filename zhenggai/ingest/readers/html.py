"""Web pages: the article of a government site without its chrome, plus the page's title and posting time.

Chinese government CMSs (TRS and its kin) wrap the article in well-known containers; other pages
fall back to the element holding the most Chinese text outside links. Navigation, breadcrumbs,
share buttons, the info line ("发布时间…来源…字号 大 中 小") and prev/next links are left out.
"""

from __future__ import annotations

import codecs
import re

import lxml.html
from lxml import etree

from zhenggai.ingest.decode import decode
from zhenggai.ingest.errors import CorruptFile, TooLarge
from zhenggai.ingest.options import ParseOptions
from zhenggai.ingest.readers.base import Extracted

_PARSER = lxml.html.HTMLParser(
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    no_network=True,
    huge_tree=False,
    default_doctype=False,
)

_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]{2,40})""", re.IGNORECASE)
_SNIFF = re.compile(rb"<(?:html|head|body)[\s>/]", re.IGNORECASE)

_CHROME_TAGS = {
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "object",
    "embed", "template", "svg", "button", "select", "input", "textarea", "link", "meta", "title",
    "head", "map", "canvas", "audio", "video",
}  # fmt: skip
_BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead",
    "tbody", "tfoot", "tr", "td", "th", "caption", "section", "article", "blockquote", "pre", "center",
    "address", "figure", "figcaption", "hr", "br", "main", "details", "summary", "fieldset", "legend",
}  # fmt: skip

# containers that government CMSs use for the article body, most specific first
_STRONG_CONTENT = re.compile(
    r"(?<![a-z])(?:trs_editor|trs_ueditor|article[-_]?content|article[-_]?con\b|articlecon|custom_unionstyle|"
    r"ccontent|pages_content|zoom\b|detail[-_]?con|news[-_]?content|con[-_]text|wzcon|zw[-_]?con|"
    r"art[-_]?con|view[-_]?con|info[-_]?con|text[-_]?con|main[-_]?text|article[-_]?body|post[-_]?content)",
    re.IGNORECASE,
)
_WEAK_CONTENT = re.compile(r"content|detail|article|text|zhengwen|\bzw\b|main", re.IGNORECASE)
# class/id tokens of page chrome
_JUNK_SUBSTRINGS = re.compile(
    r"share|crumb|print|toolbar|footer|copyright|pagination|related|sidebar|comment|weixin|qrcode|erweima|"
    r"fontsize|font[-_]?size|dqwz|position|location|topbar|navbar|subnav|mainnav",
    re.IGNORECASE,
)
_JUNK_TOKENS = {
    "pages", "page", "pager", "paging", "prev", "next", "previous", "prevnext", "nav", "menu", "foot", "ad",
    "ads", "meta", "info", "attr", "source", "tools", "tool", "close", "fx", "bds", "header", "head", "top",
    "bottom", "search", "logo", "jiucuo", "xgwz", "xgxx", "sxp",
}  # fmt: skip
_TOKEN_SPLIT = re.compile(r"[\s_\-]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

_CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACE_RUN = re.compile(r"\s+")
_CJK_WRAP = re.compile(
    r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])"
)

_DATE = (
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[\sT]*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2}))?"
)
_DATE_RE = re.compile(_DATE)
_POSTED = re.compile(r"(?:发布|发表|更新|成文)(?:时间|日期)\s*[:：]?\s*" + _DATE)
_POSTED_LOOSE = re.compile(r"(?:时间|日期)\s*[:：]\s*" + _DATE)
_PUBDATE_META = ("pubdate", "publishdate", "firstpublishedtime", "publish_date", "publishtime", "pubtime",
                 "article:published_time", "og:published_time", "dc.date", "dc.date.issued", "dcterms.issued")  # fmt: skip
_TITLE_META = ("articletitle", "og:title", "dc.title", "title")
_TITLE_SPLIT = re.compile(r"\s*(?:[|_]|——|(?<!\d)[-–—](?!\d))\s*")  # "标题_站点", "标题 - 站点"; not "2023-2024"

# a line of page chrome at the start or end of the extracted article
_CHROME_LINE = re.compile(
    r"^[【\[]?\s*(?:发布时间|发布日期|发布机构|发布者|时间|日期|来源|信息来源|文章来源|稿件来源|作者|编辑|责任编辑|"
    r"审核|审校|校对|供稿|浏览次数|浏览量|访问量|点击数|点击量|阅读数|阅读量|字号|本文链接|原文链接|网址|分享到|"
    r"上一篇|下一篇|上一条|下一条|相关链接|相关文章|相关阅读|扫一扫|打印本页|打印|关闭窗口|关闭|收藏|返回顶部)"
    r"\s*(?:[:：】\]]|$)"
)
_CHROME_MARKERS = re.compile(
    r"发布时间|发布日期|来源[:：]|浏览次数|点击数|阅读数|字号|打印本页|关闭窗口|分享到|【打印】|【关闭】"
)
EDGE_PARAGRAPHS = 6


class HtmlReader:
    name = "html"
    extensions = (".html", ".htm", ".shtml", ".xhtml")

    def sniff(self, head: bytes) -> bool:
        for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
            if head.startswith(bom):
                head = head[len(bom) :].decode(codec, errors="ignore").encode("utf-8")
                break
        head = head.removeprefix(codecs.BOM_UTF8).lstrip()
        lower = head[:1024].lower()
        if lower.startswith((b"<!doctype html", b"<html")):
            return True
        return _SNIFF.search(lower) is not None

    def read(self, data: bytes, options: ParseOptions) -> Extracted:
        match = _META_CHARSET.search(data[:4096])
        declared = match.group(1).decode("ascii", "ignore") if match else None
        if _valid_utf8(data):
            declared = "utf-8"  # GBK text is almost never valid UTF-8: a page mislabelled gb2312 is UTF-8
        text = decode(data, declared=declared)
        try:
            root = lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=_PARSER)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            raise CorruptFile("网页文件已损坏或为空,无法读取") from None
        page = _Page(root)
        paragraphs = page.paragraphs()
        if len(paragraphs) > options.max_paragraphs:
            raise TooLarge(f"网页段落过多(超过 {options.max_paragraphs} 段),已拒绝读取")
        return Extracted(paragraphs=paragraphs, title=page.title, published=page.published)


class _Page:
    def __init__(self, root: etree._Element) -> None:
        self.root = root
        body = root.find("body")
        self.body = root if body is None else body
        self.meta = _metas(root)
        self.strong = [el for el in self.body.iter() if isinstance(el.tag, str) and _STRONG_CONTENT.search(_names(el))]
        self.title = self._title()
        self.published = self._published()  # before the chrome (and its info line) is dropped
        self.content = self._find_content()

    # ---- metadata -------------------------------------------------------------------------------

    def _title(self) -> str | None:
        for name in _TITLE_META[:-1]:
            value = _clean(self.meta.get(name, ""))
            if value:
                return value
        head_title = ""
        for el in self.root.iter("title"):
            head_title = _clean(el.text_content())
            break
        headings = [_clean(el.text_content()) for el in self.root.iter("h1")]
        headings = [h for h in headings if h]
        if head_title:
            for h in headings:  # the h1 that the <title> repeats is the headline (another may be the logo)
                if len(h) >= 4 and h in head_title:
                    return h
            site = _clean(self.meta.get("sitename", ""))
            if site and head_title.endswith(site) and len(head_title) > len(site):
                stripped = head_title[: -len(site)].rstrip(" -_|–—")
                if stripped:
                    return stripped
            parts = [p for p in _TITLE_SPLIT.split(head_title) if p]
            if len(parts) > 1:
                return max(parts, key=len)
            return head_title
        return headings[0] if headings else None

    def _published(self) -> str | None:
        for name in _PUBDATE_META:
            value = self.meta.get(name)
            if value:
                found = _DATE_RE.search(value)
                if found and (iso := _iso(found)):
                    return iso
        outside = " ".join(self._text_outside_content())
        for pattern in (_POSTED, _POSTED_LOOSE):
            for found in pattern.finditer(outside):
                if iso := _iso(found):
                    return iso
        return None

    def _text_outside_content(self) -> list[str]:
        """Page text outside the article containers: where the info line with the posting time is."""
        texts: list[str] = []
        skip = None
        article = set(self.strong)
        for event, el in etree.iterwalk(self.body, events=("start", "end")):
            if skip is not None:
                if event == "end" and el is skip:
                    skip = None
                    if el.tail:
                        texts.append(el.tail)
                continue
            if event == "start":
                if el in article or el.tag in ("script", "style"):
                    skip = el
                elif isinstance(el.tag, str) and el.text:
                    texts.append(el.text)
            elif el.tail:
                texts.append(el.tail)
            if len(texts) > 20000:
                break
        return texts

    # ---- the article ----------------------------------------------------------------------------

    def _find_content(self) -> etree._Element:
        body = self.body
        before = _cjk_totals(body)
        page_text = before.get(body, (0, 0))
        page_own = page_text[0] - page_text[1]
        protected: set[etree._Element] = set()
        for el in self.strong:
            protected.add(el)
            protected.update(el.iterancestors())
        for el in list(body.iter()):
            if el in protected or not isinstance(el.tag, str) or not _is_chrome(el):
                continue
            total, linked = before.get(el, (0, 0))
            if el.tag not in ("script", "style") and total - linked >= max(200, 0.4 * page_own):
                continue  # a wrapper holding most of the page's text is not chrome (an ASP.NET <form>)
            _drop(el)
        totals = _cjk_totals(body)
        weak = [el for el in body.iter() if isinstance(el.tag, str) and _WEAK_CONTENT.search(_names(el))]
        for candidates in (self.strong, weak):
            chosen = _best([el for el in candidates if el in totals], totals)
            if chosen is not None:
                return chosen
        densest = _densest(body, totals)
        return body if densest is None else densest

    def paragraphs(self) -> list[str]:
        lines = _block_lines(self.content)
        # the info line and prev/next links, when they sit inside the chosen container
        edge = EDGE_PARAGRAPHS
        return [
            line for i, line in enumerate(lines) if not ((i < edge or i >= len(lines) - edge) and _is_chrome_line(line))
        ]


# ---- helpers -----------------------------------------------------------------------------------------


def _metas(root: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or "").strip().lower()
        value = el.get("content")
        if key and value and key not in found:
            found[key] = value[:2000]
    return found


def _names(el: etree._Element) -> str:
    return f"{(el.get('class') or '')[:200]} {(el.get('id') or '')[:200]}"


def _is_chrome(el: etree._Element) -> bool:
    if el.tag in _CHROME_TAGS:
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style[:500]):
        return True
    names = _names(el).strip()
    if not names:
        return False
    if _JUNK_SUBSTRINGS.search(names):
        return True
    return any(token.lower() in _JUNK_TOKENS for token in _TOKEN_SPLIT.split(names))


def _drop(el: etree._Element) -> None:
    """Remove an element but keep its tail text (which belongs to the parent)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _cjk_totals(body: etree._Element) -> dict[etree._Element, tuple[int, int]]:
    """For every element: (Chinese characters in its subtree, of which inside links), without recursion."""
    own: dict[etree._Element, list[int]] = {}
    order = [el for el in body.iter() if isinstance(el.tag, str)]
    for el in order:
        count = len(_CJK_CHAR.findall(el.text or ""))
        for child in el:
            if child.tail:
                count += len(_CJK_CHAR.findall(child.tail))
        in_link = el.tag == "a" or (el.getparent() is not None and own.get(el.getparent(), [0, 0, 0])[2] == 1)
        own[el] = [count, count if in_link else 0, 1 if in_link else 0]
    for el in reversed(order):
        parent = el.getparent()
        if parent is not None and parent in own and el is not body:
            own[parent][0] += own[el][0]
            own[parent][1] += own[el][1]
    return {el: (v[0], v[1]) for el, v in own.items()}


def _best(candidates: list[etree._Element], totals: dict[etree._Element, tuple[int, int]]) -> etree._Element | None:
    """The candidate with the most non-link Chinese text; the innermost one among near-equals."""
    scored = []
    for el in candidates:
        total, linked = totals.get(el, (0, 0))
        text = total - linked
        if text >= 20 and linked <= total * 0.5:
            scored.append((text, el))
    if not scored:
        return None
    top = max(text for text, _ in scored)
    near = [el for text, el in scored if text >= top * 0.9]
    return max(near, key=_depth)


def _densest(body: etree._Element, totals: dict[etree._Element, tuple[int, int]]) -> etree._Element | None:
    """Readability's idea: the parent collecting the most text from its paragraph-like children."""
    score: dict[etree._Element, int] = {}
    for el in body.iter("p", "div", "td", "span", "font", "section"):
        total, linked = totals.get(el, (0, 0))
        own = total - linked - sum(totals.get(child, (0, 0))[0] for child in el if child.tag in _BLOCK_TAGS)
        parent = el.getparent()
        if own >= 10 and parent is not None:
            score[parent] = score.get(parent, 0) + own
    if not score:
        return None
    return max(score, key=lambda el: score[el])


def _depth(el: etree._Element) -> int:
    return sum(1 for _ in el.iterancestors())


def _block_lines(container: etree._Element) -> list[str]:
    """Text split at block boundaries and <br>: each paragraph, list item, cell or line of its own."""
    lines: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            line = _clean("".join(buffer), wrap=True)
            if line:
                lines.append(line)
            buffer.clear()

    skipping: etree._Element | None = None
    for event, el in etree.iterwalk(container, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if skipping is not None:
            if event == "end" and el is skipping:
                skipping = None
                if el.tail:
                    buffer.append(el.tail)
            continue
        if event == "start":
            if not tag or tag in _CHROME_TAGS:
                skipping = el
                continue
            if tag in _BLOCK_TAGS:
                flush()
            if el.text:
                buffer.append(el.text)
        else:
            if tag in _BLOCK_TAGS:
                flush()
            elif tag == "img" and el.get("alt"):
                pass  # images carry no text of the report
            if el is not container and el.tail:
                buffer.append(el.tail)
    flush()
    return lines


def _clean(text: str, wrap: bool = False) -> str:
    if wrap:
        text = _CJK_WRAP.sub("", text)  # a source line break inside Chinese text is not a space
    return _SPACE_RUN.sub(" ", text).strip()


def _is_chrome_line(line: str) -> bool:
    return bool(_CHROME_LINE.match(line)) or len(_CHROME_MARKERS.findall(line)) >= 2


def _iso(found: re.Match[str]) -> str | None:
    y, m, d = int(found["y"]), int(found["m"]), int(found["d"])
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    date = f"{y:04d}-{m:02d}-{d:02d}"
    if found["H"] is not None and found["M"] is not None:
        hour, minute = int(found["H"]), int(found["M"])
        if hour < 24 and minute < 60:
            return f"{date}T{hour:02d}:{minute:02d}"
    return date


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
