"""Classification of findings into a standard taxonomy (六大建设, 三个聚焦…), explainably.

Each category has keywords; a finding scores the length of every keyword found in its statement,
and half again for one found in its aspect or problem heading (the context its team gave it). With
no keyword at all, character bigrams shared with a category's keywords decide, if enough of them do.
The answer names the keywords that decided, so a reviewer can see why and fix a keyword list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zhenggai.ingest.normalise import fold_width

CONTEXT_WEIGHT = 1.5
NGRAM_MIN = 0.2  # share of the statement's bigrams a category must hold when no keyword matched


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Classification:
    """`code` None when nothing matched; `method` is "keyword", "ngram" or "none"."""

    code: str | None
    score: float
    matched: tuple[str, ...]
    method: str

    @property
    def explanation(self) -> str:
        if self.method == "keyword":
            return "关键词：" + "、".join(self.matched)
        if self.method == "ngram":
            return "字面相近：" + "、".join(self.matched)
        return "未匹配到分类关键词"


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


class Classifier:
    """Compiled once per taxonomy; `classify` is then a few substring tests per keyword."""

    def __init__(self, categories: Sequence[CategorySpec]) -> None:
        self.categories = list(categories)
        self._grams = [set().union(*(_bigrams(k) for k in (c.name, *c.keywords))) for c in self.categories]

    def classify(self, statement: str, context: Sequence[str] = ()) -> Classification:
        text = fold_width(statement)
        around = fold_width(" ".join(context))
        best: tuple[float, int, tuple[str, ...]] | None = None
        for index, category in enumerate(self.categories):
            score, matched = 0.0, []
            for word in (category.name, *category.keywords):
                if word in text:
                    score += len(word)
                    matched.append(word)
                elif around and word in around:
                    score += len(word) * CONTEXT_WEIGHT
                    matched.append(word)
            if score and (best is None or score > best[0]):
                best = (score, index, tuple(matched))
        if best is not None:
            score, index, matched = best
            return Classification(self.categories[index].code, score, matched, "keyword")
        return self._by_ngrams(text)

    def _by_ngrams(self, text: str) -> Classification:
        grams = _bigrams(text)
        if not grams:
            return Classification(None, 0.0, (), "none")
        shares = [len(grams & pool) / len(grams) for pool in self._grams]
        index = max(range(len(shares)), key=shares.__getitem__, default=None)
        if index is None or shares[index] < NGRAM_MIN:
            return Classification(None, 0.0, (), "none")
        shared = tuple(sorted(grams & self._grams[index]))[:8]
        return Classification(self.categories[index].code, round(shares[index], 3), shared, "ngram")
