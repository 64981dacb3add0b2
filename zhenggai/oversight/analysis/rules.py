"""The rules of the rectification-quality check (整改质量), as data the office can read and edit.

A measure is concrete when at least one *fact* rule fires: it says what was done (a completed action),
when (a date), how much (a count, an amount), by whom (a department or post doing something) or with
what result (a rule document made, a meeting held, money recovered, someone held to account). A
measure where no fact rule fires is "only words" (表态式整改); the *slogan* rules that fired say why.

Patterns are regular expressions matched clause by clause (a clause runs to the next ，；。) against
the measure folded to half-width punctuation. A fact rule marked `hedged` does not fire in a clause
that also holds a hedge — words that turn an action into an intention or a standing norm (进一步,
定期, 今后, 确保…): "召开专题会议" is a meeting held, "定期召开会议" a promise.

Every list here can be replaced by a JSON file of the same shape in the data folder
(`quality_rules.json`, see `zhenggai.oversight.rulesfile`), so an office tunes the check without code.
"""

from __future__ import annotations

# Verbs that report an effect or an attitude rather than an action: "加强了", "杜绝了" claim a result
# without saying what was done, so a 了 after them is no sign of a completed action.
VAGUE_VERBS = [
    "加强",
    "强化",
    "增强",
    "提升",
    "提高",
    "杜绝",
    "深化",
    "改进",
    "推进",
    "推动",
    "促进",
    "巩固",
    "营造",
    "彰显",
    "体现",
    "发挥",
    "调动",
    "激发",
    "树立",
    "端正",
    "筑牢",
    "夯实",
    "扭转",
    "遏制",
    "避免",
    "防止",
    "减少",
    "确保",
    "保证",
    "保障",
    "实现",
    "达成",
    "形成共识",
    "转变",
    "压实",
    "压紧",
    "拧紧",
    "凝聚",
    "坚定",
    "得到",
    "受到",
    "引起",
    "明白",
    "懂得",
    "认识",
    "意识",
    "体会",
    "感受",
    "成为",
    "展现",
    "展示",
    "彰显",
    "激发",
    "带动",
]

# Words that make a clause an intention, a standing norm or a condition rather than a report of what
# was done. Matched anywhere in the clause.
HEDGES = (
    r"进一步|加强|强化|增强|提高|提升|确保|坚持|坚决|严格|定期|不定期|按时|及时|经常|常态|持续|不断|逐步|"
    r"今后|以后|将来|力争|努力|争取|必须|须|应当|要求|务必|拟|计划|准备|着力|切实|全面落实|认真落实|认真执行|"
    r"每[年季月周天日次个名]|凡|一旦|一律|如发现|若|对于|通过.*?等(多种)?(方式|形式|途径|渠道)|"
    r"举一反三|引以为戒|常抓不懈|久久为功|防患于未然|警钟长鸣|引导|鼓励|号召|倡导|指导|督促|摆上|摆在|放在|"
    r"不得|严禁|杜绝|防止|避免|做到|做好|抓好|抓实|抓细|落细|落小|落实落地"
)

# Openings that make the rest of a sentence conditional ("对于……行为，进行严肃处理"): a rule for cases that
# may come, not a report of one that did. Matched at the start of each clause.
CONDITIONS = r"^(对于|凡是?|一旦|如发现|如有|若|对(情节|已经|发现|违反|存在|出现)[^。;]*?的[^,。;]*(问题|行为|情况))"

# Numbers followed by a measure word count something done — unless a norm surrounds them
# ("每月至少1次", "不少于60天", "10000元以上"), which states a rule, not a fact.
MEASURE_WORDS = "人次|次|名|人|个|件|份|项|笔|万元|亿元|元|户|家|所|条|本|卷|批|场|期|篇|处|宗|起|册|套|台|辆|张|页|%|余名|余人|余次|余件"
NORM_BEFORE = r"(每|至少|不少于|不低于|不超过|不高于|超过|单笔|单次|累计不|最多|最少|最高|最低)$"
NORM_AFTER = r"^(以上|以下|以内|及以上|至|左右)"
# Set phrases named with a numeral (中央八项规定, 四个意识, 两个责任): a name, not a count.
NUMBERED_NAMES = r"^(规定|意识|自信|维护|责任|原则|机制|要求|精神|形态|必须|务必|落实|聚焦|清单)"
# A first sentence this short (in characters) is a heading (小标题 "压实整改责任。"), not a report.
HEADING_MAX = 10

