"""A dashboard section: one table of counts, drawn as an ECharts chart, downloadable as CSV.

The table is the source: the chart is drawn from the same numbers (embedded as JSON), the CSV is
the same rows, and every count in the table links to the tasks behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from zhenggai.oversight.services.dashboard import Row, Tally


@dataclass(frozen=True)
class Column:
    key: str  # a Tally attribute
    label: str
    filters: dict[str, str] | None  # added to the row's filters for the link; None: not a count, no link
    series: bool = False  # drawn in the chart
    stack: str | None = None
    color: str | None = None


STATUS_COLUMNS = [
    Column("leaves", "具体问题", {}),
    Column("completed", "完成整改", {"status": "完成整改"}, True, "status", "#2da44e"),
    Column("basically", "基本完成", {"status": "基本完成"}, True, "status", "#3fb8af"),
    Column("in_progress", "正在推进", {"status": "正在推进"}, True, "status", "#4d7fdb"),
    Column("long_term", "长期坚持", {"status": "长期坚持"}, True, "status", "#8a63d2"),
    Column("not_done", "未完成", {"status": "未完成"}, True, "status", "#9aa0a6"),
    Column("unreported", "未报告状态", {"status": "unreported"}, True, "status", "#d0d4d9"),
    Column("rate_text", "完成率", None),
]
TASK_COLUMNS = [
    Column("tasks", "整改任务", {}),
    Column("red", "红灯", {"light": "red"}, True, None, "#e02b20"),
    Column("yellow", "黄灯", {"light": "yellow"}, True, None, "#f5c518"),
    Column("green", "绿灯", {"light": "green"}, True, None, "#2da44e"),
    Column("requested", "待审核销号", {"closure": "requested"}),
    Column("closed", "已销号", {"closure": "closed"}),
]
TOTAL_CARDS = [
    Column("leaves", "具体问题", {}),
    Column("completed", "完成整改", {"status": "完成整改"}),
    Column("rate_text", "整改完成率", None),
    Column("red", "逾期任务（红灯）", {"light": "red"}),
    Column("yellow", "黄灯任务", {"light": "yellow"}),
    Column("green", "绿灯任务", {"light": "green"}),
    Column("requested", "待审核销号", {"closure": "requested"}),
]


def task_link(filters: dict[str, Any]) -> str:
    return reverse("oversight:tasks") + "?" + urlencode({k: v for k, v in filters.items() if v is not None})


@dataclass
class Cell:
    column: Column
    value: Any
    link: str | None


@dataclass
class Line:
    key: str
    label: str
    cells: list[Cell]


@dataclass
class Section:
    """A table with a chart: `name` is used in the CSV address and the element ids."""

    name: str
    title: str
    row_label: str
    columns: list[Column]
    lines: list[Line] = field(default_factory=list)
    kind: str = "bar"
    draw: tuple[str, ...] | None = None  # the column keys drawn; None: every column marked `series`

    def chart(self) -> dict:
        """What `oversight/charts.js` needs to draw this section with ECharts."""
        drawn = [c for c in self.columns if c.series and (self.draw is None or c.key in self.draw)]
        return {
            "title": self.title,
            "kind": self.kind,
            "categories": [line.label for line in self.lines],
            "series": [
                {
                    "name": c.label,
                    "stack": c.stack,
                    "color": c.color,
                    "data": [next(x.value for x in line.cells if x.column is c) for line in self.lines],
                }
                for c in drawn
            ],
        }

    def csv_rows(self) -> tuple[list[str], list[list[Any]]]:
        header = [self.row_label, *(c.label for c in self.columns)]
        return header, [[line.label, *(cell.value for cell in line.cells)] for line in self.lines]


def cells(tally: Tally, columns: list[Column], base: dict[str, Any]) -> list[Cell]:
    out = []
    for column in columns:
        value = getattr(tally, column.key)
        link = task_link({**base, **column.filters}) if column.filters is not None else None
        out.append(Cell(column, value, link))
    return out


def section(
    name: str, title: str, row_label: str, rows: list[Row], columns: list[Column], base: dict, draw=None
) -> Section:
    lines = [Line(f"{name}-{row.key}", row.label, cells(row.tally, columns, {**base, **row.filters})) for row in rows]
    return Section(name, title, row_label, columns, lines, draw=draw)


def progress_section(weeks: list[dict], base: dict[str, Any]) -> Section:
    """Closures accepted per week since feedback, and their running total, from the history."""
    accepted = Column("accepted", "当周销号", {}, True, None, "#4d7fdb")
    running = Column("cumulative", "累计销号", None, True, None, "#2da44e")
    lines = []
    for week in weeks:
        link = task_link({**base, "accepted_week": week["week"]})
        lines.append(
            Line(
                f"progress-{week['week']}",
                f"第{week['week']}周",
                [Cell(accepted, week["accepted"], link), Cell(running, week["cumulative"], None)],
            )
        )
    return Section("progress", "反馈以来每周销号情况", "反馈后周次", [accepted, running], lines, kind="line")
