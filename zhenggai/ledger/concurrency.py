"""Writes that lose a race for a lock are tried again, whole, a few times; then the user is told.

PostgreSQL breaks a deadlock by failing one of the transactions (40P01) and may refuse a
serializable one (40001); SQLite answers "database is locked" once its busy timeout runs out.
The failed transaction was rolled back entirely, so running it again is safe — but only around
the outermost transaction: inside an outer one the rollback reaches further than the function,
so there the error goes up to whoever opened that transaction (and the web and API edges turn
it into a Chinese 503, never a 500).

Locks are taken in one order everywhere, which is what keeps deadlocks rare in the first place:
a task, then its problem and the problem's parents from the bottom up, then the inspection.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.db import DatabaseError, transaction

from zhenggai.ledger.errors import Busy

log = logging.getLogger("zhenggai.ledger")

P = ParamSpec("P")
R = TypeVar("R")

# deadlock detected, serialization failure, lock not available (lock_timeout / NOWAIT)
CONTENTION_SQLSTATES = frozenset({"40P01", "40001", "55P03"})
SQLITE_CONTENTION = ("database is locked", "database table is locked", "database schema is locked")
PAUSE_SECONDS = 0.05  # the first pause; it doubles with each attempt, with jitter so racers part


def is_contention(error: BaseException) -> bool:
    """True for a deadlock, a serialization failure or a busy SQLite database — errors a retry can cure."""
    for exc in (error, error.__cause__):
        if exc is None:
            continue
        if (getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)) in CONTENTION_SQLSTATES:
            return True
        if str(getattr(exc, "sqlite_errorname", "")).startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return True
    return isinstance(error, DatabaseError) and any(text in str(error) for text in SQLITE_CONTENTION)


def retrying(fn: Callable[P, R]) -> Callable[P, R]:
    """Run `fn` (which opens its own transaction) again when it fails on contention.

    At most `settings.ZHENGGAI_WRITE_ATTEMPTS` attempts; when the last one fails too, `Busy` is
    raised with its Chinese message. Inside an outer transaction `fn` runs once and any error
    goes up unchanged.
    """

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if transaction.get_connection().in_atomic_block:
            return fn(*args, **kwargs)
        attempts = max(1, settings.ZHENGGAI_WRITE_ATTEMPTS)
        for attempt in range(1, attempts + 1):
            try:
                return fn(*args, **kwargs)
            except DatabaseError as error:
                if not is_contention(error):
                    raise
                if attempt == attempts:
                    log.error("%s: gave up after %d attempts: %s", fn.__qualname__, attempts, error)
                    raise Busy from error
                log.warning(
                    "%s: attempt %d of %d lost a lock race (%s), retrying", fn.__qualname__, attempt, attempts, error
                )
                time.sleep(random.uniform(0.5, 1.5) * PAUSE_SECONDS * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    return wrapper
