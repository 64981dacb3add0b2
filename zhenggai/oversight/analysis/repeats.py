"""Repeated problems (改了又犯): a new finding of a unit that an earlier inspection of the same unit
already found, whether or not that one was closed.

Comparison is by the same phrases as common problems (wrappers and verdicts stripped), pair by pair
within one unit: a unit has a few dozen findings per inspection, so rapidfuzz's matrix over them is
exact and fast, and needs no index. Pure: items in, matches out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from zhenggai.oversight.analysis.common import CONFIRM, CONFIRM_PARTIAL, PARTIAL_MIN, phrases

PARTIAL_FLOOR = 40  # a pair below this ratio is not worth a partial comparison


@dataclass(frozen=True)
class Item:
    """A finding: `order` sorts a unit's inspections in time (feedback date, or round year)."""

    key: Hashable
    unit: Hashable
    order: tuple
    text: str


@dataclass(frozen=True)
class Repeat:
    """`finding` repeats `earlier`; `similarity` (0–100) of their closest phrases, which `phrase` shows."""

    finding: Hashable
    earlier: Hashable
    similarity: float
    phrase: str
    earlier_phrase: str


def find(items: Sequence[Item], *, confirm: int = CONFIRM) -> list[Repeat]:
    """For each finding, the closest finding of an earlier inspection of its unit, when they match."""
    by_unit: dict[Hashable, list[Item]] = defaultdict(list)
    for item in items:
        by_unit[item.unit].append(item)
    out: list[Repeat] = []
    for unit_items in by_unit.values():
        orders = sorted({item.order for item in unit_items})
        if len(orders) < 2:
            continue
        cut = {item.key: phrases(item.text) for item in unit_items}
        for order in orders[1:]:
            new = [item for item in unit_items if item.order == order]
            old = [item for item in unit_items if item.order < order]
            out.extend(_matches(new, old, cut, confirm))
    return out


def _matches(new: list[Item], old: list[Item], cut: dict, confirm: int) -> list[Repeat]:
    old_phrases = [(item, p) for item in old for p in cut[item.key]]
    if not old_phrases:
        return []
    found = []
    for item in new:
        mine = cut[item.key]
        if not mine:
            continue
        scores = cdist(mine, [p for _, p in old_phrases], scorer=fuzz.ratio)
        i, j = np.unravel_index(int(scores.argmax()), scores.shape)
        score = float(scores[i, j])
        if score < confirm:
            # the shorter phrase inside the longer ("末位表态" in "一把手末位表态"): rare, checked one by one
            partial = [(a, b) for a, b in np.argwhere(scores >= PARTIAL_FLOOR) if _partial(mine[a], old_phrases[b][1])]
            if not partial:
                continue
            (i, j), score = partial[0], float(CONFIRM_PARTIAL)
        earlier, phrase = old_phrases[j]
        found.append(Repeat(item.key, earlier.key, round(score, 1), mine[i], phrase))
    return found


def _partial(a: str, b: str) -> bool:
    short = min(len(a), len(b))
    if short < PARTIAL_MIN or short * 2 < max(len(a), len(b)):
        return False
    return fuzz.partial_ratio(a, b) >= CONFIRM_PARTIAL
