"""The columns of the three lists (问题清单 / 任务清单 / 责任清单) as data, shared by export and import.

Each column says its header, the other names units give it (so a header row is found by names, not
by position), its width, what kind of value it holds and whether an import may change it. The
hidden id columns (问题编号 / 任务编号) tie a row back to the ledger on import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from zhenggai.ingest.ledgerdoc import STATUSES


class Kind(StrEnum):
    TEXT = "text"
    DATE = "date"
    STATUS = "status"
    INT = "int"
    ID = "id"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float = 12
    kind: Kind = Kind.TEXT
    editable: bool = False
    aliases: tuple[str, ...] = ()
    hidden: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (normalise_header(self.header), *(normalise_header(a) for a in self.aliases))


def normalise_header(text: object) -> str:
    """Header text without spaces, line breaks, asterisks of required fields or a trailing colon."""
    value = re.sub(r"[\s\u3000*＊:：]+", "", str(text or ""))
    return value.replace("（", "(").replace("）", ")")


NUMBER = Column("number", "序号", 6, Kind.INT, aliases=("编号", "序"))
ASPECT = Column("aspect", "方面", 18, aliases=("问题类别", "问题方面", "类别", "方面问题", "反馈问题方面"))
PROBLEM = Column("problem", "问题", 28, aliases=("存在问题", "反馈问题", "主要问题", "问题概述"))
ITEM = Column("item", "具体问题", 40, aliases=("具体表现", "问题表现", "具体问题表现", "问题具体表现", "具体问题清单"))
MEASURE = Column("measure", "整改措施", 44, aliases=("整改任务", "具体整改措施", "措施"))
TASK_KIND = Column("task_kind", "任务类型", 10, aliases=("整改类型",))
STATUS = Column("status", "整改状态", 11, Kind.STATUS, editable=True, aliases=("完成情况", "整改进度状态"))
PROGRESS = Column("progress", "进展情况", 36, editable=True, aliases=("整改进展", "整改进展情况", "进展"))
CLOSURE = Column("closure", "销号状态", 10)
CLOSED_ON = Column("closed_on", "销号日期", 14, Kind.DATE, aliases=("销号时间",))
LEADER = Column("leader", "责任领导", 12, editable=True, aliases=("牵头领导", "分管领导"))
DEPARTMENT = Column(
    "department", "责任科室", 14, editable=True, aliases=("责任部门", "责任单位", "责任股室", "牵头科室")
)
HANDLER = Column("handler", "责任人", 10, editable=True, aliases=("具体责任人", "经办人"))
DEADLINE = Column("deadline", "整改时限", 15, Kind.DATE, editable=True, aliases=("完成时限", "整改期限", "时限要求"))
ITEM_STATUS = Column("status", "整改状态", 11, Kind.STATUS, aliases=("完成情况",))
MEASURE_COUNT = Column("measures", "整改措施数", 10, Kind.INT)
FINDING_ID = Column("finding_id", "问题编号", 10, Kind.ID, hidden=True)
TASK_ID = Column("task_id", "任务编号", 10, Kind.ID, hidden=True)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    title: str
    columns: tuple[Column, ...]
    id_column: Column


PROBLEM_LIST = SheetSpec(
    "问题清单", "巡察反馈问题清单", (NUMBER, ASPECT, PROBLEM, ITEM, ITEM_STATUS, MEASURE_COUNT, FINDING_ID), FINDING_ID
)
TASK_LIST = SheetSpec(
    "任务清单",
    "巡察整改任务清单",
    (NUMBER, ASPECT, PROBLEM, ITEM, MEASURE, TASK_KIND, STATUS, PROGRESS, CLOSURE, CLOSED_ON, TASK_ID),
    TASK_ID,
)
RESPONSIBILITY_LIST = SheetSpec(
    "责任清单",
    "巡察整改责任清单",
    (NUMBER, ASPECT, ITEM, MEASURE, LEADER, DEPARTMENT, HANDLER, DEADLINE, STATUS, PROGRESS, CLOSED_ON, TASK_ID),
    TASK_ID,
)
SHEETS = (PROBLEM_LIST, TASK_LIST, RESPONSIBILITY_LIST)

# What the workbook showed when it was exported, in a very hidden, protected sheet: the import compares
# each cell with it (only cells the user changed count) and each task's version with the ledger's (a
# task changed in the system since the export is a conflict, not overwritten).
EXPORT_SHEET = "导出信息"
EXPORT_FORMAT = "zhenggai.ledger-xlsx/1"
EXPORTED_TASK = (ASPECT, PROBLEM, ITEM, MEASURE, TASK_KIND, STATUS, PROGRESS, CLOSURE, CLOSED_ON, LEADER, DEPARTMENT,
                 HANDLER, DEADLINE)  # fmt: skip
EXPORTED_PROBLEM = (ASPECT, PROBLEM, ITEM, ITEM_STATUS, MEASURE_COUNT)

# A feedback list as the inspection team hands it over: 方面 and 具体问题 at least.
FEEDBACK_COLUMNS = (NUMBER, ASPECT, PROBLEM, ITEM, MEASURE)
STATUS_CHOICES = STATUSES
