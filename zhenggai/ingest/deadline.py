"""A ledger's 完成时限 cell as a date, or as a term when it is not one (长期坚持, 立行立改).

Units write deadlines every way: 2026年6月30日, 2026.6.30, 2026-06-30, 2026年6月底前, 6月底前 (the
year understood from the rest of the ledger), 长期坚持. A month without a day means its last day.
"""

from __future__ import annotations

import calendar
import re

TERMS = (
    ("长期坚持", ("长期", "持续", "常态", "久久为功")),
    ("立行立改", ("立行立改", "立即", "立查立改", "即知即改")),
)
_FULL = re.compile(r"(20\d{2})\s*[年./\-—]\s*(\d{1,2})\s*(?:[月./\-—]\s*(\d{1,2})?\s*(日|号)?|月)?\s*(底|末)?")
_MONTH = re.compile(r"(?<![\d年./\-])(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号]|(底|末))?")
_DIGITS = re.compile(r"^(20\d{2})(\d{2})(\d{2})$")


def _iso(year: int, month: int, day: int | None) -> str | None:
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    day = last if day is None else day
    if not 1 <= day <= last:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def year_of(text: str) -> int | None:
    """The year a deadline names, if any (to date the ones that leave it out)."""
    match = _FULL.search(text or "")
    return int(match.group(1)) if match else None


def read_deadline(text: str, default_year: int | None = None) -> tuple[str | None, str | None]:
    """(ISO date, term) of a deadline cell; either may be None. A cell naming a date and 长期坚持
    gives both; a date that cannot be dated (no year anywhere) is kept as written in `term`."""
    text = (text or "").strip()
    if not text:
        return None, None
    term = next((name for name, cues in TERMS if any(cue in text for cue in cues)), None)
    compact = text.replace(" ", "")
    digits = _DIGITS.match(compact)
    if digits:
        return _iso(int(digits.group(1)), int(digits.group(2)), int(digits.group(3))), term
    match = _FULL.search(compact)
    if match and (match.group(2)):
        day = int(match.group(3)) if match.group(3) else None
        return _iso(int(match.group(1)), int(match.group(2)), day), term
    month = _MONTH.search(compact)
    if month:
        if default_year is None:
            return None, term or text[:50]
        day = int(month.group(2)) if month.group(2) else None
        return _iso(default_year, int(month.group(1)), day), term
    return None, term
