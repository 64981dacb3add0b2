"""The intranet and the public site kept apart: the intranet is this test's database (full mode); the
public site is another data folder and database in public-only mode, reached only the way the real
deployment reaches it — `zhenggai` commands in processes of their own, a bundle file carried between
them, and requests to its pages (tests/public/exchange_site.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.db import connection

from tests.public import test_crawl
from tests.public.conftest import SECRETS
from tests.public.test_crawl import REPORTS_APP, forbidden_words
from zhenggai.cli import main as zhenggai

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PUBLISHED_TEXT = "河湖长制落实不扎实"  # in A's approved public version
reports_app_secrets = test_crawl.reports_app_secrets  # the fixture: a correction, an exemption, a later draft


class PublicSite:
    """The public-only side: its own data folder and database, driven only through processes."""

    def __init__(self, folder: Path, database_url: str) -> None:
        self.folder = folder
        folder.mkdir()
        self.env = {
            **os.environ,
            "ZHENGGAI_DATA_DIR": str(folder),
            "ZHENGGAI_MODE": "public",
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
        }
        self.env.pop("ZHENGGAI_TEST_DB_NAME", None)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "zhenggai.cli", *args]
        return subprocess.run(command, env=self.env, cwd=self.folder, capture_output=True, text=True, timeout=900)

    def ok(self, *args: str) -> str:
        done = self.run(*args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def visit(self, *args: str) -> dict:
        command = [sys.executable, "-m", "tests.public.exchange_site", *args]
        done = subprocess.run(command, env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr[-4000:]
        return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture
def public_database():
    """'' (a SQLite file in the public side's folder), or a second PostgreSQL database beside the test's."""
    if connection.vendor != "postgresql":
        yield ""
        return
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    name = f"{connection.settings_dict['NAME']}_public"
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f"""CREATE DATABASE "{name}" TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'""")
    s = connection.settings_dict
    yield f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sides(tmp_path, settings, public_database, capsys):
    """Both sides with their key pairs, each holding the other's public key."""
    intranet_keys = tmp_path / "intranet-keys"
    settings.ZHENGGAI_EXCHANGE_KEY = intranet_keys / "exchange.key"
    settings.ZHENGGAI_EXCHANGE_PEER_KEY = intranet_keys / "peer.pub"
    call_command("keys", "create")
    public = PublicSite(tmp_path / "public", public_database)
    public.ok("migrate")
    assert "本方公钥指纹" in public.ok("keys", "create")
    shutil.copy(intranet_keys / "exchange.pub", public.folder / "keys" / "peer.pub")
    shutil.copy(public.folder / "keys" / "exchange.pub", intranet_keys / "peer.pub")
    capsys.readouterr()
    return public


def export(capsys, command: str, folder: Path) -> Path:
    """Run an intranet-side command in this process (the intranet's database is the test's; call_command,
    because the command-line entry closes the database connection, and with it the test's transaction)."""
    folder.mkdir(exist_ok=True)
    before = set(folder.iterdir())
    call_command(command, "-o", str(folder))
    (made,) = set(folder.iterdir()) - before
    return made


def test_publication_and_opinions_travel_one_way(world, opinions, reports_app_secrets, sides, capsys, tmp_path):
    from zhenggai.ledger.models import Event
    from zhenggai.public.models import Opinion, PublicReport
    from zhenggai.public.protect.receipt import clean
    from zhenggai.public.services.handle import close, reply
    from zhenggai.public.services.withdraw import withdraw

    public, out = sides, tmp_path / "to-public"
    first = export(capsys, "public-export", out)
    assert first.name == "zhenggai-publication-000001.tar"
    assert "已导入序号1" in public.ok("public-import", str(first))

    # every approved report is there, and nothing else: the crawl of test_crawl, on the public-only site
    words = [*SECRETS.values(), *reports_app_secrets.values(), SECRETS["handler"][:2]]
    site = public.visit("crawl", *words)
    pages = site["pages"]
    for report in PublicReport.objects.filter(state=PublicReport.State.PUBLISHED):
        page = pages[f"/gongkai/reports/{report.pk}/"]
        assert report.revisions.get(live=True).title in page
    assert PUBLISHED_TEXT in pages[f"/gongkai/reports/{world['report'].pk}/"]
    assert "修订党组议事规则" in pages[f"/gongkai/reports/{world['report'].pk}/"]  # the correction is shown
    assert any(url.endswith(".docx") for url in pages)
    listing = pages["/gongkai/reports/"]  # the filters, named without the ledger's tables
    assert world["a"].unit.name in listing and world["a"].round.name in listing
    found = public.visit("page", f"/gongkai/search/?q={PUBLISHED_TEXT}")  # the search data came along
    assert f"/gongkai/reports/{world['report'].pk}/" in found["text"] and "没有找到" not in found["text"]
    leaks = [
        (url, word)
        for url, text in pages.items()
        for word in forbidden_words(world, opinions) + list(REPORTS_APP.values())
        if word in text
    ]
    assert leaks == []
    assert [table for table in site["tables"] if not table.startswith("public_")] == []
    assert (site["login"], site["api"], site["staff"]) == (404, 404, 404)
    assert site["home"] == "/gongkai/"

    # the same bundle again is skipped; a changed byte or another key's signature is refused, in Chinese
    again = public.run("public-import", str(first))
    assert again.returncode == 0 and "已导入过" in again.stdout
    tampered = tmp_path / "tampered.tar"
    shutil.copy(first, tampered)
    with tarfile.open(first) as archive:
        offset = archive.getmember("records.jsonl").offset_data + 40
    data = bytearray(tampered.read_bytes())
    data[offset] = data[offset] ^ 0x01
    tampered.write_bytes(bytes(data))
    refused = public.run("public-import", str(tampered))
    assert refused.returncode == 1 and "已被改动" in refused.stderr and "Traceback" not in refused.stderr
    forged = _forged(tmp_path / "forged.tar", first)
    refused = public.run("public-import", str(forged))
    assert refused.returncode == 1 and "签名无效" in refused.stderr and "Traceback" not in refused.stderr

    # an opinion sent through the public form reaches the intranet with its receipt number
    sent = public.visit("opinion", str(world["report"].pk))
    assert [table for table in sent["tables"] if not table.startswith("public_")] == []
    back = tmp_path / "to-intranet"
    back.mkdir()
    assert "序号1" in public.ok("opinions-export", "-o", str(back))
    (opinions_bundle,) = back.iterdir()
    call_command("opinions-import", str(opinions_bundle))
    received = Opinion.objects.get(receipt=clean(sent["receipt"]))
    assert received.report == world["report"] and received.unit_id == world["report"].unit_id
    assert received.text.startswith("公众网站提交的意见") and received.contact == "13800000000"
    assert Event.objects.filter(action="opinion_received", object_id=str(received.pk)).exists()
    call_command("opinions-import", str(opinions_bundle))  # once only
    assert Opinion.objects.filter(receipt=received.receipt).count() == 1

    # the reply (and a withdrawal) travel back; bundles apply in order only
    reply(received, actor=world["users"]["office"], text="经核实,已督促责任单位加强河道保洁。")
    withdraw(world["report"], actor=world["users"]["office"], reason="依规撤回的说明文字")
    second = export(capsys, "public-export", out)
    close(received, actor=world["users"]["office"])
    third = export(capsys, "public-export", out)
    gap = public.run("public-import", str(third))
    assert gap.returncode == 1 and "缺少序号2" in gap.stderr
    public.ok("public-import", str(second), str(third))
    status = public.visit("status", sent["receipt"])
    assert status["status"] == 200
    assert "经核实,已督促责任单位加强河道保洁。" in status["text"] and "已办结" in status["text"]
    assert [table for table in status["tables"] if not table.startswith("public_")] == []
    after = public.visit("crawl", PUBLISHED_TEXT)["pages"]  # the search must no longer find the text
    assert "本文已撤回" in after[f"/gongkai/reports/{world['report'].pk}/"]
    assert "依规撤回的说明文字" in after[f"/gongkai/reports/{world['report'].pk}/"]
    assert not any(PUBLISHED_TEXT in text for text in after.values())
    call_command("public-export", "-o", str(out))
    assert "没有新的内容" in capsys.readouterr().out


def _forged(path: Path, genuine: Path) -> Path:
    """A bundle like the genuine one, numbered next, signed by a key the public side does not hold."""
    from zhenggai.public.exchange import bundle

    with tarfile.open(genuine) as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
    record = {"op": "put", "kind": "notice", "key": "999", "data": {"text": "伪造的说明"}}
    bundle.write(
        path,
        channel="publication",
        seq=2,
        source=manifest["source"],
        full=False,
        records=[record],
        key=Ed25519PrivateKey.generate(),
        created_at=datetime.now().astimezone(),
    )
    return path


def test_the_single_machine_refuses_the_public_side_commands(world, capsys, tmp_path, settings):
    settings.ZHENGGAI_EXCHANGE_KEY = tmp_path / "k" / "exchange.key"
    assert zhenggai(["opinions-export", "-o", str(tmp_path)]) == 1
    assert "只能在公众网站" in capsys.readouterr().err
    assert zhenggai(["public-import", str(tmp_path / "x.tar")]) == 1
    assert "只能在公众网站" in capsys.readouterr().err
