"""Put every specific problem in each taxonomy's categories (stored in `FindingCategory`).

Runs when a ledger is imported (see `signals`), when the office edits a taxonomy, and in bulk from
`zhenggai analyze refresh`. A leaf is read with its aspect and problem headings as context, since
the heading often names the category ("党的组织建设方面存在的问题").
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from zhenggai.ledger.models import Finding, FindingKind, Inspection
from zhenggai.oversight.analysis.classify import CategorySpec, Classifier
from zhenggai.oversight.analysis.taxonomies import DEFAULT_TAXONOMIES
from zhenggai.oversight.models import Category, FindingCategory, Taxonomy

BATCH = 500


def ensure_taxonomies() -> None:
    """The default taxonomies, when there is none at all (a fresh database flushed after migrating)."""
    if Taxonomy.objects.exists():
        return
    with transaction.atomic():
        for position, data in enumerate(DEFAULT_TAXONOMIES):
            taxonomy = Taxonomy.objects.create(
                name=data["name"], description=data["description"], is_default=position == 0, position=position
            )
            Category.objects.bulk_create(
                Category(taxonomy=taxonomy, code=c["code"], name=c["name"], keywords=c["keywords"], position=i)
                for i, c in enumerate(data["categories"])
            )


def classifier_for(taxonomy: Taxonomy) -> tuple[Classifier, dict[str, Category]]:
    categories = list(taxonomy.categories.all())
    specs = [CategorySpec(c.code, c.name, tuple(c.keyword_list)) for c in categories]
    return Classifier(specs), {c.code: c for c in categories}


def classify_inspections(inspection_ids: Iterable[int], taxonomies: Iterable[Taxonomy] | None = None) -> int:
    """(Re)classify the leaves of the given inspections; returns how many rows were written."""
    ids = list(inspection_ids)
    written = 0
    if taxonomies is None:
        ensure_taxonomies()
        taxonomies = Taxonomy.objects.all()
    for taxonomy in taxonomies:
        classifier, by_code = classifier_for(taxonomy)
        for low in range(0, len(ids), BATCH):
            written += _classify_batch(ids[low : low + BATCH], taxonomy, classifier, by_code)
    return written


def reclassify(taxonomy: Taxonomy | None = None) -> int:
    """Every inspection again, after keywords changed (one taxonomy, or all)."""
    ids = list(Inspection.objects.order_by("pk").values_list("pk", flat=True))
    return classify_inspections(ids, [taxonomy] if taxonomy else None)


def classify_leaves(inspection_ids: list[int], taxonomy: Taxonomy) -> dict[int, int | None]:
    """Leaf id → category id (None when no category fits) for the leaves of the inspections, without storing."""
    classifier, by_code = classifier_for(taxonomy)
    placed: dict[int, int | None] = {}
    for low in range(0, len(inspection_ids), BATCH):
        for row in _classified(inspection_ids[low : low + BATCH], taxonomy, classifier, by_code):
            placed[row.finding_id] = row.category_id
    return placed


def _classified(
    ids: list[int], taxonomy: Taxonomy, classifier: Classifier, by_code: dict[str, Category]
) -> list[FindingCategory]:
    """The classification of the leaves of the inspections `ids`, as unsaved rows."""
    nodes = {
        row[0]: row
        for row in Finding.objects.filter(inspection_id__in=ids).values_list("pk", "parent_id", "title", "kind")
    }
    rows = []
    for pk, parent_id, title, kind in nodes.values():
        if kind != FindingKind.ITEM:
            continue
        context = []
        while parent_id is not None and parent_id in nodes:
            context.append(nodes[parent_id][2])
            parent_id = nodes[parent_id][1]
        result = classifier.classify(title, context)
        category = by_code.get(result.code) if result.code else None
        rows.append(
            FindingCategory(
                finding_id=pk,
                taxonomy=taxonomy,
                category=category,
                score=result.score,
                method=result.method,
                matched=list(result.matched),
            )
        )
    return rows


def _classify_batch(ids: list[int], taxonomy: Taxonomy, classifier: Classifier, by_code: dict[str, Category]) -> int:
    rows = _classified(ids, taxonomy, classifier, by_code)
    with transaction.atomic():
        FindingCategory.objects.filter(taxonomy=taxonomy, finding__inspection_id__in=ids).delete()
        FindingCategory.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
