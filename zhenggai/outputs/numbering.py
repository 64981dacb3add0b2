"""Numbers as official documents write them: the heading hierarchy of GB/T 9704-2012 (一、 → (一) → 1. →
(1)), the enumeration of measures (一是…二是…) and dates (2024年3月5日).
"""

from __future__ import annotations

from datetime import date

_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (the range headings and ordinals use)."""
    if n <= 0:
        raise ValueError("numerals start at 1")
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)


def heading_label(level: int, n: int, title: str = "") -> str:
    """The label of the n-th heading at `level` (1 = 一、). Below four levels, circled numbers ①.

    A third-level title that starts with a digit gets a thin space after "1." so that "1.2019年"
    is not read as the number 1.2019 by people or by the parser.
    """
    if level == 1:
        return f"{cn_numeral(n)}、"
    if level == 2:
        return f"（{cn_numeral(n)}）"
    if level == 3:
        return f"{n}.\u2009" if title[:1] and title[:1] in "0123456789０１２３４５６７８９" else f"{n}."
    if level == 4 or n > len(_CIRCLED):
        return f"（{n}）"
    return _CIRCLED[n - 1]


def ordinal(n: int) -> str:
    """The n-th measure's lead-in: 一是, 二是 … 十一是."""
    return f"{cn_numeral(n)}是"


def cn_date(value: date) -> str:
    """2024年3月5日 — Arabic numerals without leading zeros, as GB/T 9704-2012 writes dates."""
    return f"{value.year}年{value.month}月{value.day}日"


def cn_date_iso(value: str | None) -> str | None:
    """An ISO date string of the ledger document as 2024年3月5日; None when missing or malformed."""
    if not value:
        return None
    try:
        return cn_date(date.fromisoformat(value[:10]))
    except ValueError:
        return None
