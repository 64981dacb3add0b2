"""The one rule for text in spreadsheet and CSV cells: nothing a user typed starts a formula, and the
import gives back exactly the text that was exported."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhenggai.outputs.cells import TRIGGERS, cell_text, from_cell

CASES = [
    ("=SUM(1)", "'=SUM(1)"),
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("+86 0571", "'+86 0571"),
    ("-5万元", "'-5万元"),
    ("@某某", "'@某某"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("'=x", "''=x"),  # a quote the user typed before a trigger keeps its own quote
    ("''-x", "'''-x"),
    ("—", "—"),  # a dash is not a minus sign
    ("－5", "－5"),  # nor a full-width one: Excel does not read it as a formula
    ("'好'", "'好'"),
    ("'", "'"),
    ("", ""),
    ("整改=完成", "整改=完成"),
]


@pytest.mark.parametrize(("text", "written"), CASES)
def test_triggers_get_a_quote_and_come_back_without_it(text, written):
    assert cell_text(text) == written
    assert from_cell(written) == text


def test_other_values_pass_through():
    assert cell_text(-5) == -5 and cell_text(None) is None and from_cell(3) == 3


def test_characters_no_workbook_can_hold_are_dropped():
    assert cell_text("a\x01b\x0bc\nd") == "abc\nd"
    assert cell_text("\x01=1") == "'=1"  # dropped before the check, so they cannot hide a trigger


_TEXT = st.text(alphabet=st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "a", "中", " ", "—", "\n"]), max_size=8)


@given(_TEXT)
def test_every_string_makes_the_round_trip_and_never_starts_a_formula(text):
    written = cell_text(text)
    assert not written.startswith(TRIGGERS)
    assert from_cell(written) == text
