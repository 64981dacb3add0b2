"""The bundle file and the order of imports, in this process: what is refused, and that a refused
bundle changes nothing. The opinions channel is used because its importer is the intranet (full mode),
which is what this test process is; tests/public/test_exchange.py covers the two sides for real."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError

from zhenggai.public.exchange import BundleError, bundle, keys
from zhenggai.public.protect.receipt import new_receipt

NOW = datetime.fromisoformat("2026-03-05T10:00:00+08:00")


def _write(path: Path, key, *, seq: int = 1, channel: str = "opinions", records=None) -> Path:
    records = records if records is not None else [{"op": "put", "kind": "opinion", "key": "k", "data": {}}]
    source = keys.fingerprint(key.public_key())
    bundle.write(path, channel=channel, seq=seq, source=source, full=False, records=records, key=key, created_at=NOW)
    return path


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as archive:
        return {info.name: archive.extractfile(info).read() for info in archive}


def _repack(path: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))


def test_a_bundle_reads_back_as_written(tmp_path):
    key = Ed25519PrivateKey.generate()
    path = _write(tmp_path / "b.tar", key, seq=7)
    read = bundle.read(path, key=key.public_key(), channel="opinions")
    assert (read.manifest.seq, read.manifest.records) == (7, 1)
    assert next(read.records())["kind"] == "opinion"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("records", "已被改动"),
        ("manifest", "签名无效"),
        ("extra", "不应有的内容"),
        ("missing", "缺少 manifest.sig"),
        ("not_tar", "不是有效的数据包"),
        ("other_key", "签名无效"),
    ],
)
def test_a_changed_bundle_is_refused(tmp_path, change, message):
    key = Ed25519PrivateKey.generate()
    path = _write(tmp_path / "b.tar", key)
    members = _members(path)
    if change == "records":
        members["records.jsonl"] = members["records.jsonl"].replace(b'"k"', b'"K"')
    elif change == "manifest":
        members["manifest.json"] = members["manifest.json"].replace(b'"seq":1', b'"seq":2')
    elif change == "extra":
        members["../evil.sh"] = b"rm -rf /"
    elif change == "missing":
        del members["manifest.sig"]
    if change == "not_tar":
        path.write_bytes(b"PK\x03\x04 not a tar at all" * 40)
    elif change == "other_key":
        _write(path, Ed25519PrivateKey.generate())
    else:
        _repack(path, members)
    with pytest.raises(BundleError) as refused:
        bundle.read(path, key=key.public_key(), channel="opinions")
    assert message in refused.value.message


def test_a_bundle_of_the_other_channel_is_refused(tmp_path):
    key = Ed25519PrivateKey.generate()
    path = _write(tmp_path / "b.tar", key, channel="publication")
    with pytest.raises(BundleError, match="此处只导入“群众意见”数据包"):
        bundle.read(path, key=key.public_key(), channel="opinions")


@pytest.fixture
def public_key(tmp_path, settings):
    """The public side's key; this process (the intranet) holds its public half as the peer key."""
    settings.ZHENGGAI_EXCHANGE_PEER_KEY = tmp_path / "keys" / "peer.pub"
    keys.create(tmp_path / "keys" / "peer.key")
    return keys.signing_key(tmp_path / "keys" / "peer.key")


def _opinion(receipt: str, **changes) -> dict:
    data = {"receipt": receipt, "report_id": None, "kind": "suggestion", "text": "建议公开更多整改成效。"}
    data |= {"contact": "", "created_at": NOW.isoformat(), **changes}
    return {"op": "put", "kind": "opinion", "key": receipt, "data": data}


