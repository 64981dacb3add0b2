"""Request parameters read one way: typed readers of the query string, and the path's id converter.

An audit answered `?unit=²` and `?unit=99999999999999999999999` with HTTP 500: `str.isdigit()` says
yes to superscripts and other scripts' digits, `int()` then raises or takes them, and a number past
the database's bigint reaches the database, which raises. Pages read their query through `Query`:
a value it cannot use is dropped, and a note for the page (筛选条件"单位"的值无效，已忽略) says so;
an id in a path is matched only within bigint, so a larger one is a plain 404.
No Django app is imported here, so every app can use it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

MAX_ID = 2**63 - 1  # PostgreSQL's bigint, SQLite's INTEGER
_INTEGER = re.compile(r"-?[0-9]{1,19}", re.ASCII)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def integer(raw: Any, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """An integer written in ASCII digits within [low, high], or None."""
    text = str(raw).strip() if raw is not None else ""
    if not _INTEGER.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def identifier(raw: Any) -> int | None:
    """A database id: a positive integer the database's bigint can hold, or None."""
    return integer(raw, low=1)


def iso_date(raw: Any) -> date | None:
    """A date written YYYY-MM-DD that exists on the calendar, or None."""
    text = str(raw).strip() if raw is not None else ""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def clean_text(raw: Any, max_length: int) -> str:
    """Free text without control characters (PostgreSQL refuses NUL in text), cut to `max_length`."""
    text = "" if raw is None else str(raw)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()[:max_length]


def ignored(label: str) -> str:
    return f"筛选条件“{label}”的值无效，已忽略"


class Query:
    """A query string read filter by filter; `notes` lists, in Chinese, what was ignored and why.

    An absent or empty value is "no filter" and no note; any other value the reader cannot use is
    None (or the default) plus a note.
    """

    def __init__(self, data: Mapping[str, Any], notes: list[str] | None = None) -> None:
        self.data = data
        self.notes: list[str] = [] if notes is None else notes

    def raw(self, name: str) -> str:
        value = self.data.get(name)
        return "" if value is None else str(value).strip()

    def _read(self, name: str, label: str, parse) -> Any:
        raw = self.raw(name)
        if not raw:
            return None
        value = parse(raw)
        if value is None:
            self.ignore(label)
        return value

    def ignore(self, label: str) -> None:
        note = ignored(label)
        if note not in self.notes:
            self.notes.append(note)

    def id(self, name: str, label: str) -> int | None:
        return self._read(name, label, identifier)

    def integer(self, name: str, label: str, *, low: int = 0, high: int = MAX_ID) -> int | None:
        return self._read(name, label, lambda raw: integer(raw, low=low, high=high))

    def date(self, name: str, label: str) -> date | None:
        return self._read(name, label, iso_date)

    def choice(self, name: str, label: str, choices: Collection[str], default: str | None = None) -> str | None:
        raw = self.raw(name)
        if not raw:
            return default
        if raw in choices:
            return raw
        self.ignore(label)
        return default

    def text(self, name: str, max_length: int = 100) -> str:
        return clean_text(self.data.get(name), max_length)


def read_query(request: Any) -> Query:
    """The request's query string; what it ignores is noted on the request for the page to show."""
    notes = request.__dict__.setdefault("query_notes", [])
    return Query(request.GET, notes)


def query_notes(request: Any) -> dict[str, list[str]]:
    """Context processor: the notes of `read_query`, shown by every base template."""
    return {"query_notes": getattr(request, "query_notes", [])}


class IdConverter:
    """`<id:pk>` in a URL pattern: ASCII digits within the database's bigint, else no match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = identifier(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value: Any) -> str:
        return str(value)
