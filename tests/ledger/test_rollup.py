"""A problem's status follows from its tasks: the rule, case by case."""

import pytest

from zhenggai.ledger.models import Status
from zhenggai.ledger.rollup import rollup_status

C, B, P, L, N = Status.COMPLETED, Status.BASICALLY, Status.IN_PROGRESS, Status.LONG_TERM, Status.NOT_DONE


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([], None),
        ([None, None], None),
        ([C], C),
        ([C, C, C], C),
        ([C, L], L),
        ([L, L], L),
        ([C, B], B),
        ([B, L, C], B),
        ([N, N], N),
        ([N, None], N),
        ([C, P], P),
        ([N, P], P),
        ([C, N], P),  # partly done
        ([C, None], P),  # an unknown part keeps the whole from counting as done
        ([B, N], P),
    ],
)
def test_rollup(parts, expected):
    assert rollup_status(parts) == expected
