"""Round trip of every sample report: imported into the ledger, exported as .docx, .pdf, .html and .txt,
parsed again — the same findings, ancestry and measures as its gold file (leaf_f1, ancestry and measures
1.000 with ../shared/tools/score_ledger.py) and the same inspection fields.

Each sample is imported and rendered once per session (LibreOffice takes about two seconds a PDF),
inside a transaction that is rolled back, so the tests share the files and the database stays clean.
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from django.db import transaction

from tests.conftest import sample_files
from tests.outputs.conftest import NEEDS_SOFFICE, gold_of
from zhenggai.ingest import parse_bytes, parse_file

SAMPLES = sample_files(".txt")
FORMATS = ("docx", "pdf", "html", "txt")
HAVE_SOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))
# The tests only read the session's files, but pytest-django sets the test database up only for
# sessions that have a test marked as needing it.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def sample_outputs(django_db_setup, django_db_blocker):
    from zhenggai.ledger.models import Round
    from zhenggai.ledger.services.import_ledger import import_document
    from zhenggai.org.models import Committee, Role, User
    from zhenggai.reports.render import render_report

    rendered: dict[tuple[str, str], bytes] = {}
    parsed = {}
    with django_db_blocker.unblock(), transaction.atomic():
        office = User.objects.create_user("roundtrip-office", role=Role.OFFICE)
        round_ = Round.objects.create(
            committee=Committee.objects.create(name="往返测试党委"), name="往返测试", year=2024
        )
        for path in SAMPLES:
            parsed[path.name] = parse_file(path)
            inspection = import_document(parse_file(path), round=round_, actor=office)
            for fmt in FORMATS:
                if fmt == "pdf" and not HAVE_SOFFICE:
                    continue
                report = render_report(inspection, actor=office, fmt=fmt, as_of=date(2024, 8, 30))
                rendered[(path.name, fmt)] = report.data
        transaction.set_rollback(True)
    return rendered, parsed


CASES = [
    pytest.param(path, fmt, id=f"{path.name}-{fmt}", marks=[NEEDS_SOFFICE] if fmt == "pdf" else [])
    for path in SAMPLES
    for fmt in FORMATS
]


@pytest.mark.parametrize(("path", "fmt"), CASES)
def test_sample_survives_the_round_trip(sample_outputs, scorer, path, fmt):
    rendered, parsed = sample_outputs
    back = parse_bytes(rendered[(path.name, fmt)], f"report.{fmt}")
    result = scorer.score(gold_of(path), back.to_dict())
    assert (result["leaf_f1"], result["ancestry"], result["measures"]) == (1.0, 1.0, 1.0), result
    assert back.inspection == parsed[path.name].inspection
    assert back.report.date == "2024-08-30"
    assert back.contact.phones == parsed[path.name].contact.phones
