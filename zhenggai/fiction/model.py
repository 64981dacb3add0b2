"""The ground truth of one fictional report, and how it reads as a `zhenggai.ledger/1` document.

The generator decides everything a renderer needs (texts, numbering, layout, style), so that any
rendering can be compared with `to_ledger()` of the same report: what the parser should find.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from zhenggai.fiction.vocabulary import CN_DIGITS
from zhenggai.ingest.ledgerdoc import Claimed, Contact, Finding, Inspection, LedgerDocument, Report

# Numbering levels of the official-document hierarchy: 一、 → （一） → 1. → （1）
TOP, CHINESE, ARABIC, PAREN = 0, 1, 2, 3
_HALF = str.maketrans("，：；（）", ",:;()")


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 20 → 二十, 35 → 三十五 (enough for any report's headings)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + ("" if ones == 0 else CN_DIGITS[ones])


def normal_label(level: int, number: int) -> str:
    """The label as the ledger format normalises it: "一", "(一)", "1", "(1)"."""
    return (cn_number(number), f"({cn_number(number)})", str(number), f"({number})")[level]


@dataclass(frozen=True)
class TextStyle:
    """How a copy of the report looks: punctuation widths, label forms, labels lost to Word numbering."""

    punct: str = "full"  # "full" keeps ，：；（）; "half" turns them into ,:;() as many web copies do
    paren: str = "full"  # parentheses of the labels （一） / (一)
    dot: str = "."  # after arabic labels: "." "、" "．"
    lost_levels: tuple[int, ...] = ()  # levels whose labels are gone
    lost_mark: str = ""  # what stands where a lost label was: "" or "-"
    title_line: bool = False  # the title is the first line of the text
    indent: str = ""  # leading characters of every paragraph, e.g. two ideographic spaces

    def content(self, text: str) -> str:
        return text.translate(_HALF) if self.punct == "half" else text

    def label(self, level: int, number: int) -> str:
        if level in self.lost_levels:
            return self.lost_mark + " " if self.lost_mark else ""
        return self.typed_label(level, number)

    def typed_label(self, level: int, number: int) -> str:
        left, right = ("（", "）") if self.paren == "full" else ("(", ")")
        if level == TOP:
            return cn_number(number) + "、"
        if level == CHINESE:
            return left + cn_number(number) + right
        if level == ARABIC:
            return f"{number}{self.dot}"
        return f"{left}{number}{right}"


STYLES = {
    "standard": TextStyle(),
    "half": TextStyle(punct="half", paren="half"),
    "dunhao": TextStyle(dot="、"),
    "fullwidth": TextStyle(dot="．", indent="\u3000\u3000"),
    "lost_dash": TextStyle(lost_levels=(ARABIC, PAREN), lost_mark="-"),
    "lost_blank": TextStyle(lost_levels=(ARABIC, PAREN)),
}


@dataclass
class Leaf:
    """A specific problem (具体问题) with its measures; `status_text` is None when the report is silent."""

    title: str
    measures: list[str]
    concrete: list[bool]  # per measure: names an action, date, number, document or owner
    status: str
    status_text: str | None
    topic: str  # the problem's meaning, shared by differently worded leaves across units
    level: int = ARABIC
    number: int = 0


@dataclass
class Problem:
    """A middle grouping (问题) with several specific problems under it."""

    title: str
    leaves: list[Leaf]
    level: int = ARABIC
    number: int = 0


@dataclass
class Aspect:
    """A top grouping of findings (方面); children mix leaves and problems in some reports."""

    title: str
    children: list[Leaf | Problem]
    level: int = CHINESE
    number: int = 0

    def leaves(self) -> list[Leaf]:
        return [leaf for c in self.children for leaf in (c.leaves if isinstance(c, Problem) else [c])]


@dataclass
class Section:
    """A section that is not findings: organisation of the work, the findings' own heading, next steps."""

    heading: str | None
    level: int = TOP
    number: int | None = None  # None: the heading (if any) has no label
    paragraphs: list[str] = field(default_factory=list)
    points: list[str] = field(default_factory=list)  # numbered one level below the heading


@dataclass
class Layout:
    """Choices of form a real report makes once and keeps (mostly) throughout."""

    inline_measures: bool = True  # 一是…二是… in one paragraph, else one measure per line
    measure_prefix: str | None = "整改情况："
    prefix_alone: bool = False  # the prefix stands on its own line above one-per-line measures
    joined: bool = False  # a leaf's statement and its rectification share one paragraph
    status_place: str = "line"  # "line": a status line after the measures; "title": after the statement
    status_prefix: str = "整改状态："
    omit_years: bool = False


@dataclass
class FictionalReport:
    """Everything one fictional report says, plus the truth a parser should recover from it."""

    seed: int
    place: str
    committee: str
    team: str
    unit: str
    kind: str | None
    start: date
    end: date
    feedback_date: date
    publisher: str
    date: date
    title: str
    opening: str
    aspects: list[Aspect]
    invitation: str
    claimed: Claimed
    contact: Contact
    org: Section | None = None
    findings_heading: Section | None = None
    closing: Section | None = None
    layout: Layout = field(default_factory=Layout)
    style: TextStyle = field(default_factory=TextStyle)
    auto_levels: tuple[int, ...] = (TOP,)  # levels Word numbers automatically in the docx rendering
    published: str | None = None  # posting time on the fictional web page
    site: str = ""
    round_name: str | None = None

    def leaves(self) -> list[Leaf]:
        return [leaf for a in self.aspects for leaf in a.leaves()]

    def name(self) -> str:
        return f"fiction_{self.seed}"

    def to_ledger(
        self, style: TextStyle | None = None, container: str = "txt", source: str | None = None, traditional=False
    ) -> LedgerDocument:
        """The ledger document a perfect parser would produce from this report rendered as `container`.

        Labels of levels the style lost become null (except in docx, where Word draws them); text is
        given with the punctuation (and, for a mirror copy, the Traditional characters) of the rendering.
        """
        style = style or self.style
        if container == "docx":
            style = replace(style, lost_levels=())
        if traditional:
            from zhenggai.fiction.render import to_traditional

            def c(text: str) -> str:
                return to_traditional(style.content(text))
        else:
            c = style.content

        def label(level: int, number: int) -> str | None:
            return None if level in style.lost_levels else normal_label(level, number)

        def leaf(x: Leaf) -> Finding:
            return Finding(
                label(x.level, x.number),
                c(x.title),
                measures=[c(m) for m in x.measures],
                status=x.status if x.status_text else None,
            )

        def child(x: Leaf | Problem) -> Finding:
            if isinstance(x, Leaf):
                return leaf(x)
            return Finding(label(x.level, x.number), c(x.title), children=[leaf(y) for y in x.leaves])

        titled = container in ("docx", "html") or style.title_line
        return LedgerDocument(
            inspection=Inspection(
                c(self.team),
                c(self.committee),
                c(self.unit),
                c(self.kind) if self.kind else None,
                self.start.isoformat(),
                self.end.isoformat(),
                self.feedback_date.isoformat(),
            ),
            report=Report(
                title=c(self.title) if titled else None,
                publisher=c(self.publisher),
                date=self.date.isoformat(),
                published=self.published if container == "html" else None,
                source=source,
            ),
            claimed=replace(self.claimed),
            contact=Contact(
                list(self.contact.phones), list(self.contact.emails), c(self.contact.address or "") or None
            ),
            findings=[
                Finding(label(a.level, a.number), c(a.title), children=[child(x) for x in a.children])
                for a in self.aspects
            ],
        )
