"""The parts of a report around the findings: claimed counts, how the work was organised, next steps,
and the invitation to supervise with (fictional) contacts.

Kept apart from the tree generator because these parts are prose; the counts sentence is the one
piece that must agree with the tree, so it is computed from the leaves, never drawn at random.
"""

from __future__ import annotations

import random
from collections import Counter

from zhenggai.fiction import vocabulary as V
from zhenggai.fiction.model import Leaf, Section
from zhenggai.fiction.writer import Writer
from zhenggai.ingest.ledgerdoc import Claimed, Contact


def claims_sentence(
    rng: random.Random, leaves: list[Leaf], aspects: int, problems: int | None, w: Writer, team: str
) -> tuple[Claimed, str]:
    """A sentence stating counts about the findings, and the same counts as the ledger's `claimed`.

    `problems` is the number of middle problems when every aspect has them, else None (not claimed).
    """
    items = len(leaves)
    by = Counter(x.status for x in leaves)
    claimed = Claimed(items=items)
    forms = ["aspects", "tasks"] + (["problems", "all"] if problems else [])
    form = rng.choice(forms)
    unit = "项" if form == "tasks" else "个"
    if form == "aspects":
        counts = f"{aspects}个方面{items}个具体问题"
        claimed.aspects = aspects
    elif form == "tasks":
        counts = f"{aspects}方面{items}项整改任务" if rng.random() < 0.5 else f"{items}项整改任务"
        claimed.aspects = aspects if counts.startswith(str(aspects) + "方面") else None
    else:
        counts = f"{problems}个问题、{items}个具体问题"
        if form == "all":
            counts = f"{aspects}方面{problems}个问题{items}个具体问题"
            claimed.aspects = aspects
        claimed.problems = problems
    who = rng.choice(("此次巡察反馈的", f"{team}反馈的", "巡察组指出的"))
    when = rng.choice(("目前，", "") if team in who else (f"截至{w.day()}，", "目前，", "截至目前，"))
    done = by["完成整改"]
    claimed.completed = done
    if done == items:
        progress = rng.choice(("均已完成整改", "已全部整改到位"))
    else:
        parts = [f"{done}{unit}已完成整改"]
        for status, field, words in (
            ("基本完成", "basically_completed", "基本完成"),
            ("正在推进", "in_progress", "正在推进"),
            ("长期坚持", "long_term", "需长期坚持"),
        ):
            if by[status]:
                parts.append(f"{by[status]}{unit}{words}")
                setattr(claimed, field, by[status])
        if rng.random() < 0.4:
            parts.append(f"整改完成率{done * 100 / items:.2f}%")
        progress = "，".join(parts)
    joint = "" if done == items else "中，"
    return claimed, f"{when}{who}{counts}{joint}{progress}。"


def _prose(rng: random.Random, w: Writer, pool: list[str], k: int, committee: str = "", total: int = 0) -> list[str]:
    """k sentences of the pool; {committee} and {total} (all measures of the report) filled in first."""
    return [w.fill(t.replace("{committee}", committee).replace("{total}", str(total))) for t in rng.sample(pool, k)]


def org_section(rng: random.Random, w: Writer, claim_text: str, numbered: bool, total: int) -> Section:
    """How the work was organised; an unnumbered one has no heading and is plain paragraphs."""
    section = Section(rng.choice(V.ORG_HEADINGS) if numbered else None, number=0 if numbered else None)
    if numbered and rng.random() < 0.5:
        titles = rng.sample(V.ORG_POINTS, rng.randint(2, 4))
        section.points = [
            f"{t}。{s}" for t, s in zip(titles, _prose(rng, w, V.ORG_SENTENCES, len(titles), total=total), strict=True)
        ]
    else:
        sentences = _prose(rng, w, V.ORG_SENTENCES, rng.randint(2, 4), total=total)
        cut = rng.randint(1, len(sentences))
        section.paragraphs = ["".join(sentences[:cut])] + (["".join(sentences[cut:])] if sentences[cut:] else [])
    if claim_text:
        section.paragraphs.insert(0 if rng.random() < 0.5 else len(section.paragraphs), claim_text)
    return section


def closing_section(rng: random.Random, w: Writer, committee: str, top_level: int) -> Section:
    """Next steps; sometimes with numbered points, which a parser must not take for findings."""
    if rng.random() < 0.2:
        return Section(None, paragraphs=["".join(_prose(rng, w, V.CLOSING_SENTENCES, 2, committee))])
    section = Section(rng.choice(V.CLOSING_HEADINGS), number=0)
    if top_level == 0 and rng.random() < 0.5:
        titles = rng.sample(V.CLOSING_POINTS, rng.randint(2, 3))
        bodies = _prose(rng, w, V.CLOSING_SENTENCES, len(titles), committee)
        section.paragraphs = [_prose(rng, w, V.CLOSING_SENTENCES[:1], 1, committee)[0]]
        section.points = [f"{t}。{b}" for t, b in zip(titles, bodies, strict=True)]
    else:
        section.paragraphs = ["".join(_prose(rng, w, V.CLOSING_SENTENCES, rng.randint(2, 4), committee))]
    return section


def contact_block(rng: random.Random, place: str, short: str) -> tuple[str, Contact]:
    """The invitation to supervise and the contacts it gives; all numbers and addresses are made up."""
    sep = rng.choice("--—")
    phone = f"0{rng.randint(310, 999)}{sep}{rng.randint(2, 8)}{rng.randint(0, 999_999):06d}"
    letters = "".join(rng.choice("abcdefghjklmnpqrstwxyz") for _ in range(rng.randint(3, 6)))
    email = f"{letters}{rng.randint(0, 9999) if rng.random() < 0.7 else ''}@{rng.choice(V.MAIL_HOSTS)}"
    road, number = rng.choice(V.ROADS), rng.randint(1, 299)
    if short.endswith(("镇", "乡", "街道")):
        address = f"{place}{short}{road}街{number}号"
    elif rng.random() < 0.5:
        address = f"{place}{road}路{number}号{short}办公室"
    else:
        address = f"{place}{road}路{number}号行政中心{rng.randint(2, 9)}楼{rng.randint(201, 930)}室"
    postcode = f"{rng.randint(1, 8)}{rng.randint(0, 99_999):05d}"
    parts = [
        f"{rng.choice(V.PHONE_LABELS)}：{phone}",
        f"{rng.choice(V.ADDRESS_LABELS)}：{address}（邮编：{postcode}）",
        f"{rng.choice(V.EMAIL_LABELS)}：{email}",
    ]
    if rng.random() < 0.3:
        rng.shuffle(parts)
    text = rng.choice(V.INVITES) + "；".join(parts) + "。"
    return text, Contact(phones=[phone], emails=[email], address=address)
