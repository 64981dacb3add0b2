"""A Word table as a grid: horizontal spans (w:gridSpan) repeat a cell across the columns it covers,
vertical merges (w:vMerge) repeat the first cell's text down, and w:gridBefore keeps columns aligned.

That is what a ledger table needs: a problem written once in a cell merged over its three measure
rows reads, in every one of those rows, as the problem it belongs to.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from zhenggai.ingest.errors import TooLarge
from zhenggai.ingest.options import ParseOptions

MAX_SPAN = 64
"""A span wider than this is a damaged or hostile file: no ledger has so many columns."""


def _int(el: etree._Element | None, w: str, default: int) -> int:
    if el is None:
        return default
    try:
        return max(0, min(MAX_SPAN, int(el.get(w + "val") or default)))
    except ValueError:
        return default


def table_grid(
    table: etree._Element, w: str, cell_text: Callable[[etree._Element], str], options: ParseOptions
) -> list[list[str]]:
    rows: list[list[str]] = []
    above: dict[int, str] = {}  # column → the text of the cell a vertical merge continues
    cells = 0
    for tr in table.iterchildren(w + "tr"):
        row: list[str] = []
        trpr = tr.find(w + "trPr")
        before = _int(trpr.find(w + "gridBefore") if trpr is not None else None, w, 0)
        row.extend("" for _ in range(before))
        for tc in tr.iterchildren(w + "tc"):
            tcpr = tc.find(w + "tcPr")
            span, merge = 1, None
            if tcpr is not None:
                span = max(1, _int(tcpr.find(w + "gridSpan"), w, 1))
                vmerge = tcpr.find(w + "vMerge")
                if vmerge is not None:
                    merge = vmerge.get(w + "val") or "continue"
            col = len(row)
            text = above.get(col, "") if merge == "continue" else cell_text(tc)
            for k in range(span):
                row.append(text)
                above[col + k] = text
        cells += len(row)
        if cells > options.max_paragraphs:
            raise TooLarge(f"表格单元格过多(超过 {options.max_paragraphs} 个),已拒绝读取")
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]
