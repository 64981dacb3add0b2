"""A report as a flat sequence of paragraphs with (level, number) labels, shared by every renderer.

Renderers only differ in how they draw a label (typed text, lost, or Word automatic numbering) and
what they wrap around the paragraphs, so the order and content of paragraphs is decided once, here.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhenggai.fiction.model import FictionalReport, Layout, Leaf, Problem, Section
from zhenggai.fiction.vocabulary import ORDINALS


@dataclass(frozen=True)
class Block:
    """One paragraph. `level`/`number` are set when it carries a label of the numbering hierarchy.

    role: title, para, heading, point, aspect, problem, leaf, measure, status, signature, date.
    """

    role: str
    text: str
    level: int | None = None
    number: int | None = None


def _section(section: Section | None) -> list[Block]:
    if section is None:
        return []
    out = []
    if section.heading:
        out.append(Block("heading", section.heading, section.level, section.number))
    out += [Block("para", p) for p in section.paragraphs]
    out += [Block("point", p, section.level + 1, i) for i, p in enumerate(section.points, 1)]
    return out


def _leaf(leaf: Leaf, layout: Layout) -> list[Block]:
    title = leaf.title
    if leaf.status_text and layout.status_place == "title":
        title += f"（{leaf.status_text}）"
    parts = [ORDINALS[i] + m for i, m in enumerate(leaf.measures)] if len(leaf.measures) > 1 else list(leaf.measures)
    prefix = layout.measure_prefix or ""
    out = []
    if layout.inline_measures or len(parts) == 1:
        paragraph = prefix + "".join(parts)
        if layout.joined and prefix:
            out.append(Block("leaf", title + paragraph, leaf.level, leaf.number))
        else:
            out += [Block("leaf", title, leaf.level, leaf.number), Block("measure", paragraph)]
    else:
        out.append(Block("leaf", title, leaf.level, leaf.number))
        if prefix and layout.prefix_alone:
            out.append(Block("measure", prefix))
        elif prefix:
            parts[0] = prefix + parts[0]
        out += [Block("measure", p) for p in parts]
    if leaf.status_text and layout.status_place == "line":
        out.append(Block("status", f"{layout.status_prefix}{leaf.status_text}。"))
    return out


def blocks(report: FictionalReport) -> list[Block]:
    """Every paragraph of the report in reading order, the title first."""
    out = [Block("title", report.title), Block("para", report.opening)]
    out += _section(report.org)
    out += _section(report.findings_heading)
    for a in report.aspects:
        out.append(Block("aspect", a.title, a.level, a.number))
        for x in a.children:
            if isinstance(x, Problem):
                out.append(Block("problem", x.title, x.level, x.number))
                for leaf in x.leaves:
                    out += _leaf(leaf, report.layout)
            else:
                out += _leaf(x, report.layout)
    out += _section(report.closing)
    d = report.date
    out += [
        Block("para", report.invitation),
        Block("signature", report.publisher),
        Block("date", f"{d.year}年{d.month}月{d.day}日"),
    ]
    return out
