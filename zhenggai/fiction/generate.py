"""Compose fictional rectification reports from our own phrase pieces, deterministically from a seed.

The knobs cover the ways real reports differ and that a parser must survive: depth of the tree,
middle problems or not, measures inline (一是…二是…) or one per line, "整改情况：" prefixes, optional
sections, a findings heading or aspects at the top, years left out of dates, statuses stated or not.
Every knob left as None is drawn from the seed, so a range of seeds gives a range of reports.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from zhenggai.fiction import vocabulary as V
from zhenggai.fiction.findings import FindingsBuilder
from zhenggai.fiction.model import (
    ARABIC,
    CHINESE,
    PAREN,
    STYLES,
    TOP,
    FictionalReport,
    Layout,
    Problem,
    Section,
    TextStyle,
    cn_number,
)
from zhenggai.fiction.sections import claims_sentence, closing_section, contact_block, org_section
from zhenggai.fiction.writer import Writer, knob_int, party_body
from zhenggai.ingest.ledgerdoc import Claimed


@dataclass
class Context:
    """What all units of one round share: the committee's place and level, and when the round began."""

    place: str
    level: str  # 县 / 市 / 区
    start: date
    round_name: str | None = None


def _place(rng: random.Random, suffix: str) -> str:
    while True:
        name = rng.choice(V.PLACE_HEADS) + rng.choice(V.PLACE_TAILS)
        if name not in V.REAL_PLACES and name[0] != name[1]:
            return name + suffix


def _context(rng: random.Random, level: str | None = None, year: int | None = None) -> Context:
    level = level or rng.choice("县县县市区")
    year = year or rng.randint(2017, 2024)
    # rounds start in spring or summer, so that the feedback falls in the same year
    return Context(_place(rng, level), level, date(year, rng.randint(3, 8), rng.randint(1, 28)))


def _unit(rng: random.Random, ctx: Context) -> tuple[str, str, str, V.UnitKind]:
    """(unit as written in the opening, publisher as signed, how the unit calls itself, kind)."""
    kind = rng.choice(V.UNIT_KINDS)
    if kind.domain == "town":
        unit = rng.choice(V.TOWN_HEADS) + rng.choice(V.TOWN_TAILS) + kind.name
        own = kind.name
    else:
        unit = own = ctx.level + kind.name
    body = party_body(unit)
    formal = {"党委": "委员会", "党工委": "工作委员会", "党组": "党组"}[body]
    publisher = "中共" + ctx.place + unit.removeprefix(ctx.level)[: -len(body)] + formal
    return unit, publisher, own, kind


def _number(report: FictionalReport, top_level: int, continuous: bool) -> None:
    """Give every heading its level and number, the way the report's author (or Word) would.

    Numbered sections and (without a findings heading) the aspects share the top counter; arabic
    levels either run on through the whole report or restart under each parent.
    """
    top: list = [report.org] if report.org and report.org.number is not None else []
    top += [report.findings_heading] if report.findings_heading else report.aspects
    top += [report.closing] if report.closing and report.closing.heading else []
    for i, node in enumerate(top, 1):
        node.level, node.number = top_level, i
    if report.findings_heading:
        for i, a in enumerate(report.aspects, 1):
            a.level, a.number = top_level + 1, i
    below, deeper = report.aspects[0].level + 1, report.aspects[0].level + 2
    counts = {below: 0, deeper: 0}
    for a in report.aspects:
        counts[below] = 0 if not continuous or below < ARABIC else counts[below]
        for x in a.children:
            counts[below] += 1
            x.level, x.number = below, counts[below]
            if isinstance(x, Problem):
                counts[deeper] = 0 if not continuous else counts[deeper]
                for leaf in x.leaves:
                    counts[deeper] += 1
                    leaf.level, leaf.number = deeper, counts[deeper]


