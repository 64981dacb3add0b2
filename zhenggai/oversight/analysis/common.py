"""Common problems (共性问题): findings of different units that state the same problem in other words.

A finding's statement is cut into phrases with the genre's wrappers (针对“…”问题, 关于…的问题,
反馈问题：) and verdict words (不到位, 不规范, 流于形式…) stripped: what is left names the problem's
subject, which is what units share. Phrases are grouped by char 3-gram MinHash LSH, confirmed with
rapidfuzz; two findings sharing a confirmed phrase join one group (union-find). A group counts as
common when it spans at least `min_units` units. Pure: statements in, groups out.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from zhenggai.ingest.normalise import fold_width
from zhenggai.oversight.analysis.similar import UnionFind, lsh_pairs, signatures

# Wrappers around the statement: keep what is inside.
WRAPPERS = [
    re.compile(r"^针对[“\"‘'](?P<inner>.+)[”\"’'](等|等方面)?(问题|情况)?$"),
    re.compile(r"^关于(?P<inner>.+?)(的|等)?(问题|情况)$"),
    re.compile(r"^(巡察|巡视)?(反馈|发现|指出)?(的)?问题[:：](?P<inner>.+)$"),
    re.compile(r"^存在(?P<inner>.+?)(的)?(现象|问题)$"),
]
# Verdict and filler words of the genre: they say how bad a problem is, not which problem it is.
# A verdict is an optional adverb, an optional verb, then the judgement (执行 + 不够严格, 推动 + 不力).
_ADVERB = r"(还|仍|仍然|依然|较为|比较|相对|明显|普遍|严重|不同程度地?)?"
_VERB = r"(执行|落实|推进|推动|监管|把关|抓得|整改|贯彻|落到|开展|履行|发挥作用|作用发挥|重视程度|意识)?"
_JUDGEMENT = (
    r"((存在|有)?(不够|不太|不甚|不很|不|未|没有|欠|缺乏)(到位|规范|严格|严肃|严谨|扎实|深入|健全|完善|充分|及时|有力|"
    r"明显|彻底|紧|实|细|严|力|强|高|够|全|准|足|多|好|落实|执行|按规定|按要求|经常|主动|积极)+|"
    r"(存在|有)(漏洞|短板|差距|偏差|欠缺|松动|空档|盲区|不足|隐患|风险|薄弱环节|薄弱点|问题)|"
    r"流于形式|走形式|走过场|形式主义|打了折扣|缺位|滞后|缓慢|迟缓|不力|淡薄|不强|"
    r"(成效|效果)(不明显|不突出|不佳)|(存在)?(松懈|敷衍应付|弄虚作假)(现象)?)"
)
VERDICTS = re.compile(
    _ADVERB + _VERB + _JUDGEMENT + r"|(依然|仍然|仍|依旧|还|普遍|长期)存在|涉及(金额|资金|款项)?|#?(万|亿)?元|"
    r"现象|问题|情况|方面|部分|个别|有的|一些|少数|多数|大部分|相关|等"
)
_DIGITS = re.compile(r"\d+(\.\d+)?")
_PHRASE_SPLIT = re.compile(r"[。;；,，!！?？:：\n]+")
_ITEMS = re.compile(r"[、/“”‘’\"']")  # enumerations, and quoted names (“三会一课”) as phrases of their own
_SUFFIX = re.compile(r"(制度|制|机制|工作|规定)$")
_DROP = re.compile(r"[“”‘’\"'《》()（）【】\[\]\s、·.．…—\-]+")

MIN_PHRASE = 4  # characters a phrase needs, after stripping, to say which problem it is
THRESHOLD = 0.4  # LSH threshold on the estimated Jaccard similarity of 3-gram sets (short phrases: lower)
CONFIRM = 75  # rapidfuzz ratio (0–100) a candidate pair of phrases needs…
CONFIRM_PARTIAL = 90  # …or partial ratio, when the shorter phrase lies almost whole inside the longer
PARTIAL_MIN = 4  # characters the shorter phrase needs for a partial match
MEDOID_SAMPLE = 60  # members compared when choosing a large group's representative


@dataclass(frozen=True)
class Statement:
    """One finding to group: `key` is the caller's id for it (a database pk, an index…)."""

    key: Hashable
    unit: Hashable
    text: str


@dataclass
class Group:
    """A common problem: its findings (keys), the units they come from, and a representative statement."""

    keys: list[Hashable]
    units: list[Hashable]
    representative: Hashable
    phrases: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.keys)


def unwrap(text: str) -> str:
    """The statement without the genre's wrapper (针对“…”问题 → …), widths folded."""
    text = fold_width(text).strip().rstrip("。.;；")
    for pattern in WRAPPERS:
        match = pattern.match(text)
        if match:
            text = match.group("inner").strip()
    return text