# Fact rules: (id, label shown to the user, dimension, pattern, hedged).
# dimension: done 做了什么 / when 何时 / amount 多少 / who 由谁 / result 有何成果
FACT_RULES: list[dict] = [
    {
        "id": "done_already",
        "label": "写明已完成（已……）",
        "dimension": "done",
        "pattern": r"(已经?|均已|业已|现已|目前已)(?!成为|形成共识|成为自觉)(?![\u4e00-\u9fff]{1,3}的)[\u4e00-\u9fff]",
        "hedged": True,
    },
    {
        "id": "done_le",
        "label": "写明已完成的动作（……了）",
        "dimension": "done",
        "pattern": "<completed-le>",  # computed in code: a verb before 了 that is not a vague verb
        "hedged": False,
    },
    {
        "id": "done_finished",
        "label": "写明完成或办结",
        "dimension": "done",
        "pattern": r"(已|均|全部|全面)?(完成|办结|结案|销号|验收通过)(?!整改任务的?时限)|截至(目前|\d)",
        "hedged": True,
    },
    {
        "id": "date",
        "label": "写明时间",
        "dimension": "when",
        "pattern": r"\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|\d{1,2}月(份|上旬|中旬|下旬|初|底|中)|\d{4}年度?(?!以来)",
        "hedged": False,
    },
    {
        "id": "count",
        "label": "写明数量或金额",
        "dimension": "amount",
        "pattern": "<count>",  # computed in code from MEASURE_WORDS, NORM_BEFORE and NORM_AFTER
        "hedged": True,
    },
    {
        "id": "document_made",
        "label": "制定或修订了具名制度文件《……》",
        "dimension": "result",
        "pattern": r"(制定|出台|修订|修改|印发|下发|编制|编印|完善|健全|建立|起草|重新制定)[^,;。]{0,8}《",
        "hedged": True,
    },
    {
        "id": "meeting_held",
        "label": "召开了会议或活动",
        "dimension": "result",
        "pattern": r"(召开|举行|举办|主持召开|邀请[^,;。]{0,15}(参加|列席))[^,;。]{0,30}(会|会议|座谈|党课|讲座|培训|活动)",
        "hedged": True,
    },
    {
        "id": "decided_by_meeting",
        "label": "经会议研究决定",
        "dimension": "result",
        "pattern": r"经[^,;。]{0,12}(会|会议)[^,;。]{0,4}(研究|审议|讨论|决定|通过)",
        "hedged": True,
    },
    {
        "id": "accountability",
        "label": "约谈、问责或追回资金",
        "dimension": "result",
        "pattern": r"约谈|诫勉|问责|处分|通报批评|批评教育|谈话提醒|提醒谈话|追回|追缴|清退|缴回|退回|退还|挽回|补缴|退赔",
        "hedged": True,
    },
    {
        "id": "training_held",
        "label": "组织了培训或学习",
        "dimension": "done",
        "pattern": r"(组织|举办|举行|开展|进行|召开|参加|听取)[^,;。]{0,30}(培训|党课|讲座|集中学习|专题学习|学习活动|警示教育会|观看)",
        "hedged": True,
    },
    {
        "id": "campaign",
        "label": "开展了具名专项活动",
        "dimension": "done",
        "pattern": r"(开展|实施|启动|举办|组织)[^,;。]{0,8}[“\"][^”\"]{2,40}(活动|行动|竞赛|整治|评比|工程)?[”\"]"
        r"(?(2)|[^,;。]{0,16}(活动|行动|竞赛|整治|评比|工程))",
        "hedged": True,
    },
    {
        "id": "established",
        "label": "设立、调整或补齐了具体事项",
        "dimension": "done",
        "pattern": r"成立|设立|开设|补选|撤销|解除|调整|更换|配齐|配备|上墙|补齐|补录|补签|补办|纳入[^,;。]{0,12}(考核|绩效|目标管理|细则|评价|评议)",
        "hedged": True,
    },
    {
        "id": "checked",
        "label": "对具体对象开展了排查检查",
        "dimension": "done",
        "pattern": r"对[^,;。]{2,30}(进行|开展)(了)?(全面|专项|逐一|再次)?(排查|梳理|清查|检测|核查|清理|自查|检查|督查|审核|维修|盘点|核实)",
        "hedged": True,
    },
    {
        "id": "reported_up",
        "label": "向上级报告或备案",
        "dimension": "done",
        "pattern": r"向[^,;。]{1,12}(专题)?(汇报|报告|报送|备案|说明)",
        "hedged": True,
    },
    {
        "id": "by_whom",
        "label": "写明由谁牵头落实",
        "dimension": "who",
        "pattern": r"由[^,;。]{2,14}(牵头|负责|带队)[^;。]{0,30}(进行|开展|组织|出台|举行|召开|对)|"
        r"(指定|安排|确定)[^,;。]{0,10}(专人|专门人员|专职人员)",
        "hedged": True,
    },
]