def _style(rng: random.Random, levels: list[int]) -> TextStyle:
    half = rng.random() < 0.3
    return TextStyle(
        punct="half" if half else "full",
        paren="half" if half or rng.random() < 0.2 else "full",
        dot=rng.choice(".....、、．"),
        lost_levels=(rng.choice(levels),) if levels and rng.random() < 0.2 else (),
        lost_mark=rng.choice(("", "-")),
        title_line=rng.random() < 0.4,
        indent="\u3000\u3000" if rng.random() < 0.25 else "",
    )


def _date_text(d: date, with_year: bool = True) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if with_year else f"{d.month}月{d.day}日"


def _flag(rng: random.Random, value: bool | None, p: float) -> bool:
    return rng.random() < p if value is None else value


def generate_report(seed: int, **knobs) -> FictionalReport:
    """One fictional report. Knobs (None or absent: drawn from the seed):

    aspects 1–8; items (leaves per aspect, or per problem when there are middles; int or (lo, hi));
    problems (middles per aspect); middle "none" | "all" | "mixed"; measures 1–5 (int or (lo, hi));
    inline_measures; prefix (use "整改情况："-like prefixes); org_section; next_steps; findings_heading
    (a "二、…" heading with aspects under it, else aspects at the top); omit_years; statuses "done" |
    "mixed" | "early"; show_status "none" | "all" | "some"; claims; frame "five" | "focus" | "four" |
    "about"; vague (share of words-only measures, 0–1); kind; level 县 | 市 | 区; year; style (a
    TextStyle or a name in STYLES).
    """
    rng = random.Random(seed)
    ctx = _context(rng, knobs.get("level"), knobs.get("year"))
    return _report(rng, seed, ctx, knobs, rng.randint(1, 8), ())


