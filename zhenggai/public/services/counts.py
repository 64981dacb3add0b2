"""Opinion counts for the oversight dashboard, within what the user may see."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count, Q

from zhenggai.public.access import opinions_for
from zhenggai.public.models import Opinion

State = Opinion.State


@dataclass(frozen=True)
class OpinionCounts:
    total: int = 0
    received: int = 0
    handling: int = 0
    replied: int = 0
    closed: int = 0
    not_rectified: int = 0  # 反映整改不到位, whatever their state

    @property
    def open(self) -> int:
        return self.total - self.closed

    def as_dict(self) -> dict[str, int]:
        return {**asdict(self), "open": self.open}


def opinion_counts(user: Any, round: Any = None) -> OpinionCounts:
    """Counts of the opinions `user` may see, optionally only those about reports of one round.

    For `zhenggai.oversight`: one aggregate query, no rows loaded.
    """
    qs = opinions_for(user)
    if round is not None:
        qs = qs.filter(report__round=round)
    figures = qs.aggregate(
        total=Count("pk"),
        **{state: Count("pk", filter=Q(state=state)) for state in State.values},
        not_rectified=Count("pk", filter=Q(kind=Opinion.Kind.NOT_RECTIFIED)),
    )
    return OpinionCounts(**figures)
