"""Numbering and sending: one mechanism for both channels.

The exporter keeps the digest of every record as last sent (SentRecord), so each bundle carries the
records that are new or changed ("put") and the keys of those that are gone ("drop"); the first bundle,
or one asked for with --full, carries everything and tells the importer to drop whatever it lacks. The
importer applies bundles strictly in sequence: an older or repeated bundle is skipped, a gap is refused
(naming the missing number) unless forced, or unless the bundle is complete.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from zhenggai.public.exchange import bundle, keys
from zhenggai.public.exchange.bundle import BundleError, canonical
from zhenggai.public.models import SentRecord, Transfer

# (kind, key, data) of every record the exporting side has to offer now
Offer = Callable[[], Iterable[tuple[str, str, dict[str, Any]]]]
# applies the records in order (full: drop whatever is missing); returns counts by label
Apply = Callable[[Iterable[dict[str, Any]], bool], dict[str, int]]

MODE_NAMES = {"full": "内网(完整模式)", "public": "公众网站(ZHENGGAI_MODE=public)"}


@dataclass(frozen=True)
class Channel:
    name: str
    kinds: tuple[str, ...]  # in the order they are put (dropped in reverse)
    exporter: str  # ZHENGGAI_MODE of the side that writes
    importer: str
    offer: Offer
    apply: Apply
    export_command: str
    import_command: str


@dataclass(frozen=True)
class Exported:
    path: Path | None  # None: nothing new, nothing written
    manifest: bundle.Manifest | None
    puts: int = 0
    drops: int = 0


@dataclass(frozen=True)
class Imported:
    manifest: bundle.Manifest
    skipped_because: str = ""
    counts: dict[str, int] | None = None
    gap: str = ""


def _require_mode(channel: Channel, wanted: str, command: str) -> None:
    mode = settings.ZHENGGAI_MODE
    if mode != wanted:
        raise BundleError(f"zhenggai {command} 只能在{MODE_NAMES[wanted]}上运行,本机为{MODE_NAMES[mode]}")


def digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(data)).hexdigest()


def export(channel: Channel, folder: Path, *, full: bool = False, output: Path | None = None) -> Exported:
    """Write the next bundle of `channel` into `folder` (or at `output`); nothing when nothing changed."""
    _require_mode(channel, channel.exporter, channel.export_command)
    key = keys.signing_key(settings.ZHENGGAI_EXCHANGE_KEY)
    source = keys.fingerprint(key.public_key())
    try:
        with transaction.atomic():
            last = Transfer.objects.filter(channel=channel.name, direction=Transfer.Direction.OUT).aggregate(
                n=Max("seq")
            )["n"]
            seq = (last or 0) + 1
            full = full or last is None
            current = {(kind, key_): data for kind, key_, data in channel.offer()}
            digests = {pair: digest(data) for pair, data in current.items()}
            sent = dict(
                ((kind, key_), value)
                for kind, key_, value in SentRecord.objects.filter(channel=channel.name).values_list(
                    "kind", "key", "digest"
                )
            )
            order = {kind: n for n, kind in enumerate(channel.kinds)}
            puts = sorted(
                (pair for pair in current if full or sent.get(pair) != digests[pair]),
                key=lambda pair: (order[pair[0]], pair[1].zfill(20)),
            )
            drops = sorted(
                (pair for pair in sent if pair not in current),
                key=lambda pair: (-order.get(pair[0], 0), pair[1].zfill(20)),
            )
            if not puts and not drops and not full:
                return Exported(None, None)
            records = [{"op": "drop", "kind": kind, "key": key_} for kind, key_ in drops]
            records += [{"op": "put", "kind": kind, "key": key_, "data": current[(kind, key_)]} for kind, key_ in puts]
            path = output or folder / f"zhenggai-{channel.name}-{seq:06d}.tar"
            manifest = bundle.write(
                path,
                channel=channel.name,
                seq=seq,
                source=source,
                full=full,
                records=records,
                key=key,
                created_at=timezone.now(),
            )
            SentRecord.objects.filter(channel=channel.name).delete()
            SentRecord.objects.bulk_create(
                [SentRecord(channel=channel.name, kind=k, key=kk, digest=d) for (k, kk), d in digests.items()],
                batch_size=1000,
            )
            Transfer.objects.create(
                channel=channel.name,
                direction=Transfer.Direction.OUT,
                seq=seq,
                source=source,
                full=full,
                sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                records=len(records),
            )
    except IntegrityError:
        raise BundleError("另一个导出正在进行,请稍后再试") from None
    except OSError as exc:
        raise BundleError(f"无法写入数据包:{exc.strerror}") from None
    return Exported(path, manifest, len(puts), len(drops))


def import_(channel: Channel, path: Path, *, force: bool = False) -> Imported:
    """Verify the bundle at `path` and apply it in one transaction, once and in sequence."""
    _require_mode(channel, channel.importer, channel.import_command)
    peer = keys.verify_key(settings.ZHENGGAI_EXCHANGE_PEER_KEY)
    verified = bundle.read(path, key=peer, channel=channel.name)
    manifest = verified.manifest
    if manifest.source != keys.fingerprint(peer):
        raise BundleError("数据包清单中的来源与对方公钥不符,已拒绝导入")
    try:
        with transaction.atomic():
            done = Transfer.objects.filter(channel=channel.name, direction=Transfer.Direction.IN)
            last = done.aggregate(n=Max("seq"))["n"] or 0
            if done.filter(seq=manifest.seq).exists():
                return Imported(manifest, skipped_because=f"序号{manifest.seq}的数据包已导入过(已导入至序号{last})")
            if manifest.seq < last:
                return Imported(
                    manifest,
                    skipped_because=f"序号{manifest.seq}的数据包早于已导入的序号{last}(当时已跳过),内容已过时",
                )
            gap = ""
            if manifest.seq > last + 1:
                missing = f"{last + 1}" if manifest.seq == last + 2 else f"{last + 1}至{manifest.seq - 1}"
                if not (force or manifest.full):
                    raise BundleError(
                        f"缺少序号{missing}的数据包:请先导入它(已导入至序号{last},本数据包序号{manifest.seq});"
                        f"确认该数据包已丢失时,可请对方用 zhenggai {channel.export_command} --full 重新导出完整数据包,"
                        "或加 --force 跳过"
                    )
                gap = missing
            counts = channel.apply(verified.records(), manifest.full)
            Transfer.objects.create(
                channel=channel.name,
                direction=Transfer.Direction.IN,
                seq=manifest.seq,
                source=manifest.source,
                full=manifest.full,
                sha256=verified.sha256,
                records=manifest.records,
            )
    except IntegrityError:
        raise BundleError("另一个导入正在进行,或数据包内容与本机数据冲突,未导入任何内容") from None
    return Imported(manifest, counts=counts, gap=gap)
