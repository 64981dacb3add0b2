"""Errors of the public side, in the ledger's family so views map them the same way."""

from __future__ import annotations

from zhenggai.ledger.errors import LedgerError


class Throttled(LedgerError):
    """Too many attempts from one address or for one receipt; the view answers 429."""

    code = "throttled"
    default_message = "操作过于频繁，请稍后再试"
