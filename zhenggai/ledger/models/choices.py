"""The vocabularies of the ledger as TextChoices.

Status values are the Chinese words themselves, exactly as `zhenggai.ledger/1` writes them, so
import and export need no mapping and the database reads like the reports.
"""

from django.db import models


class Status(models.TextChoices):
    """Rectification status of a task or finding (整改状态)."""

    COMPLETED = "完成整改", "完成整改"
    BASICALLY = "基本完成", "基本完成"
    IN_PROGRESS = "正在推进", "正在推进"
    LONG_TERM = "长期坚持", "长期坚持"
    NOT_DONE = "未完成", "未完成"


class Closure(models.TextChoices):
    """Where a task stands in closure (销号): open, asked for, or closed after review."""

    OPEN = "open", "未销号"
    CLOSURE_REQUESTED = "requested", "已申请销号"
    CLOSED = "closed", "已销号"


class TaskKind(models.TextChoices):
    """What sort of measure a task is; a long-term task may still be closed once its mechanism exists."""

    IMMEDIATE = "immediate", "立行立改"
    RULES = "rules", "建章立制"
    LONG_TERM = "long_term", "长期坚持"


class FindingKind(models.TextChoices):
    """Place of a finding in the tree: aspect (方面) on top, specific problem (具体问题) at the leaves."""

    ASPECT = "aspect", "方面"
    PROBLEM = "problem", "问题"
    ITEM = "item", "具体问题"


class Decision(models.TextChoices):
    ACCEPTED = "accepted", "同意销号"
    RETURNED = "returned", "退回"


class ResultKind(models.TextChoices):
    """Results reported beside the findings (整改成效); people appear only as counts, by kind of accountability.

    `ACCOUNTABILITY` is the unclassified kind that rows recorded before the kinds were split keep.
    """

    RULE_NEW = "rule_new", "建立制度"
    RULE_REVISED = "rule_revised", "修订制度"
    MONEY_RETURNED = "money_returned", "退缴资金"
    MONEY_RECOVERED = "money_recovered", "追回资金"
    LOSS_RETRIEVED = "loss_retrieved", "挽回损失"
    DISCIPLINE = "discipline", "党纪政务处分"
    ORGANISATIONAL = "organisational", "组织处理"
    ADMONITION = "admonition", "诫勉谈话"
    CRITICISM = "criticism", "批评教育/提醒谈话"
    ACCOUNTABILITY = "accountability", "其他问责处理"
    MEETING = "meeting", "专题会议"


RULE_KINDS = frozenset({ResultKind.RULE_NEW, ResultKind.RULE_REVISED})
MONEY_KINDS = frozenset({ResultKind.MONEY_RETURNED, ResultKind.MONEY_RECOVERED, ResultKind.LOSS_RETRIEVED})
PEOPLE_KINDS = frozenset(
    {
        ResultKind.DISCIPLINE,
        ResultKind.ORGANISATIONAL,
        ResultKind.ADMONITION,
        ResultKind.CRITICISM,
        ResultKind.ACCOUNTABILITY,
    }
)
