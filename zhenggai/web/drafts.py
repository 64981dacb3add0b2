"""Import drafts: the parsed document as JSON, shown as a tree and corrected in place before import."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from zhenggai.ingest.ledgerdoc import LedgerDocument
from zhenggai.web.models import ImportDraft

KEEP_DRAFTS = timedelta(days=7)


@dataclass
class DraftNode:
    path: str
    label: str | None
    title: str
    status: str | None
    measures: list[tuple[int, str]] = field(default_factory=list)
    children: list[DraftNode] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children


def tree(document: dict[str, Any]) -> list[DraftNode]:
    def build(nodes: list[dict], prefix: str) -> list[DraftNode]:
        result = []
        for index, node in enumerate(nodes):
            path = f"{prefix}{index}"
            children = build(node.get("children") or [], f"{path}.")
            result.append(
                DraftNode(
                    path=path,
                    label=node.get("label"),
                    title=node.get("title") or "",
                    status=node.get("status"),
                    measures=list(enumerate(node.get("measures") or [])),
                    children=children,
                )
            )
        return result

    return build(document.get("findings") or [], "")


def node_at(document: dict[str, Any], path: str) -> dict[str, Any] | None:
    """The finding at "0.2.1" (indices from the top), or None for a path that is not there."""
    nodes, node = document.get("findings") or [], None
    try:
        for part in path.split("."):
            node = nodes[int(part)]
            nodes = node.get("children") or []
    except (ValueError, IndexError, TypeError):
        return None
    return node


def counts(document: dict[str, Any]) -> dict[str, int]:
    doc = LedgerDocument.from_dict(document)
    leaves = doc.leaves()
    return {"aspects": len(doc.findings), "items": len(leaves), "measures": sum(len(leaf.measures) for leaf in leaves)}


def forget_old(owner) -> None:
    """Drafts are scratch paper: a week after their upload they go."""
    ImportDraft.objects.filter(owner=owner, created_at__lt=timezone.now() - KEEP_DRAFTS).delete()
