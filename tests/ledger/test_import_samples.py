"""Each sample report, parsed and imported, gives back exactly the tree the parser gave.

The samples are read from ../shared/samples at run time (never copied into the repository).
"""

import pytest

from tests.conftest import sample_files
from zhenggai.ingest import parse_file
from zhenggai.ledger.models import Finding, Task
from zhenggai.ledger.services.import_ledger import export_document

SAMPLES = [p for p in sample_files() if p.suffix != ".jsonl"]


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_round_trip(path, make_inspection, office):
    parsed = parse_file(path)
    inspection = make_inspection(parsed, source_bytes=path.read_bytes())
    leaves = parsed.leaves()
    assert Finding.objects.filter(inspection=inspection, kind="item").count() == len(leaves)
    assert Task.objects.filter(finding__inspection=inspection).count() == sum(len(leaf.measures) for leaf in leaves)
    assert export_document(inspection, actor=office).to_dict() == parsed.to_dict()
