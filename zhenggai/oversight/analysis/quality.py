"""The concreteness check of one measure (整改措施): concrete, or only words (表态式整改)?

Pure functions over text and the rule data of `rules`; every verdict names the rules that fired, so
a reviewer sees why a measure was flagged and the office can change a rule it disagrees with.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from zhenggai.ingest.normalise import fold_width
from zhenggai.oversight.analysis import rules as defaults

NO_FACT = "no_fact"
NO_FACT_LABEL = "未写明具体行动、时间、数量、责任主体或成果"

_SENTENCE = re.compile(r"[。;!?\n]+")
_CLAUSE = re.compile(r"[,:]")
_TITLE = re.compile(r"《[^》]*》")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|《[^》]*》|‘[^’]*’|'[^']*'|\([^)]*\)")
_NOT_LE = ("为了", "除了", "了解", "了如", "不了", "罢了", "了结", "了然")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CN_NUMBER = "一二两三四五六七八九十百千万"
_NOT_BEFORE_CN = ("第", "每", "任何", "同", "这", "那", "某", "哪", "唯", "统", "逐", "之")


@dataclass(frozen=True)
class FactRule:
    id: str
    label: str
    dimension: str
    pattern: re.Pattern[str] | None  # None for the rules computed in code (done_le, count)
    hedged: bool


@dataclass(frozen=True)
class RuleSet:
    """The compiled rules; build from `rules.default_rules()` or an office's JSON of the same shape."""

    facts: tuple[FactRule, ...]
    slogans: tuple[tuple[str, str, re.Pattern[str]], ...]
    hedges: re.Pattern[str]
    conditions: re.Pattern[str]
    vague_verbs: tuple[str, ...]
    count: re.Pattern[str]
    norm_before: re.Pattern[str]
    norm_after: re.Pattern[str]
    numbered_names: re.Pattern[str]
    heading_max: int
    stock_phrases: tuple[str, ...]
    copy_similarity: int
    copy_min_length: int
    labels: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleSet:
        """Compile a rules mapping; keys missing from `data` keep their defaults."""
        merged = {**defaults.default_rules(), **data}
        facts = tuple(
            FactRule(
                r["id"],
                r["label"],
                r.get("dimension", "done"),
                None if r["pattern"].startswith("<") else re.compile(r["pattern"]),
                bool(r.get("hedged", True)),
            )
            for r in merged["facts"]
        )
        slogans = tuple((r["id"], r["label"], re.compile(r["pattern"])) for r in merged["slogans"])
        number = rf"(\d+(?:\.\d+)?|[{_CN_NUMBER}]+)(?:多|余)?(?:{merged['measure_words']})"
        labels = {r.id: r.label for r in facts} | {s[0]: s[1] for s in slogans} | {NO_FACT: NO_FACT_LABEL}
        return cls(
            facts=facts,
            slogans=slogans,
            hedges=re.compile(merged["hedges"]),
            conditions=re.compile(merged["conditions"]),
            vague_verbs=tuple(merged["vague_verbs"]),
            count=re.compile(number),
            norm_before=re.compile(merged["norm_before"]),
            norm_after=re.compile(merged["norm_after"]),
            numbered_names=re.compile(merged["numbered_names"]),
            heading_max=int(merged["heading_max"]),
            stock_phrases=tuple(merged["stock_phrases"]),
            copy_similarity=int(merged["copy_similarity"]),
            copy_min_length=int(merged["copy_min_length"]),
            labels=labels,
        )


@lru_cache(maxsize=1)
def default_ruleset() -> RuleSet:
    return RuleSet.from_dict(defaults.default_rules())


@dataclass(frozen=True)
class Verdict:
    """What the check says of one measure: the fact rules that fired, the slogan rules that fired."""

    facts: tuple[str, ...]
    slogans: tuple[str, ...]
    dimensions: tuple[str, ...]

    @property
    def words_only(self) -> bool:
        return not self.facts

    @property
    def rules(self) -> list[str]:
        """The rules behind the verdict: the facts of a concrete measure, or why it is only words."""
        return list(self.facts) if self.facts else [NO_FACT, *self.slogans]


def fold(text: str) -> str:
    """Half-width punctuation; the titles of documents masked (《…》 → 《》) so words inside a title
    (《纪律处分条例》) never pass for an action."""
    folded = fold_width(text).replace("，", ",").replace("；", ";").replace("：", ":")
    return _TITLE.sub("《》", folded)


def sentences(text: str) -> list[list[str]]:
    """The measure cut into sentences (to the next 。；！？) and those into clauses (to the next ，：)."""
    out = []
    for sentence in _SENTENCE.split(fold(text)):
        parts = [part.strip() for part in _CLAUSE.split(sentence) if part.strip()]
        if parts:
            out.append(parts)
    return out


def _completed_le(clause: str, vague: tuple[str, ...]) -> bool:
    """A 了 right after a verb that names an action (修订了, 召开了), not an effect (加强了, 杜绝了)."""
    start = 0
    while (i := clause.find("了", start)) >= 0:
        start = i + 1
        if i == 0 or not _HAN.match(clause[i - 1]):
            continue
        around = clause[max(0, i - 1) : i + 2]
        if any(word in around for word in _NOT_LE):
            continue
        if not clause[:i].endswith(vague):
            return True
    return False


def _counts(clause: str, rules: RuleSet) -> bool:
    """A number with a measure word outside quotes and names, not part of a norm (每月至少1次)."""
    bare = _QUOTED.sub("", clause)
    for match in rules.count.finditer(bare):
        before, after = bare[: match.start()], bare[match.end() :]
        if rules.norm_before.search(before[-4:]) or rules.norm_after.match(after):
            continue
        if match.group(1)[0] in _CN_NUMBER and (before.endswith(_NOT_BEFORE_CN) or rules.numbered_names.match(after)):
            continue
        return True
    return False


def check(text: str, rules: RuleSet | None = None) -> Verdict:
    """Check one measure; the verdict lists each fact rule at most once, in rule order."""
    rules = rules or default_ruleset()
    fired: set[str] = set()
    dimensions: set[str] = set()
    parts = sentences(text)
    if len(parts) > 1 and len("".join(parts[0])) <= rules.heading_max:
        parts = parts[1:]  # a heading (小标题) names the theme of the measure, it reports nothing
    for sentence in parts:
        conditional = False  # from a conditional opening to the end of its sentence
        for clause in sentence:
            conditional = conditional or bool(rules.conditions.search(clause))
            _check_clause(clause, conditional or bool(rules.hedges.search(clause)), rules, fired, dimensions)
    folded = fold_width(text)
    slogans = tuple(rid for rid, _, pattern in rules.slogans if pattern.search(folded))
    return Verdict(
        facts=tuple(r.id for r in rules.facts if r.id in fired),
        slogans=slogans,
        dimensions=tuple(sorted(dimensions)),
    )


def _check_clause(clause: str, hedged: bool, rules: RuleSet, fired: set[str], dimensions: set[str]) -> None:
    for rule in rules.facts:
        if rule.id in fired or (rule.hedged and hedged):
            continue
        if rule.pattern is not None:
            hit = bool(rule.pattern.search(clause))
        elif rule.id == "done_le":
            hit = _completed_le(clause, rules.vague_verbs)
        else:
            hit = _counts(clause, rules)
        if hit:
            fired.add(rule.id)
            dimensions.add(rule.dimension)
