"""Copied measures (机械照搬): the same text under different problems, in different units, or lifted
from stock phrases (套话).

Measures are compared as written, numbers included: two units that write the same sentence with
the same figures have copied it; candidates come from MinHash LSH over char 3-grams, rapidfuzz
confirms. Pure: measures in, copies out.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from zhenggai.ingest.normalise import fold_width
from zhenggai.oversight.analysis.similar import lsh_pairs, signatures

STOCK, PROBLEM, UNIT = "stock", "problem", "unit"
KIND_LABELS = {STOCK: "套用套话", PROBLEM: "与本单位其他问题的措施雷同", UNIT: "与其他单位的措施雷同"}
LSH_THRESHOLD = 0.7  # copies are near-identical: a high threshold keeps candidates few
STOCK_SHARE = 0.6  # a stock phrase must make up this share of a measure to call the measure a copy of it

_NOISE = re.compile(r"[\s,.;:!?，。；：！？、“”‘’\"'()（）《》\-—…·]+")
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+是|\d+[.、]|[(（]\d+[)）])")


@dataclass(frozen=True)
class Measure:
    key: Hashable
    unit: Hashable
    finding: Hashable
    text: str


@dataclass(frozen=True)
class Copy:
    """`key` is copied (`kind`) from `other`: another measure's key, or a stock phrase."""

    key: Hashable
    kind: str
    other: Hashable
    similarity: float


def normalise(text: str) -> str:
    """Punctuation, spaces and a leading 一是/1. removed, widths folded: copies differ in those first."""
    return _NOISE.sub("", _ORDINAL.sub("", fold_width(text).strip()))


def find_copies(
    measures: Sequence[Measure],
    stock_phrases: Sequence[str] = (),
    *,
    similarity: int = 90,
    min_length: int = 12,
) -> dict[Hashable, list[Copy]]:
    """Copies per measure key, at most one of each kind (the reviewer needs one source, not all of them).

    A measure shorter than `min_length` characters is never called a copy. Identical texts are
    bucketed first, so a sentence repeated in a thousand measures costs one comparison, not a million.
    """
    texts = [normalise(m.text) for m in measures]
    found: dict[Hashable, dict[str, Copy]] = {}

    def add(index: int, kind: str, other: Hashable, score: float) -> None:
        kinds = found.setdefault(measures[index].key, {})
        if kind not in kinds:
            kinds[kind] = Copy(measures[index].key, kind, other, round(score, 1))

    buckets: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        if len(text) >= min_length:
            buckets.setdefault(text, []).append(index)
    distinct = list(buckets)
    stock = [(phrase, normalise(phrase)) for phrase in stock_phrases]
    for text in distinct:
        phrase, score = _stock_match(text, stock, similarity)
        if phrase is not None:
            for index in buckets[text]:
                add(index, STOCK, phrase, score)
    for members in buckets.values():
        if len(members) > 1:
            _link(members, members, 100.0, measures, add)
    sigs = signatures(distinct)
    for i, j in lsh_pairs(sigs, threshold=LSH_THRESHOLD):
        score = fuzz.ratio(distinct[i], distinct[j])
        if score >= similarity:
            _link(buckets[distinct[i]], buckets[distinct[j]], score, measures, add)
            _link(buckets[distinct[j]], buckets[distinct[i]], score, measures, add)
    return {key: list(kinds.values()) for key, kinds in found.items()}


def _stock_match(text: str, stock: list[tuple[str, str]], similarity: int) -> tuple[str | None, float]:
    for phrase, norm in stock:
        score = fuzz.ratio(text, norm)
        if score < similarity and len(norm) >= STOCK_SHARE * len(text):
            score = fuzz.partial_ratio(text, norm)
        if score >= similarity:
            return phrase, score
    return None, 0.0


def _link(mine: list[int], theirs: list[int], score: float, measures: Sequence[Measure], add) -> None:
    """Give each of `mine` one source among `theirs`: of its own unit (another problem) and of another unit."""
    by_unit: dict[Hashable, list[int]] = {}
    for index in theirs:
        by_unit.setdefault(measures[index].unit, []).append(index)
    units = list(by_unit)
    for index in mine:
        own = measures[index]
        same = next((k for k in by_unit.get(own.unit, ()) if measures[k].finding != own.finding), None)
        if same is not None:
            add(index, PROBLEM, measures[same].key, score)
        other = next((u for u in units[:2] if u != own.unit), None)
        if other is not None:
            add(index, UNIT, measures[by_unit[other][0]].key, score)
