"""Text as a spreadsheet cell: the one rule every .xlsx and .csv writer applies, and its inverse for imports.

Text a user typed must never become a live formula in the office's Excel (`=HYPERLINK(…)`, DDE
payloads). OWASP's rule for CSV injection: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is prefixed with a single quote ``'``, which Excel and WPS show as text.

The import undoes it, and the pair is lossless for every string:

* `cell_text` prefixes a quote when the text starts with a trigger character, *or* with quotes
  followed by one (``'=x`` → ``''=x``), so a quote the user typed is never mistaken for ours;
* `from_cell` removes one quote when the cell starts with one or more quotes followed by a
  trigger character, and leaves everything else alone.

So "=SUM(1)" is exported as "'=SUM(1)" and comes back as "=SUM(1)"; "-5万元" as "'-5万元" and back;
"—" (a dash, not a minus) and "'好'" are not triggers and pass through untouched. Characters no
.xlsx file can hold (controls other than tab, line feed and carriage return) are dropped, in CSV too,
so both formats carry the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_QUOTED = re.compile(r"'*[=+\-@\t\r]")  # what gets a quote on the way out
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")  # what loses one on the way in
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell_text(value: Any) -> Any:
    """A value as it may be written into a spreadsheet or CSV cell; anything but text is left as it is."""
    if not isinstance(value, str):
        return value
    text = _UNSTORABLE.sub("", value)
    return "'" + text if _QUOTED.match(text) else text


def cell_row(values: Iterable[Any]) -> list[Any]:
    return [cell_text(v) for v in values]


def cell_rows(rows: Iterable[Sequence[Any]]) -> Iterable[list[Any]]:
    return (cell_row(row) for row in rows)


def from_cell(value: Any) -> Any:
    """The text a cell written by `cell_text` stood for; a cell that never went through it is unchanged."""
    if isinstance(value, str) and _NEUTRALISED.match(value):
        return value[1:]
    return value
