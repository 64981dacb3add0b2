"""The standard taxonomies findings are mapped to, as data: the office edits its copy in the database.

Teams word their aspects differently ("党的组织建设方面存在的问题", "聚焦基层党组织建设薄弱…",
"落实新时代党的组织路线方面"); mapping every finding to one standard frame lets rounds and teams be
compared. Keywords are the words of the genre that name a category's problems.
"""

from __future__ import annotations

SIX_BUILDINGS = {
    "name": "六大建设",
    "description": "党的政治建设、思想建设、组织建设、作风建设、纪律建设和廉洁建设（2018—2020年巡察报告常用框架）",
    "categories": [
        {
            "code": "political",
            "name": "政治建设",
            "keywords": "政治建设 政治站位 两个维护 四个意识 决策部署 重大部署 上级部署 民主集中制 三重一大 议事规则 议事决策 "
            "集体决策 末位表态 一言堂 请示报告 主体责任 第一责任人 把方向 管大局 职能职责 主责主业 重点任务 目标任务 中心工作 "
            "履职 政协 协商",
        },
        {
            "code": "ideological",
            "name": "思想建设",
            "keywords": "思想建设 理论学习 理论武装 中心组 学习笔记 学习教育 集中学习 学深学透 意识形态 网络阵地 网络安全 宣传 "
            "舆情 阵地 公众号 网站 思想政治 学习强国 讲话精神",
        },
        {
            "code": "organisational",
            "name": "组织建设",
            "keywords": "组织建设 三会一课 组织生活 民主生活会 组织生活会 党支部 支委会 党小组 发展党员 入党 党员管理 党费 "
            "干部选拔 选人用人 干部任用 人事档案 干部档案 职级晋升 换届 民主评议 基层党组织 党建 干部队伍 年轻干部 "
            "谈心谈话 支部手册 党员教育",
        },
        {
            "code": "conduct",
            "name": "作风建设",
            "keywords": "作风建设 八项规定 形式主义 官僚主义 公务接待 公务用车 车辆 文山会海 精文简会 会议 发文 调查研究 调研 "
            "考勤 请销假 群众诉求 为民服务 服务群众 懒政 不作为 慢作为 担当 走形式 签到",
        },
        {
            "code": "discipline",
            "name": "纪律建设",
            "keywords": "纪律建设 纪律 财经纪律 财务 报销 凭证 审批 采购 招标 合同 资产 资金 专项资金 预算 账目 记账 "
            "一岗双责 监督责任 纪检 派驻 第一种形态 警示教育 政治纪律 组织纪律 三资 村务公开 四议两公开",
        },
        {
            "code": "integrity",
            "name": "廉洁建设",
            "keywords": "廉洁 廉政 廉洁自律 廉政风险 腐败 不正之风 违规发放 补贴 津贴 福利 奖金 吃喝 礼品 纪念品 收受 "
            "利益输送 兼职 违规经商 套取 侵占 挪用 优亲厚友 吃拿卡要 雁过拔毛",
        },
    ],
}

THREE_FOCUSES = {
    "name": "三个聚焦",
    "description": "聚焦党的领导弱化、聚焦群众身边不正之风和腐败问题、聚焦基层党组织软弱涣散（巡察工作常用框架）",
    "categories": [
        {
            "code": "leadership",
            "name": "聚焦党的领导弱化、党的建设缺失、全面从严治党不力",
            "keywords": "党的领导 决策部署 政治站位 两个维护 民主集中制 三重一大 议事规则 请示报告 末位表态 主体责任 "
            "一岗双责 全面从严治党 意识形态 理论学习 中心组 职能职责 主责主业 整改 巡察 审计",
        },
        {
            "code": "public",
            "name": "聚焦群众身边不正之风和腐败问题",
            "keywords": "群众 不正之风 腐败 八项规定 公务接待 公务用车 补贴 津贴 违规发放 资金 财务 报销 采购 合同 资产 "
            "三资 惠农 救助 扶贫 低保 优亲厚友 吃拿卡要 形式主义 官僚主义 诉求 信访 村务公开",
        },
        {
            "code": "grassroots",
            "name": "聚焦基层党组织软弱涣散、组织力欠缺",
            "keywords": "基层党组织 党支部 三会一课 组织生活 民主生活会 组织生活会 发展党员 党费 党员管理 换届 支委 "
            "民主评议 干部选拔 干部队伍 人事档案 党建 阵地 党员活动",
        },
    ],
}

DEFAULT_TAXONOMIES = [SIX_BUILDINGS, THREE_FOCUSES]


def keyword_list(text: str) -> list[str]:
    """Keywords as the office types them: separated by spaces, commas, 、 or new lines."""
    for sep in ",，、;；\n\t":
        text = text.replace(sep, " ")
    return list(dict.fromkeys(word for word in text.split(" ") if word))