def phrases(text: str, *, min_chars: int = MIN_PHRASE) -> list[str]:
    """The phrases that say which problem a statement names: split, verdicts stripped, numbers as #."""
    out: list[str] = []
    for part in _PHRASE_SPLIT.split(unwrap(text)):
        # an enumeration ("三会一课”、谈心谈话等制度") names several problems: each item is a phrase
        for item in _ITEMS.split(VERDICTS.sub("", _DIGITS.sub("#", part))):
            core = _SUFFIX.sub("", _DROP.sub("", item))
            if len(core.replace("#", "")) >= min_chars and core not in out:
                out.append(core)
    return out


def group(
    statements: Sequence[Statement],
    *,
    min_units: int = 2,
    threshold: float = THRESHOLD,
    confirm: int = CONFIRM,
) -> list[Group]:
    """Groups of statements naming the same problem across at least `min_units` units, largest first.

    A statement naming several problems ("“三会一课”、谈心谈话等制度执行不到位") may sit in several groups:
    groups are built from phrases, not from whole statements, so such a statement never bridges two
    unrelated problems into one group.
    """
    phrase_ids: dict[str, int] = {}
    owned: list[list[int]] = []
    for statement in statements:
        owned.append([phrase_ids.setdefault(p, len(phrase_ids)) for p in phrases(statement.text)])
    texts = list(phrase_ids)
    clusters = UnionFind(len(texts))
    for i, j in lsh_pairs(signatures(texts), threshold=threshold):
        if clusters.find(i) != clusters.find(j) and same_problem(texts[i], texts[j], confirm):
            clusters.union(i, j)
    problems = _merge_cooccurring(owned, clusters)
    groups = []
    for root, indices in problems.items():
        units = _distinct(statements[i].unit for i in indices)
        if len(indices) < 2 or len(units) < min_units:
            continue
        rep = _medoid(indices, owned, texts)
        groups.append(
            Group(
                keys=[statements[i].key for i in indices],
                units=units,
                representative=statements[rep].key,
                phrases=[texts[p] for p in owned[rep] if clusters.find(p) in root],
            )
        )
    groups.sort(key=lambda g: (-len(g.units), -g.size))
    return groups


def _merge_cooccurring(owned: list[list[int]], clusters: UnionFind) -> dict[frozenset[int], list[int]]:
    """Statements per problem: phrase clusters that mostly occur in the same statements are one problem.

    A statement's subject and its specific manifestation ("支部组织生活不规范。全年有3个月未召开支委会")
    fall in different phrase clusters; when two clusters share at least two statements and half of
    the smaller one, they are parts of one problem. One shared statement is not enough: that is a
    statement naming two problems.
    """
    members: dict[int, list[int]] = {}
    for index, ids in enumerate(owned):
        for root in dict.fromkeys(clusters.find(p) for p in ids):
            members.setdefault(root, []).append(index)
    roots = list(members)
    position = {root: k for k, root in enumerate(roots)}
    shared: dict[tuple[int, int], int] = {}
    for ids in owned:
        present = sorted({position[clusters.find(p)] for p in ids})
        for a in range(len(present)):
            for b in range(a + 1, len(present)):
                pair = (present[a], present[b])
                shared[pair] = shared.get(pair, 0) + 1
    problems = UnionFind(len(roots))
    for (a, b), count in shared.items():
        smaller = min(len(members[roots[a]]), len(members[roots[b]]))
        if count >= 2 and count * 2 >= smaller:
            problems.union(a, b)
    out: dict[frozenset[int], list[int]] = {}
    for ks in problems.groups().values():
        statements = sorted({i for k in ks for i in members[roots[k]]})
        out[frozenset(roots[k] for k in ks)] = statements
    return out


def same_problem(a: str, b: str, confirm: int = CONFIRM) -> bool:
    """Whether two phrases name the same problem: alike as wholes, or the shorter inside the longer."""
    if fuzz.ratio(a, b) >= confirm:
        return True
    short = min(len(a), len(b))
    return short >= PARTIAL_MIN and short * 2 >= max(len(a), len(b)) and fuzz.partial_ratio(a, b) >= CONFIRM_PARTIAL


def _distinct(values: Iterable[Hashable]) -> list[Hashable]:
    return list(dict.fromkeys(values))


def _medoid(indices: list[int], owned: list[list[int]], texts: list[str]) -> int:
    """The member most like the others (by rapidfuzz ratio of the stripped statements), on a sample."""
    if len(indices) <= 2:
        return indices[0]
    step = max(1, len(indices) // MEDOID_SAMPLE)
    sample = indices[::step][:MEDOID_SAMPLE]
    cores = ["".join(texts[p] for p in owned[i]) for i in sample]
    scores = cdist(cores, cores, scorer=fuzz.ratio).sum(axis=1)
    return sample[int(scores.argmax())]
