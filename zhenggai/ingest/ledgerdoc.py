"""The interchange format `zhenggai.ledger/1` as plain dataclasses with JSON (de)serialisation.

Everything downstream of the parser (import, export, outputs) speaks this structure, so it lives
apart from the parsing steps and knows nothing of how a document was read.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

FORMAT = "zhenggai.ledger/1"

STATUSES = ("完成整改", "基本完成", "正在推进", "长期坚持", "未完成")
CLAIMED_FIELDS = ("aspects", "problems", "items", "completed", "basically_completed", "in_progress", "long_term")


@dataclass
class Inspection:
    team: str | None = None
    committee: str | None = None
    unit: str | None = None
    kind: str | None = None
    start: str | None = None
    end: str | None = None
    feedback_date: str | None = None


@dataclass
class Report:
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    published: str | None = None
    source: str | None = None


@dataclass
class Claimed:
    aspects: int | None = None
    problems: int | None = None
    items: int | None = None
    completed: int | None = None
    basically_completed: int | None = None
    in_progress: int | None = None
    long_term: int | None = None


@dataclass
class Contact:
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    address: str | None = None


@dataclass
class Responsibility:
    """Who answers for one measure and by when: the 责任清单 columns of a ledger kept as a table.

    `deadline` is an ISO date; `term` is a deadline that is not a date (长期坚持, 立行立改) or one
    written too loosely to date. `status` is the measure's own 完成情况, `progress` its 进展 text.
    """

    leader: str | None = None
    department: str | None = None
    person: str | None = None
    deadline: str | None = None
    term: str | None = None
    status: str | None = None
    progress: str | None = None

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.__dataclass_fields__)  # type: ignore[attr-defined]


@dataclass
class Finding:
    """One node of the findings tree: an aspect (方面), a problem (问题) or a specific problem (具体问题).

    A node without children is a leaf and carries `measures` and `status`; a leaf read from a ledger
    table also carries `responsibilities`, one per measure (empty when the source names none).
    """

    label: str | None
    title: str
    children: list[Finding] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    status: str | None = None
    responsibilities: list[Responsibility] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def leaves(self) -> list[Finding]:
        if self.is_leaf:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]

    def to_dict(self) -> dict[str, Any]:
        node: dict[str, Any] = {"label": self.label, "title": self.title}
        if self.is_leaf:
            node["measures"] = list(self.measures)
            node["status"] = self.status
            if any(not r.is_empty() for r in self.responsibilities):  # reports without them keep their shape
                node["responsibilities"] = [asdict(r) for r in self.responsibilities]
        node["children"] = [child.to_dict() for child in self.children]
        return node

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        measures = [str(m) for m in data.get("measures") or []]
        given = [Responsibility(**_known(Responsibility, r)) for r in data.get("responsibilities") or []]
        return cls(
            label=data.get("label"),
            title=str(data.get("title") or ""),
            children=[cls.from_dict(c) for c in data.get("children") or []],
            measures=measures,
            status=data.get("status"),
            responsibilities=aligned(given, len(measures)),
        )

    def responsibility(self, index: int) -> Responsibility:
        """The responsibility of measure `index` (an empty one when the source named none)."""
        return self.responsibilities[index] if index < len(self.responsibilities) else Responsibility()


@dataclass
class LedgerDocument:
    inspection: Inspection = field(default_factory=Inspection)
    report: Report = field(default_factory=Report)
    claimed: Claimed = field(default_factory=Claimed)
    contact: Contact = field(default_factory=Contact)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def leaves(self) -> list[Finding]:
        return [leaf for top in self.findings for leaf in top.leaves()]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "inspection": asdict(self.inspection),
            "report": asdict(self.report),
            "claimed": asdict(self.claimed),
            "contact": asdict(self.contact),
            "findings": [f.to_dict() for f in self.findings],
            "warnings": list(self.warnings),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LedgerDocument:
        if data.get("format") != FORMAT:
            raise ValueError(f"不是 {FORMAT} 格式的文档")
        return cls(
            inspection=Inspection(**_known(Inspection, data.get("inspection"))),
            report=Report(**_known(Report, data.get("report"))),
            claimed=Claimed(**_known(Claimed, data.get("claimed"))),
            contact=Contact(**_known(Contact, data.get("contact"))),
            findings=[Finding.from_dict(f) for f in data.get("findings") or []],
            warnings=[str(w) for w in data.get("warnings") or []],
        )

    @classmethod
    def from_json(cls, text: str) -> LedgerDocument:
        return cls.from_dict(json.loads(text))


def aligned(responsibilities: list[Responsibility], n: int) -> list[Responsibility]:
    """One responsibility per measure, or none at all: a list of another length is cut or padded."""
    if not any(not r.is_empty() for r in responsibilities):
        return []
    return [*responsibilities[:n], *(Responsibility() for _ in range(n - len(responsibilities)))]


def _known(kind: type, data: Any) -> dict[str, Any]:
    """Keep only the fields the dataclass declares, so newer documents still load."""
    if not isinstance(data, dict):
        return {}
    names = kind.__dataclass_fields__.keys()  # type: ignore[attr-defined]
    return {k: v for k, v in data.items() if k in names}
