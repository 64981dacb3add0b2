"""Receipt numbers (回执编号): 12 random Crockford base32 characters (60 bits) and a check character (Luhn mod 32).

Unguessable, so a receipt is the only key the sender needs; the check character catches a mistyped
number before any look-up. Shown in groups of four (ABCD-EFGH-JKMN-P), read back forgivingly: case,
dashes and spaces ignored, O read as 0 and I, L as 1.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
_READ = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None, "\u3000": None})


def _check(body: str) -> str:
    """Luhn mod 32: catches any one wrong character and swaps of neighbours, within the same alphabet."""
    total, factor = 0, 2
    for ch in reversed(body):
        addend = factor * ALPHABET.index(ch)
        total += addend // 32 + addend % 32
        factor = 3 - factor
    return ALPHABET[-total % 32]


def new_receipt() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return body + _check(body)


def clean(text: str) -> str | None:
    """The receipt as stored, or None when it is not one (wrong length, alphabet or check)."""
    value = (text or "").strip().upper().translate(_READ)
    if len(value) != LENGTH + 1 or any(ch not in ALPHABET for ch in value[:LENGTH]):
        return None
    return value if value[-1] == _check(value[:LENGTH]) else None


def display(receipt: str) -> str:
    return "-".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))
