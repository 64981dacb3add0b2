"""Common problems (共性问题): the groups a person would pick on the samples, purity and recall on generated rounds."""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict

import numpy as np
import pytest
from datasketch import MinHash

from tests.conftest import SAMPLES
from zhenggai.oversight.analysis import common
from zhenggai.oversight.analysis.similar import UnionFind, lsh_pairs, shingles, signatures


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("针对“部分村发展党员不规范”问题", ["村发展党员"]),
        ("关于公务用车管理不够规范的问题", ["公务用车管理"]),
        ("反馈问题：党费收缴不到位。", ["党费收缴"]),
        ("“三会一课”、谈心谈话等制度执行不到位", ["三会一课", "谈心谈话"]),
        ("未严格执行‘一把手’末位表态制", ["末位表态"]),
        ("2019年召开会议22次，较上年下降21%", ["#年召开会议#次", "较上年下降#%"]),
    ],
)
def test_phrases_keep_what_names_the_problem(statement, expected):
    assert common.phrases(statement) == expected


def test_signatures_are_datasketchs_own():
    """Our numpy pass must give exactly what datasketch's MinHash gives, or the LSH would mis-band."""
    texts = ["支部组织生活不够规范", "", "三会一课", "党费收缴" * 300]
    for text, row in zip(texts, signatures(texts), strict=True):
        sketch = MinHash(num_perm=len(row), seed=1, scheme="affine32", hashfunc=zlib.crc32)
        sketch.update_batch([g.encode() for g in set(shingles(text))])
        assert np.array_equal(sketch.hashvalues, row)


def test_lsh_finds_near_duplicates_and_union_find_joins_them():
    texts = ["村党内组织生活", "党内组织生活会", "公务接待管理", "公务接待管理规定", "耕地保护巡查"]
    pairs = set(lsh_pairs(signatures(texts), threshold=0.4))
    assert (0, 1) in pairs and (2, 3) in pairs
    sets = UnionFind(len(texts))
    for i, j in pairs:
        sets.union(i, j)
    assert sorted(len(g) for g in sets.groups().values()) == [1, 2, 2]


def _sample_statements() -> list[common.Statement]:
    from zhenggai.ingest import parse_file

    statements = []
    for path in sorted(SAMPLES.glob("*.txt")):
        for index, leaf in enumerate(parse_file(path).leaves()):
            statements.append(common.Statement((path.name, index), path.name, leaf.title))
    return statements


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples is not present")
def test_groups_on_the_samples_are_the_ones_a_person_would_pick():
    statements = _sample_statements()
    text = {s.key: s.text for s in statements}
    groups = common.group(statements)

    def found(*needles: str) -> common.Group | None:
        for g in groups:
            if all(any(n in text[k] for k in g.keys) for n in needles) and len(g.units) >= 2:
                return g
        return None

    three = found("三会一课")
    assert three is not None and all("三会一课" in text[k] for k in three.keys)
    last_word = found("末位表态")
    assert last_word is not None and len(last_word.units) >= 2
    assert all("末位表态" in text[k] for k in last_word.keys)
    for g in groups:
        assert len(g.units) >= 2
        assert g.representative in g.keys


def _round(seed: int, units: int = 12):
    from zhenggai.fiction import generate_round

    statements, topic = [], {}
    for u, report in enumerate(generate_round(seed, units=units)):
        for i, leaf in enumerate(report.leaves()):
            statements.append(common.Statement((u, i), u, leaf.title))
            topic[(u, i)] = leaf.topic
    return statements, topic


def test_purity_and_recall_on_generated_rounds():
    """No group mixes problems (purity by the generator's topic keys); shared problems are found."""
    pure = total = 0
    recalled, shared_topics, findings_found, findings_shared = 0, 0, 0, 0
    for seed in range(900, 915):
        statements, topic = _round(seed)
        groups = common.group(statements)
        units_of = defaultdict(set)
        for key, t in topic.items():
            units_of[t].add(key[0])
        majority = {}
        for n, g in enumerate(groups):
            top, count = Counter(topic[k] for k in g.keys).most_common(1)[0]
            majority[n] = top
            pure, total = pure + count, total + g.size
        in_group = defaultdict(set)
        for n, g in enumerate(groups):
            for k in g.keys:
                in_group[k].add(majority[n])
        for t, units in units_of.items():
            if len(units) < 2:
                continue
            shared_topics += 1
            keys = {k for k in topic if topic[k] == t}
            recalled += any(
                majority[n] == t and len({k[0] for k in keys & set(g.keys)}) >= 2 for n, g in enumerate(groups)
            )
            findings_shared += len(keys)
            findings_found += sum(1 for k in keys if t in in_group[k])
    purity, recall = pure / total, recalled / shared_topics
    print(
        f"purity {purity:.3f}, recall of shared problems {recall:.3f}, of their findings {findings_found / findings_shared:.3f}"
    )
    assert purity >= 0.9
    assert recall >= 0.8
    assert findings_found / findings_shared >= 0.8


def test_a_statement_naming_two_problems_does_not_bridge_them():
    statements = [
        common.Statement(1, "a", "“三会一课”、党费收缴等制度执行不到位"),
        common.Statement(2, "b", "“三会一课”制度落实不到位"),
        common.Statement(3, "c", "党费收缴不规范"),
    ]
    groups = common.group(statements)
    keysets = sorted(sorted(g.keys) for g in groups)
    assert keysets == [[1, 2], [1, 3]]


def test_one_units_repetition_is_not_a_common_problem():
    statements = [common.Statement(i, "same unit", "公务用车管理不规范") for i in range(3)]
    assert common.group(statements) == []
    assert len(common.group(statements, min_units=1)) == 1