@pytest.mark.django_db
def test_opinion_bundles_apply_in_order_once(tmp_path, public_key, capsys):
    from zhenggai.public.models import Opinion

    first, second, third = (new_receipt() for _ in range(3))
    one = _write(tmp_path / "zhenggai-opinions-000001.tar", public_key, seq=1, records=[_opinion(first)])
    three = _write(tmp_path / "zhenggai-opinions-000003.tar", public_key, seq=3, records=[_opinion(third)])
    call_command("opinions-import", str(one))
    with pytest.raises(CommandError, match="缺少序号2的数据包"):
        call_command("opinions-import", str(three))
    assert not Opinion.objects.filter(receipt=third).exists()
    two = _write(tmp_path / "zhenggai-opinions-000002.tar", public_key, seq=2, records=[_opinion(second)])
    call_command("opinions-import", str(three), str(two), str(one))  # sorted by number; the first skipped
    out = capsys.readouterr().out
    assert "已导入过" in out and "已导入序号2" in out and "已导入序号3" in out
    assert Opinion.objects.filter(receipt__in=[first, second, third]).count() == 3


@pytest.mark.django_db
def test_a_gap_is_passed_only_when_forced(tmp_path, public_key, capsys):
    from zhenggai.public.models import Opinion

    receipt = new_receipt()
    five = _write(tmp_path / "zhenggai-opinions-000005.tar", public_key, seq=5, records=[_opinion(receipt)])
    with pytest.raises(CommandError, match="缺少序号1至4的数据包"):
        call_command("opinions-import", str(five))
    call_command("opinions-import", str(five), "--force")
    assert Opinion.objects.filter(receipt=receipt).exists()
    late = new_receipt()
    three = _write(tmp_path / "zhenggai-opinions-000003.tar", public_key, seq=3, records=[_opinion(late)])
    call_command("opinions-import", str(three))  # passed over when forced: older than what is applied
    assert "早于已导入的序号5" in capsys.readouterr().out
    assert not Opinion.objects.filter(receipt=late).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"receipt": "NOT-A-RECEIPT"}, "回执编号"),
        ({"text": ""}, "内容"),
        ({"text": "长" * 5000}, "内容"),
        ({"kind": "threat"}, "类别"),
        ({"created_at": "yesterday"}, "提交时间"),
        ({"report_id": "1; DROP TABLE"}, "报告"),
    ],
)
def test_an_opinion_bundle_is_untrusted_input(tmp_path, public_key, changes, field):
    """The public server faces the internet: what it sends is checked, and one bad record stores nothing."""
    from zhenggai.public.models import Opinion

    good = new_receipt()
    bad = {"receipt": new_receipt(), **changes}
    records = [_opinion(good), _opinion(bad.pop("receipt"), **bad)]
    path = _write(tmp_path / "b.tar", public_key, records=records)
    with pytest.raises(CommandError, match=f"第2条意见的{field}无效"):
        call_command("opinions-import", str(path))
    assert not Opinion.objects.filter(receipt=good).exists()


def test_the_manifest_names_sequence_source_and_checksum(tmp_path):
    key = Ed25519PrivateKey.generate()
    manifest = json.loads(_members(_write(tmp_path / "b.tar", key, seq=3))["manifest.json"])
    assert manifest["seq"] == 3 and manifest["source"] == keys.fingerprint(key.public_key())
    assert set(manifest["members"]["records.jsonl"]) == {"size", "sha256"}


@pytest.mark.parametrize("command", ["demo", "import", "publish", "opinions", "token", "createsuperuser"])
def test_a_public_only_site_refuses_the_staff_commands(settings, capsys, command):
    from zhenggai.cli import main

    settings.PUBLIC_ONLY = True
    assert main([command, "--help"]) == 1
    assert "本机为公众网站" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_reports_their_names(world):
    """Reports published before migration 0004 keep showing their round and filtering by unit."""
    from tests.support.migrations import migrate_to, migrate_to_latest
    from zhenggai.public.models import PublicReport

    PublicReport.objects.update(committee_name="", round_name="", unit_name="")
    try:
        migrate_to(("public", "0003_postgres_text_storage"))
        migrate_to(("public", "0004_exchange_and_public_names"))
    finally:
        migrate_to_latest()
    report = PublicReport.objects.get(pk=world["report"].pk)
    a = world["a"]
    assert (report.committee_name, report.round_name, report.unit_name) == (
        a.round.committee.name,
        a.round.name,
        a.unit.name,
    )
