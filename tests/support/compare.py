"""Compare a parsed ledger document with the truth of a fictional report, leaf by leaf."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from zhenggai.ingest.ledgerdoc import Finding, LedgerDocument


def norm(text: str | None) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text or ""))


def _leaves(findings: list[Finding]) -> list[tuple[tuple[str, ...], str, int, str | None]]:
    out = []

    def walk(node: Finding, path: tuple[str, ...]) -> None:
        if node.children:
            for child in node.children:
                walk(child, (*path, norm(node.title)))
        else:
            out.append((path, norm(node.title), len(node.measures), node.status))

    for top in findings:
        walk(top, ())
    return out


@dataclass
class Agreement:
    leaves: float
    ancestry: float
    measures: float
    statuses: float
    fields: float

    @property
    def exact(self) -> bool:
        return min(self.leaves, self.ancestry, self.measures, self.statuses, self.fields) == 1.0


def agreement(truth: LedgerDocument, parsed: LedgerDocument) -> Agreement:
    want, got = _leaves(truth.findings), _leaves(parsed.findings)
    by_title = {}
    for leaf in got:
        by_title.setdefault(leaf[1], leaf)
    matched = [(w, by_title[w[1]]) for w in want if w[1] in by_title]
    n = max(len(want), len(got), 1)
    fields = [
        (truth.inspection, parsed.inspection),
        (truth.claimed, parsed.claimed),
        (truth.report.publisher, parsed.report.publisher),
        (truth.report.date, parsed.report.date),
        (sorted(truth.contact.phones), sorted(parsed.contact.phones)),
        (sorted(truth.contact.emails), sorted(parsed.contact.emails)),
    ]
    return Agreement(
        leaves=len(matched) / n,
        ancestry=sum(w[0] == g[0] for w, g in matched) / n,
        measures=sum(w[2] == g[2] for w, g in matched) / n,
        statuses=sum(w[3] == g[3] for w, g in matched) / n,
        fields=sum(a == b for a, b in fields) / len(fields),
    )