def _report(rng: random.Random, seed: int, ctx: Context, knobs: dict, team_no: int, common: tuple) -> FictionalReport:
    get = knobs.get
    committee = V.COMMITTEE_LEVELS[ctx.level]
    unit, publisher, own, kind_row = _unit(rng, ctx)
    team = f"{committee}第{cn_number(team_no)}巡察组"
    kind = get("kind") if "kind" in knobs else rng.choice((None, None, *V.KINDS[:3], V.KINDS[0], V.KINDS[4]))
    start = ctx.start + timedelta(days=rng.randint(0, 6))
    end = start + timedelta(days=rng.randint(25, 55))
    feedback = min(end + timedelta(days=rng.randint(10, 40)), date(end.year, 12, 20))
    issued = feedback + timedelta(days=rng.randint(60, 150))
    w = Writer(rng, unit, own, kind_row, feedback, issued)

    builder = FindingsBuilder(rng, w, kind_row.domain, start.year - rng.randint(1, 2), knobs, common)
    frames = ("five", "focus", "about") if start.year <= 2020 else ("four", "focus", "about")
    middle = get("middle") or rng.choice(("none", "none", "all", "mixed"))
    aspects = builder.aspects(get("frame") or rng.choice(frames), knob_int(rng, get("aspects"), (2, 6)), middle)
    leaves = [x for a in aspects for x in a.leaves()]
    show = get("show_status") or rng.choice(("none", "none", "all", "some"))
    for x in leaves:
        if show == "all" or (show == "some" and rng.random() < 0.5):
            x.status_text = rng.choice(V.STATUS_SPLIT[x.status])

    prefix = _flag(rng, get("prefix"), 0.6)
    inline = _flag(rng, get("inline_measures"), 0.55)
    layout = Layout(
        inline_measures=inline,
        measure_prefix=rng.choice(V.MEASURE_PREFIXES) if prefix else None,
        prefix_alone=prefix and not inline and rng.random() < 0.4,
        joined=prefix and inline and rng.random() < 0.2,
        status_place=rng.choice(("line", "title")),
        status_prefix=rng.choice(V.STATUS_LINE_PREFIXES),
        omit_years=_flag(rng, get("omit_years"), 0.35),
    )
    if layout.joined:  # statement and rectification share a paragraph: a full stop must part them
        for x in leaves:
            x.title += "" if x.title.endswith("。") else "。"
    heading = _flag(rng, get("findings_heading"), 0.55)
    problems = sum(len(a.children) for a in aspects) if middle == "all" else None
    claimed, claim_text = (Claimed(), "")
    if _flag(rng, get("claims"), 0.7):
        claimed, claim_text = claims_sentence(rng, leaves, len(aspects), problems, w, team)

    names = {"committee": committee, "team": team, "unit": unit, "kind": kind or "巡察"}
    names["start"] = _date_text(start)
    names["end"] = _date_text(end, end.year != start.year)
    names["fb"] = _date_text(feedback, not layout.omit_years)
    opening = rng.choice(V.OPENINGS).format(**names)
    top_level = TOP if heading or rng.random() < 0.8 else CHINESE
    org = None
    if _flag(rng, get("org_section"), 0.65):
        total = sum(len(x.measures) for x in leaves)
        org = org_section(rng, w, claim_text, numbered=heading or rng.random() < 0.5, total=total)
        if top_level == CHINESE:
            org.points = []
    elif claim_text:
        opening += claim_text
    opening += rng.choice(V.ANNOUNCES)
    closing = closing_section(rng, w, committee, top_level) if _flag(rng, get("next_steps"), 0.7) else None
    invitation, contact = contact_block(rng, ctx.place, w.short)
    title = rng.choice(V.TITLES).format(publisher=publisher, publisher_tail=publisher.removeprefix("中共"), team=team)
    posted = issued + timedelta(days=rng.randint(0, 6))
    report = FictionalReport(
        seed=seed,
        place=ctx.place,
        committee=committee,
        team=team,
        unit=unit,
        kind=kind,
        start=start,
        end=end,
        feedback_date=feedback,
        publisher=publisher,
        date=issued,
        title=title,
        opening=opening,
        aspects=aspects,
        invitation=invitation,
        claimed=claimed,
        contact=contact,
        org=org,
        findings_heading=Section(rng.choice(V.FINDINGS_HEADINGS), number=0) if heading else None,
        closing=closing,
        layout=layout,
        published=f"{posted.isoformat()} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}",
        site=ctx.place + rng.choice(V.SITE_NAMES),
        round_name=ctx.round_name,
    )
    _number(report, top_level, continuous=rng.random() < 0.6)
    levels = sorted({x.level for a in aspects for x in a.children} | {x.level for x in leaves})
    style = get("style")
    report.style = STYLES[style] if isinstance(style, str) else style or _style(rng, levels)
    auto = [lv for lv in (TOP, CHINESE, ARABIC, PAREN) if lv in levels or lv == aspects[0].level]
    report.auto_levels = tuple(sorted(rng.sample(auto, min(len(auto), rng.randint(1, 2)))))
    return report


def generate_round(seed: int, units: int = 10, common: int | None = None, **knobs) -> Iterator[FictionalReport]:
    """The reports of one committee's round (轮): same committee and period, several teams, and a few
    common problems (共性问题) that recur across units in different words (the same `Leaf.topic`)."""
    rng = random.Random(seed)
    ctx = _context(rng, knobs.pop("level", None), knobs.pop("year", None))
    ctx.round_name = f"{ctx.place}{V.COMMITTEE_LEVELS[ctx.level]}第{cn_number(rng.randint(1, 12))}轮巡察"
    shared = [t.key for t in V.TOPICS if t.domain == "*"]
    keys = rng.sample(shared, common if common is not None else rng.randint(3, 6))
    teams = max(1, min(8, units // 3))
    for i in range(units):
        picked = tuple(k for k in keys if rng.random() < 0.6)
        unit_rng = random.Random(rng.getrandbits(64))
        yield _report(unit_rng, seed * 100_000 + i, ctx, knobs, i % teams + 1, picked)


def generate_province(
    seed: int, units: int = 10_000, round_size: tuple[int, int] = (5, 40), **knobs
) -> Iterator[FictionalReport]:
    """A lazy stream of reports at province scale: many committees, each with rounds of units."""
    rng = random.Random(seed)
    made = 0
    while made < units:
        size = min(units - made, rng.randint(*round_size))
        yield from generate_round(rng.getrandbits(32), units=size, **dict(knobs))
        made += size
