"""Single characters and character pairs of a text: the index that answers one- and two-character
queries, which trigram indexes cannot.

A pair exists for every two neighbouring characters within a line, so a text contains a query of one or
two characters exactly when the query is among its grams. Letters are lower-cased on both sides.
"""

from __future__ import annotations

from operator import add


def grams(text: str) -> set[str]:
    """Every character and every pair of neighbouring characters of `text` (lines kept apart)."""
    lowered = text.lower()
    found = set(lowered)
    found.update(map(add, lowered, lowered[1:]))
    found.discard("\n")
    return {gram for gram in found if "\n" not in gram}


def word_grams(text: str) -> str:
    """The grams made only of letters and digits, space-separated, for SQLite's unicode61 tokenizer
    (which splits at anything else, so a gram with punctuation could never be matched as one token)."""
    return " ".join(sorted(gram for gram in grams(text) if gram.isalnum()))


def is_word(query: str) -> bool:
    """Whether the SQLite gram table can answer `query` (one or two letters or digits)."""
    return 1 <= len(query) <= 2 and query.isalnum()
