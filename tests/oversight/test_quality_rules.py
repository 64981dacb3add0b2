"""The concreteness check (表态式整改): agreement with the hand labels, with the generator's truth, rule by rule.

The labels in ../shared/samples/*.measures.jsonl are read at run time and never copied here; the
rules were written from the genre, and the generated measures are a second, independent check.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import SAMPLES
from zhenggai.oversight.analysis import quality
from zhenggai.oversight.analysis.rules import default_rules

LABEL_FILES = sorted(SAMPLES.glob("*.measures.jsonl")) if SAMPLES.is_dir() else []


def precision_recall(pairs: list[tuple[bool, bool]]) -> tuple[float, float]:
    """Of the "words" class: pairs are (predicted words_only, labelled words)."""
    tp = sum(1 for p, t in pairs if p and t)
    fp = sum(1 for p, t in pairs if p and not t)
    fn = sum(1 for p, t in pairs if not p and t)
    return tp / (tp + fp), tp / (tp + fn)


@pytest.mark.skipif(not LABEL_FILES, reason="../shared/samples has no labelled measures")
def test_words_only_agrees_with_the_hand_labels():
    pairs = []
    for path in LABEL_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            pairs.append((quality.check(row["text"]).words_only, row["label"] == "words"))
    precision, recall = precision_recall(pairs)
    print(f"labelled measures: {len(pairs)}, words precision {precision:.3f}, recall {recall:.3f}")
    assert len(pairs) >= 100
    assert precision >= 0.85
    assert recall >= 0.85


def test_words_only_agrees_with_the_generators_truth():
    from zhenggai.fiction import generate_report

    pairs = []
    for seed in range(5000, 5150):  # seeds no rule was ever looked at with
        for leaf in generate_report(seed).leaves():
            pairs.extend(
                (quality.check(m).words_only, not concrete)
                for m, concrete in zip(leaf.measures, leaf.concrete, strict=True)
            )
    precision, recall = precision_recall(pairs)
    print(f"generated measures: {len(pairs)}, words precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.9
    assert recall >= 0.9


# Our own sentences in the genre's manner, one or two per rule: (text, words_only, a rule expected).
CASES = [
    ("已对全部12个村的集体资产重新登记造册。", False, "done_already"),
    ("修订了机关财务报销制度，明确审批权限。", False, "done_le"),
    ("截至目前，问题台账中的事项均已办结。", False, "done_finished"),
    ("3月8日，局党组专题研究整改方案。", False, "date"),
    ("清理规范津贴补贴发放，共涉及干部职工46人。", False, "count"),
    ("制定《公务用车使用管理办法》，对派车审批作出规定。", False, "document_made"),
    ("召开全体干部职工大会，通报巡察反馈问题。", False, "meeting_held"),
    ("经局党组会议研究决定，调整两名股室负责人。", False, "decided_by_meeting"),
    ("约谈相关经办人员，责令作出书面检查。", False, "accountability"),
    ("组织财务人员参加全市财政业务培训。", False, "training_held"),
    ("开展“清廉机关”创建活动，设立廉政文化长廊。", False, "campaign"),
    ("成立整改工作领导小组，由党组书记任组长。", False, "established"),
    ("对近三年的会议记录进行全面梳理，补记缺失内容。", False, "checked"),
    ("向县委巡察办专题报告整改进展。", False, "reported_up"),
    ("由办公室牵头对各股室公文处理情况开展检查。", False, "by_whom"),
    ("进一步加强党风廉政建设，切实提高思想认识。", True, "further"),
    ("严格执行《财务管理制度》，确保资金使用规范。", True, "strictly"),
    ("今后将严格按照程序办理，坚决防止类似问题再次发生。", True, "future"),
    ("定期召开专题会议，研究解决整改中的问题。", True, "norm"),
    ("对于违反规定的行为，一律进行通报批评。", True, NO_FACT := quality.NO_FACT),
    ("认真学习《中国共产党纪律处分条例》，增强纪律意识。", True, "strictly"),
    ("每月至少开展1次集中学习，不少于4个学时。", True, "norm"),
    ("加强了对下属单位的监督指导，有效杜绝了违规现象。", True, "strengthen"),
    ("压实整改责任。举一反三，引以为戒，避免问题反弹。", True, "idiom"),
    ("贯彻落实中央八项规定精神，树牢“四个意识”。", True, NO_FACT),
]


@pytest.mark.parametrize(("text", "words_only", "rule"), CASES, ids=[c[2] + str(i) for i, c in enumerate(CASES)])
def test_each_rule_on_sentences_of_the_genre(text, words_only, rule):
    verdict = quality.check(text)
    assert verdict.words_only is words_only, verdict
    if words_only:
        assert verdict.rules[0] == quality.NO_FACT
        assert rule in verdict.rules
    else:
        assert rule in verdict.facts


def test_the_verdict_explains_itself_in_chinese():
    rules = quality.default_ruleset()
    verdict = quality.check("进一步提高思想认识。")
    labels = [rules.labels[r] for r in verdict.rules]
    assert labels[0] == quality.NO_FACT_LABEL
    assert any("进一步" in label for label in labels)


def test_an_office_can_replace_a_rule_by_data():
    data = default_rules()
    data["facts"] = [r for r in data["facts"] if r["id"] != "meeting_held"]
    data["stock_phrases"] = ["我们自己的套话"]
    rules = quality.RuleSet.from_dict(data)
    assert quality.check("召开全体干部职工大会，通报巡察反馈问题。", rules).words_only
    assert rules.stock_phrases == ("我们自己的套话",)
    assert quality.RuleSet.from_dict({}).facts == quality.default_ruleset().facts


def test_every_default_rule_compiles_and_has_a_label():
    data = default_rules()
    ids = [r["id"] for r in data["facts"] + data["slogans"]]
    assert len(ids) == len(set(ids))
    assert all(r["label"] for r in data["facts"] + data["slogans"])
    json.dumps(data, ensure_ascii=False)  # the shape of quality_rules.json
