"""A report as a flat sequence of paragraphs, decided once and drawn by every renderer (text, docx, html).

Layout, as published reports have it: the title, (to the committee: the addressee), the opening
sentence, 一、整改工作开展情况 with the counts, 二、巡察反馈问题整改落实情况 with the findings one level
down ((一) aspect → 1. problem → (1) specific problem, each followed by "整改情况:一是…二是…" and its
status), for the progress report 三、逾期未完成整改任务及原因, then 下一步工作打算, the invitation to
supervise (or 特此报告。), the signature and the date. A ledger whose findings are a flat list keeps
them at the top level (一、二、…), since one grouping heading above them would read as their aspect.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date

from zhenggai.ingest.ledgerdoc import Finding, LedgerDocument
from zhenggai.outputs import results as results_section
from zhenggai.outputs import wording
from zhenggai.outputs.context import Counts, Path, ReportContext, ReportKind, Sections, Version
from zhenggai.outputs.numbering import cn_date, heading_label, ordinal
from zhenggai.outputs.typeset import punctuate

_ENDS_SENTENCE = tuple("。；;！!？?…”’）)")
_LEADING_ORDINAL = re.compile(r"^[一二三四五六七八九十]{1,3}是[，,:：]?")
MEASURE_MARK = "整改情况："
STATUS_MARK = "整改状态："
EXEMPT_MARK = "【不予公开】"


@dataclass(frozen=True)
class Block:
    """One paragraph. role: mark, number, title, addressee, para, heading, item, measure, status,
    signature, date, copy_to, issued (mark and number head the in-party version, copy_to and issued
    are its 版记).

    `level` is the heading level (1 = 一、) for headings and labelled items; `label` is drawn before
    the text in the same paragraph.
    """

    role: str
    text: str
    level: int = 0
    label: str = ""

    @property
    def full_text(self) -> str:
        return self.label + self.text


@dataclass(frozen=True)
class Composed:
    title: str
    blocks: tuple[Block, ...]
    publisher: str
    dated: date
    kind: ReportKind
    version: Version
    counts: Counts
    withheld_items: int = 0
    withheld_measures: int = 0


def count_findings(doc: LedgerDocument) -> Counts:
    """Counts from the document's own tree: leaves by status (a leaf without one counts as not done)."""
    leaves = doc.leaves()
    by_status = {s: 0 for s in ("完成整改", "基本完成", "正在推进", "长期坚持", "未完成")}
    for leaf in leaves:
        by_status[leaf.status if leaf.status in by_status else "未完成"] += 1
    nested = any(not top.is_leaf for top in doc.findings)
    problems = sum(1 for top in doc.findings for child in top.children if not child.is_leaf)
    return Counts(
        aspects=len(doc.findings) if nested else 0,
        problems=problems,
        items=len(leaves),
        completed=by_status["完成整改"],
        basically=by_status["基本完成"],
        in_progress=by_status["正在推进"],
        long_term=by_status["长期坚持"],
        not_done=by_status["未完成"],
    )


def compose(doc: LedgerDocument, ctx: ReportContext) -> Composed:
    """The paragraphs of the report of `doc` as `ctx` describes it (kind, version, date, wording)."""
    s = ctx.sections
    counts = ctx.counts or count_findings(doc)
    findings, held_items, held_measures = _public_tree(doc.findings, ctx) if ctx.public else (doc.findings, 0, 0)
    publisher = s.publisher or wording.publisher_of(doc)
    as_of = cn_date(ctx.as_of)
    flat = bool(findings) and all(top.is_leaf for top in findings)

    out: list[Block] = []
    if not ctx.public:  # the in-party version heads with its marks (GB/T 9704 版头)
        out += [Block(role, text) for role, text in (("mark", s.mark), ("number", s.doc_number)) if text.strip()]
    out.append(Block("title", s.title or wording.default_title(doc, ctx.kind, publisher)))
    if ctx.kind == ReportKind.PROGRESS or not ctx.public:  # to the committee
        out.append(Block("addressee", s.addressee or wording.default_addressee(doc)))
    out.append(Block("para", s.opening or wording.opening(doc, ctx.kind, public=ctx.public)))
    numbers = iter(range(1, 100))
    summary = [Block("para", wording.progress(counts, as_of))]
    held = wording.withheld(held_items, held_measures)
    if held:
        summary.append(Block("para", held))
    summary += _paragraphs(s.organisation or wording.default_organisation(doc))
    marked = ctx if not ctx.public else None  # the full version marks what the public one leaves out
    if flat:
        out += summary
        out += _findings(findings, 1, numbers, marked)
    else:
        out.append(_section(next(numbers), wording.SECTION_ORGANISATION))
        out += summary
        out.append(_section(next(numbers), wording.SECTION_FINDINGS))
        out += _findings(findings, 2, iter(range(1, 100)), marked)
    achieved = results_section.paragraphs(ctx.results, names=not ctx.public)
    if achieved:
        out.append(_section(next(numbers), results_section.SECTION_RESULTS))
        out += [Block("para", text) for text in achieved]
    if ctx.kind == ReportKind.PROGRESS:
        out += _late(ctx, next(numbers), as_of)
    out.append(_section(next(numbers), wording.SECTION_NEXT))
    out += _paragraphs(s.next_steps or wording.default_next_steps(doc))
    if ctx.kind == ReportKind.PROGRESS:
        out.append(Block("para", "特此报告。"))
    elif not ctx.public:
        out.append(Block("para", "特此通报。"))
    else:
        phones = list(s.phones) or doc.contact.phones
        emails = list(s.emails) or doc.contact.emails
        out += _paragraphs(s.invitation or wording.invitation(phones, emails, s.address or doc.contact.address))
    out += [Block("signature", publisher), Block("date", cn_date(ctx.signature_date))]
    if not ctx.public:
        out += _colophon(s)
    blocks = tuple(Block(b.role, punctuate(b.text), b.level, punctuate(b.label)) for b in out)
    return Composed(
        title=blocks[0].text,
        blocks=blocks,
        publisher=publisher,
        dated=ctx.signature_date,
        kind=ctx.kind,
        version=ctx.version,
        counts=counts,
        withheld_items=held_items,
        withheld_measures=held_measures,
    )


