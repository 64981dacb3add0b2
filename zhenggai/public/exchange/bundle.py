"""The bundle file: a tar of `records.jsonl` (one JSON object a line), `manifest.json` (format, channel,
sequence number, time, source, whether it is complete, and the size and SHA-256 of each member) and
`manifest.sig` (the Ed25519 signature of the manifest's exact bytes, base64).

Reading checks, in this order: the tar holds exactly these three regular files of sane sizes; the
signature verifies with the other side's public key; the manifest is of this format and channel; each
member's size and SHA-256 match. Nothing is extracted to disk. No Django here.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT = "zhenggai.exchange/1"
MANIFEST, SIGNATURE, RECORDS = "manifest.json", "manifest.sig", "records.jsonl"
MANIFEST_MAX = 1024 * 1024
RECORDS_MAX = 2 * 1024 * 1024 * 1024
CHANNEL_NAMES = {"publication": "公开发布", "opinions": "群众意见"}


class BundleError(Exception):
    """A bundle, key or sequence refused, with the Chinese sentence the command prints."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Manifest:
    channel: str
    seq: int
    created_at: str
    source: str
    full: bool
    records: int


@dataclass(frozen=True)
class Bundle:
    manifest: Manifest
    sha256: str  # of the whole file, for the record of transfers
    data: bytes

    def records(self) -> Iterator[dict[str, Any]]:
        for number, line in enumerate(self.data.splitlines(), 1):
            try:
                record = json.loads(line)
            except ValueError:
                raise BundleError(f"数据包第{number}条记录无法读取") from None
            if not isinstance(record, dict):
                raise BundleError(f"数据包第{number}条记录格式不对")
            yield record


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def write(
    path: Path,
    *,
    channel: str,
    seq: int,
    source: str,
    full: bool,
    records: Iterable[dict[str, Any]],
    key: Ed25519PrivateKey,
    created_at: datetime,
) -> Manifest:
    """Write the bundle at `path` (through a .part file, so a half-written bundle never has the name)."""
    lines = [canonical(record) for record in records]
    data = b"".join(line + b"\n" for line in lines)
    manifest = Manifest(channel, seq, created_at.isoformat(), source, full, len(lines))
    text = canonical(
        {
            "format": FORMAT,
            **manifest.__dict__,
            "members": {RECORDS: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}},
        }
    )
    signature = base64.b64encode(key.sign(text))
    partial = path.with_name(path.name + ".part")
    with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
        for name, content in ((MANIFEST, text), (SIGNATURE, signature), (RECORDS, data)):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(content), 0o644, int(created_at.timestamp())
            archive.addfile(info, io.BytesIO(content))
    partial.replace(path)
    return manifest


def read(path: Path, *, key: Ed25519PublicKey, channel: str) -> Bundle:
    """The verified bundle at `path`, or BundleError saying what is wrong with it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BundleError(f"找不到数据包文件 {path}") from None
    except OSError as exc:
        raise BundleError(f"无法读取数据包 {path}:{exc.strerror}") from None
    members = _members(raw)
    text, signature = members[MANIFEST], members[SIGNATURE]
    try:
        key.verify(base64.b64decode(signature, validate=True), text)
    except (InvalidSignature, ValueError):
        raise BundleError("数据包签名无效:它不是由对方的密钥签发的,或清单已被改动。已拒绝导入。") from None
    try:
        fields = json.loads(text)
        manifest = Manifest(**{name: fields[name] for name in Manifest.__dataclass_fields__})
        expected = fields["members"][RECORDS]
    except (ValueError, KeyError, TypeError):
        raise BundleError("数据包清单格式不对,已拒绝导入") from None
    if fields.get("format") != FORMAT:
        raise BundleError(f"数据包格式 {fields.get('format')!r} 不是本系统支持的 {FORMAT}")
    if manifest.channel != channel:
        raise BundleError(
            f"这是“{CHANNEL_NAMES.get(manifest.channel, manifest.channel)}”数据包,"
            f"此处只导入“{CHANNEL_NAMES[channel]}”数据包"
        )
    data = members[RECORDS]
    if len(data) != expected.get("size") or hashlib.sha256(data).hexdigest() != expected.get("sha256"):
        raise BundleError(f"数据包内容与签名清单不符({RECORDS} 已被改动或损坏),已拒绝导入")
    return Bundle(manifest, hashlib.sha256(raw).hexdigest(), data)


def _members(raw: bytes) -> dict[str, bytes]:
    """The three members' bytes; anything else in the archive, or missing, refuses it."""
    wanted = {MANIFEST: MANIFEST_MAX, SIGNATURE: 1024, RECORDS: RECORDS_MAX}
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as archive:
            for info in archive:
                if info.name not in wanted or not info.isfile() or info.name in found:
                    raise BundleError(f"数据包含有不应有的内容({info.name}),已拒绝导入")
                if info.size > wanted[info.name]:
                    raise BundleError(f"数据包中 {info.name} 过大,已拒绝导入")
                handle = archive.extractfile(info)
                found[info.name] = handle.read() if handle else b""
    except (tarfile.TarError, EOFError, OSError):
        raise BundleError("不是有效的数据包文件(无法按 tar 读取),已拒绝导入") from None
    missing = [name for name in wanted if name not in found]
    if missing:
        raise BundleError(f"数据包不完整(缺少 {'、'.join(missing)}),已拒绝导入")
    return found
