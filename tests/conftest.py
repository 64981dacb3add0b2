"""Shared fixtures. The sample reports are read from ../shared/samples, never copied into the repo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples"


def sample_files(*suffixes: str) -> list[Path]:
    """The sample reports with a gold file beside them, optionally only those with the given endings."""
    files = sorted(p for p in SAMPLES.glob("*") if (p.parent / f"{p.name}.gold.json").exists())
    return [p for p in files if not suffixes or p.suffix in suffixes]


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    if not SAMPLES.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("../shared/samples is missing: CI runs beside shared/, the sample tests must run")
        pytest.skip("../shared/samples is not present")
    return SAMPLES


def pytest_sessionstart(session):
    """Under CI the sample reports must be there: a parametrised test over none would pass silently."""
    if os.environ.get("CI") == "true" and not sample_files():
        raise pytest.UsageError("../shared/samples has no sample reports; CI runs beside shared/")


_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server", "client", "admin_client"}


def pytest_collection_modifyitems(config, items):
    """Mark every test that touches the database, so the PostgreSQL pass can select them (-m database)."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & _DATABASE_FIXTURES:
            item.add_marker(pytest.mark.database)


# --- ledger factories -------------------------------------------------------------------------
# Fixtures that build the ledger's world through the ORM (and an inspection through the import
# service). The findings text is our own fiction about an imaginary county, 青溪县.

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TEST_PASSWORD = "青溪-test-password-2024"


@pytest.fixture(autouse=True)
def _ledger_test_settings(request, tmp_path):
    """For database tests only: a fast password hasher and a throw-away media folder."""
    fixtures = set(request.fixturenames)
    if not (request.node.get_closest_marker("django_db") or fixtures & _DATABASE_FIXTURES):
        yield
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path / "media"
    yield


def fictional_document():
    """A small ledger document: two aspects, a middle problem, five specific problems, seven measures."""
    from zhenggai.ingest.ledgerdoc import Claimed, Contact, Finding, Inspection, LedgerDocument, Report

    return LedgerDocument(
        inspection=Inspection(
            team="县委第二巡察组",
            committee="县委",
            unit="青溪县水利局党组",
            kind="常规巡察",
            start="2024-03-04",
            end="2024-04-19",
            feedback_date="2024-05-20",
        ),
        report=Report(
            title="中共青溪县水利局党组关于巡察整改进展情况的通报",
            publisher="中共青溪县水利局党组",
            date="2024-08-30",
            source="qingxi-shuili.txt",
        ),
        claimed=Claimed(problems=3, items=5, completed=3),
        contact=Contact(phones=["0000-7654321"], emails=["zhenggai@example.org"], address="青溪县水利局三楼"),
        findings=[
            Finding(
                "一",
                "贯彻落实上级决策部署不够到位",
                children=[
                    Finding(
                        "(一)",
                        "河湖长制落实不扎实",
                        children=[
                            Finding(
                                "1",
                                "部分河段巡河记录流于形式。",
                                measures=["修订巡河制度，明确每月巡河次数。", "对全县河段巡河记录开展专项检查。"],
                                status="完成整改",
                            ),
                            Finding("2", "河道采砂监管存在空档。", measures=["联合开展执法两次。"], status="正在推进"),
                        ],
                    ),
                    Finding(
                        "(二)",
                        "防汛物资储备管理不规范。",
                        measures=["建立物资台账，实行出入库登记。"],
                        status="完成整改",
                    ),
                ],
            ),
            Finding(
                "二",
                "全面从严治党主体责任落实不到位",
                children=[
                    Finding(
                        "(一)",
                        "集体决策制度执行不严。",
                        measures=["修订党组议事规则。", "开展制度执行情况自查。", "将执行情况纳入年度考核。"],
                        status="长期坚持",
                    ),
                    Finding("(二)", "项目资金拨付审核把关不严。", measures=[], status=None),
                ],
            ),
        ],
        warnings=["第二方面第(二)项没有整改情况"],
    )


@pytest.fixture
def make_doc():
    return fictional_document


@pytest.fixture
def make_committee(db):
    from zhenggai.org.models import Committee

    def make(name="青溪县委", **fields):
        committee, _ = Committee.objects.get_or_create(name=name, defaults=fields)
        return committee

    return make


@pytest.fixture
def make_round(db, make_committee):
    from zhenggai.ledger.models import Round

    def make(committee=None, name="十五届县委第三轮巡察", year=2024, number=3):
        round_, _ = Round.objects.get_or_create(
            committee=committee or make_committee(), name=name, defaults={"year": year, "number": number}
        )
        return round_

    return make


@pytest.fixture
def make_unit(db, make_committee):
    from zhenggai.org.models import Unit

    def make(name="青溪县水利局党组", committee=None, kind=Unit.Kind.DEPARTMENT):
        unit, _ = Unit.objects.get_or_create(
            committee=committee or make_committee(), name=name, defaults={"kind": kind}
        )
        return unit

    return make


@pytest.fixture
def make_team(db, make_committee):
    from zhenggai.org.models import InspectionTeam

    def make(name="县委第二巡察组", committee=None):
        team, _ = InspectionTeam.objects.get_or_create(committee=committee or make_committee(), name=name)
        return team

    return make


@pytest.fixture
def make_user(db):
    from zhenggai.org.models import User

    counter = iter(range(1, 10_000))

    def make(role, *, unit=None, team=None, username=None, **fields):
        name = username or f"{role or 'nobody'}{next(counter)}"
        return User.objects.create_user(
            username=name, password=TEST_PASSWORD, role=role, unit=unit, team=team, display_name=name, **fields
        )

    return make


@pytest.fixture
def office(make_user):
    return make_user("office", username="office")


@pytest.fixture
def make_inspection(db, make_round, office):
    """Import a ledger document (the fictional one by default) into a round; returns the Inspection."""
    from zhenggai.ledger.services.import_ledger import import_document

    def make(doc=None, *, round=None, unit=None, actor=None, source_bytes=None):
        return import_document(
            doc or fictional_document(),
            round=round or make_round(),
            unit=unit,
            actor=actor or office,
            source_bytes=source_bytes,
        )

    return make


@pytest.fixture
def browser():
    """Debian's chromium through Playwright (the browser tests mark themselves with support.browser.MARKS)."""
    from tests.support.browser import chromium_browser

    with chromium_browser() as chromium:
        yield chromium
