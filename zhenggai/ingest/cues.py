"""Cues of the genre's wording: how a problem statement reads, as against a measure taken."""

from __future__ import annotations

import re

TARGETED = re.compile(r"^(?:针对|关于)“.+”(?:等)?(?:的)?问题")
_ENUMERATED = re.compile(r"^[一二三四五六七八九十]{1,3}是")
_NUMERALS = frozenset("一二三四五六七八九十")
# What a problem statement says (a shortfall) and how a measure starts (an action, a date, a lead).
_SHORTFALL = re.compile(
    r"不到位|不够|不严|不足|不力|不实|不深|不强|不高|不全|不规范|不完整|不彻底|不明显|不及时|不紧|缺失|缺位|缺乏|滞后|漏洞|"
    r"流于形式|差距|松懈|松动|薄弱|偏差|短板|欠缺|走过场|形式主义|未按|未经|未能|未及时|未开展|未履行|违规|超标|"
    r"打折扣|有待|存在.{0,8}(?:问题|现象|情况)"
)
_ACTION_START = re.compile(
    r"^(?:\d{1,4}年|\d{1,2}月|今年|目前|截至|已|由|经|对|将|把|按照|根据|结合|针对|通过|围绕|坚持|进一步|"
    r"制定|建立|修订|完善|召开|组织|开展|加强|落实|严格|约谈|补齐|追回|清退|规范|健全|强化|认真|举一反三|立行立改|全面|及时|"
    r"督促|责令|集中|深入|持续|印发|出台|压实|明确|细化|成立|专题|重新|积极|切实|坚决|定期|实行|推动|提高|提升)"
)


def is_targeted(key: str) -> bool:
    """A "针对“…”问题" line, which names the problem it answers."""
    return key.startswith(("针对", "关于")) and TARGETED.match(key) is not None


def looks_like_problem(key: str) -> bool:
    """A problem statement: a shortfall, stated briefly, not an action taken or an enumeration."""
    if is_targeted(key):
        return True
    if len(key) > 120 or key.endswith(":") or _ACTION_START.match(key):
        return False
    if key[:1] in _NUMERALS and _ENUMERATED.match(key):
        return False
    return bool(_SHORTFALL.search(key[:60]))
