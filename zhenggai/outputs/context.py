"""What a report builder needs besides the ledger document: a small frozen context.

The builders are pure (no Django): the reports app computes the counts, the exemptions, the late
tasks and the unit's edited wording from the database and hands them over in a `ReportContext`,
so the same document can be rendered by a command, a page or a benchmark without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

Path = tuple[int, ...]  # a node of the findings tree by child positions from the top, e.g. (0, 2, 1)


class ReportKind(StrEnum):
    """PUBLIC — 整改情况公布稿 (published); PROGRESS — 整改进展情况报告 (to the committee, lists what is late)."""

    PUBLIC = "public"
    PROGRESS = "progress"

    @property
    def label(self) -> str:
        return {"public": "整改情况公布稿", "progress": "整改进展情况报告"}[self.value]


class Version(StrEnum):
    """FULL — 党内版, everything; PUBLIC — 公开版, without what is exempt from publication."""

    FULL = "full"
    PUBLIC = "public"

    @property
    def label(self) -> str:
        return {"full": "党内版(全文)", "public": "公开版"}[self.value]


@dataclass(frozen=True)
class Counts:
    """Counts of the findings as of the report's date, over the whole ledger (exempt items included).

    The public version states these same counts, so both versions agree with the approved report.
    """

    aspects: int = 0
    problems: int = 0
    items: int = 0
    completed: int = 0
    basically: int = 0
    in_progress: int = 0
    long_term: int = 0
    not_done: int = 0


@dataclass(frozen=True)
class LateItem:
    """A task past its deadline and not closed (逾期未完成), with the unit's reason."""

    path: Path
    finding: str
    measure: str
    measure_index: int
    deadline: date
    days_late: int
    status: str | None = None
    department: str = ""
    leader: str = ""
    reason: str = ""
    ref: int | None = None  # the caller's own key for the task (its database id), carried through untouched


@dataclass(frozen=True)
class ResultLine:
    """One recorded result (整改成效). group: rule, money, people or meeting; label: its kind as
    printed (建立制度, 退缴资金, 诫勉谈话 …); amount in 万元 exactly as entered; count for people and meetings."""

    group: str
    label: str
    title: str = ""
    amount: Decimal | None = None
    count: int | None = None


@dataclass(frozen=True)
class Sections:
    """The wording the unit may edit before publishing; empty means the generated default."""

    title: str = ""
    addressee: str = ""
    opening: str = ""
    organisation: str = ""
    next_steps: str = ""
    invitation: str = ""
    publisher: str = ""
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    address: str = ""
    # The 公文 marks the in-party version carries (GB/T 9704): 密级 or 内部资料 mark, 发文字号, and
    # the 版记 (抄送, 印发机关, 印发日期). The public version prints none of them.
    mark: str = ""
    doc_number: str = ""
    copy_to: str = ""
    issuer: str = ""
    issued_on: date | None = None


@dataclass(frozen=True)
class ReportContext:
    """Everything about one rendering of one report except the findings themselves.

    `exempt_findings` are tree paths left out of the public version with all below them;
    `exempt_measures` are (leaf path, measure index) pairs. The full version ignores both.
    """

    kind: ReportKind = ReportKind.PUBLIC
    version: Version = Version.FULL
    as_of: date = field(default_factory=date.today)
    dated: date | None = None
    counts: Counts | None = None
    sections: Sections = field(default_factory=Sections)
    exempt_findings: frozenset[Path] = frozenset()
    exempt_measures: frozenset[tuple[Path, int]] = frozenset()
    late: tuple[LateItem, ...] = ()
    results: tuple[ResultLine, ...] = ()

    @property
    def public(self) -> bool:
        return self.version == Version.PUBLIC

    @property
    def signature_date(self) -> date:
        return self.dated or self.as_of