def _section(number: int, title: str) -> Block:
    return Block("heading", title, 1, heading_label(1, number))


def _paragraphs(text: str) -> list[Block]:
    return [Block("para", line.strip()) for line in text.splitlines() if line.strip()]


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def _colophon(s: Sections) -> list[Block]:
    """版记 of the in-party version: 抄送 and 印发机关 with 印发日期, each when set."""
    out: list[Block] = []
    if s.copy_to.strip():
        out.append(Block("copy_to", f"抄送：{s.copy_to.strip().rstrip('。')}。"))
    if s.issuer.strip() or s.issued_on:
        issued = f"{cn_date(s.issued_on)}印发" if s.issued_on else ""
        issuer = s.issuer.strip() + "\u3000" if s.issuer.strip() and issued else s.issuer.strip()
        out.append(Block("issued", issued, label=issuer))  # 印发机关 left, 印发日期 right
    return out


def _findings(
    nodes: list[Finding], level: int, numbers, marked: ReportContext | None = None, path: Path = ()
) -> list[Block]:
    """Headings and bodies of `nodes`; with `marked` (the full version), what the public version
    leaves out carries EXEMPT_MARK."""
    out: list[Block] = []
    for index, node in enumerate(nodes):
        here = (*path, index)
        title = _one_line(node.title)
        label = heading_label(level, next(numbers), title)
        if marked is not None and here in marked.exempt_findings:
            title += EXEMPT_MARK
        out.append(Block("heading", title, level, label))
        if node.is_leaf:
            withheld = {j for (p, j) in marked.exempt_measures if p == here} if marked is not None else set()
            out += _leaf_body(node, withheld)
        else:
            out += _findings(node.children, level + 1, iter(range(1, 100)), marked, here)
    return out


def _measure(text: str) -> str:
    text = _LEADING_ORDINAL.sub("", _one_line(text)).strip()
    return text if not text or text.endswith(_ENDS_SENTENCE) else text + "。"


def _leaf_body(leaf: Finding, withheld: AbstractSet[int] = frozenset()) -> list[Block]:
    measures = [(EXEMPT_MARK if j in withheld else "") + m for j, m in enumerate(map(_measure, leaf.measures)) if m]
    out: list[Block] = []
    if len(measures) == 1:
        out.append(Block("measure", MEASURE_MARK + measures[0]))
    elif measures:
        out += [
            Block("measure", (MEASURE_MARK if i == 1 else "") + ordinal(i) + text) for i, text in enumerate(measures, 1)
        ]
    if leaf.status:
        out.append(Block("status", f"{STATUS_MARK}{leaf.status}。"))
    return out


def _late(ctx: ReportContext, number: int, as_of: str) -> list[Block]:
    items = [item for item in ctx.late if not (ctx.public and _exempt(item.path, ctx, item.measure_index))]
    out = [_section(number, wording.SECTION_LATE), Block("para", wording.late_intro(len(items), as_of))]
    for n, item in enumerate(items, 1):
        text = wording.late_line(
            item.finding, item.measure, cn_date(item.deadline), item.days_late, item.department, item.reason
        )
        if not ctx.public and _exempt(item.path, ctx, item.measure_index):
            text = EXEMPT_MARK + text
        out.append(Block("item", text, 2, heading_label(2, n)))
    return out


def _exempt(path: Path, ctx: ReportContext, measure: int | None = None) -> bool:
    """Whether a node (or one of its measures) lies in what the public version leaves out."""
    return any(path[: len(p)] == p for p in ctx.exempt_findings) or (path, measure) in ctx.exempt_measures


def _public_tree(nodes: list[Finding], ctx: ReportContext, path: Path = ()) -> tuple[list[Finding], int, int]:
    """The tree without exempt nodes and measures; returns it with the numbers of leaves and
    measures withheld. A grouping left with no children is left out as well."""
    kept: list[Finding] = []
    items = measures = 0
    for i, node in enumerate(nodes):
        here = (*path, i)
        if here in ctx.exempt_findings:
            items += len(node.leaves())
            continue
        if node.is_leaf:
            shown = [m for j, m in enumerate(node.measures) if (here, j) not in ctx.exempt_measures]
            measures += len(node.measures) - len(shown)
            kept.append(Finding(node.label, node.title, measures=shown, status=node.status))
            continue
        children, sub_items, sub_measures = _public_tree(node.children, ctx, here)
        items, measures = items + sub_items, measures + sub_measures
        if children:
            kept.append(Finding(node.label, node.title, children=children))
    return kept, items, measures
