"""Highlighted snippets: a short window of the text around the first match, every match in it marked.

Built here rather than by the database so that both databases show the same thing; every piece of
text is escaped before the <mark> tags are put around the matches.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BEFORE = 30
WIDTH = 110


def _pattern(query: str) -> re.Pattern[str]:
    return re.compile(re.escape(query), re.IGNORECASE)


def highlight(text: str, query: str) -> SafeString:
    """All of `text`, escaped, with each match of `query` in <mark>."""
    return mark_safe(_marked(text, _pattern(query)) if query else escape(text))


def snippet(text: str, query: str) -> SafeString:
    """About WIDTH characters around the first match (the opening of the text when there is none)."""
    flat = " ".join(text.split())
    pattern = _pattern(query)
    found = pattern.search(flat) if query else None
    start = max(0, found.start() - BEFORE) if found else 0
    end = min(len(flat), start + WIDTH)
    if found and found.end() > end:
        end = found.end()
    piece = _marked(flat[start:end], pattern) if query else escape(flat[start:end])
    return mark_safe(("…" if start else "") + piece + ("…" if end < len(flat) else ""))


def _marked(text: str, pattern: re.Pattern[str]) -> str:
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)