# Slogan rules: they explain a words-only verdict; they never make a measure concrete.
SLOGAN_RULES: list[dict] = [
    {"id": "further", "label": "“进一步……”式表态", "pattern": r"进一步"},
    {"id": "strengthen", "label": "“加强/强化/提高……”式要求", "pattern": r"加强|强化|增强|提高|提升|加大"},
    {"id": "awareness", "label": "提高认识、增强意识", "pattern": r"认识|意识|站位|自觉|责任感|使命感"},
    {
        "id": "strictly",
        "label": "“严格执行/认真落实……”",
        "pattern": r"严格(执行|落实|按照|遵守)|认真(落实|执行|贯彻|学习)",
    },
    {"id": "future", "label": "“今后将……”式承诺", "pattern": r"今后|以后|将来|下一步|力争"},
    {"id": "prevent", "label": "“坚决防止/杜绝……”", "pattern": r"坚决|杜绝|防止|避免|不再|再次发生"},
    {"id": "ensure", "label": "“确保……”式目标", "pattern": r"确保|保证|务求|做到"},
    {
        "id": "norm",
        "label": "长期要求（定期、常态、每月至少……）",
        "pattern": r"定期|常态|长效|持续|不断|久久为功|常抓不懈|每[年季月周]|至少|不少于",
    },
    {
        "id": "idiom",
        "label": "套话（举一反三、引以为戒……）",
        "pattern": r"举一反三|引以为戒|警钟长鸣|防患于未然|落实落地|落到实处",
    },
]

# Stock phrases (套话): text copied from them is flagged even when the measure has a concrete part.
STOCK_PHRASES: list[str] = [
    "举一反三，引以为戒，坚决防止类似问题再次发生",
    "坚持问题导向，立行立改，确保整改到位",
    "建立健全长效机制，巩固扩大整改成果",
    "切实提高政治站位，压紧压实整改主体责任",
    "以钉钉子精神抓好整改落实，确保件件有着落、事事有回音",
    "整改不到位不放过，群众不满意不放过",
    "进一步增强“四个意识”、坚定“四个自信”、做到“两个维护”",
    "坚持标本兼治，做到真改实改、全面整改",
    "切实把思想和行动统一到上级决策部署上来",
    "加强学习教育，提高思想认识，增强纪律规矩意识",
]

# How similar (0–100, rapidfuzz ratio on the folded text) two measures must be to count as a copy.
COPY_SIMILARITY = 90
# Measures shorter than this (in characters) are too short to call copies.
COPY_MIN_LENGTH = 12


def default_rules() -> dict:
    """The rules as one JSON-ready mapping: the shape of `quality_rules.json`."""
    return {
        "vague_verbs": list(VAGUE_VERBS),
        "hedges": HEDGES,
        "conditions": CONDITIONS,
        "measure_words": MEASURE_WORDS,
        "norm_before": NORM_BEFORE,
        "norm_after": NORM_AFTER,
        "numbered_names": NUMBERED_NAMES,
        "heading_max": HEADING_MAX,
        "facts": [dict(rule) for rule in FACT_RULES],
        "slogans": [dict(rule) for rule in SLOGAN_RULES],
        "stock_phrases": list(STOCK_PHRASES),
        "copy_similarity": COPY_SIMILARITY,
        "copy_min_length": COPY_MIN_LENGTH,
    }
