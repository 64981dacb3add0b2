"""The backup archive (zhenggai.backup/1): a tar, gzip-compressed when its name ends in .gz.

    database/db.sqlite3 or database/postgresql.dump   the database copy
    media/…                                            the uploaded evidence, as in MEDIA_ROOT
    settings/secret_key                                the key sessions and signed links depend on
    manifest.json                                      last: versions, migrations, tables, files

Members are streamed in and out (a large evidence folder never sits in memory) and hashed on the
way; the manifest, written last, holds every member's size and SHA-256. Reading checks the whole
archive in one pass: structure, manifest, and every checksum, so a damaged, truncated or foreign
file is refused before anything is restored from it.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import tarfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from zhenggai.ops.errors import OpsError

FORMAT = "zhenggai.backup/1"
MANIFEST = "manifest.json"
SECTIONS = ("database", "media", "settings")
CHUNK = 1024 * 1024
MANIFEST_MAX = 256 * 1024 * 1024


class _HashingReader:
    """Reads at most `size` bytes of a file, hashing them for the manifest as tarfile copies them."""

    def __init__(self, handle: IO[bytes], size: int):
        self.handle, self.left, self.digest = handle, size, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        data = self.handle.read(n)
        self.left -= len(data)
        self.digest.update(data)
        return data


class ArchiveWriter:
    """Writes FILE.part and renames it to FILE on success, so a half-written backup never looks complete."""

    def __init__(self, path: Path):
        self.path = path
        self.partial = path.with_name(path.name + ".part")
        self.files: dict[str, dict[str, Any]] = {}
        self._raw = open(self.partial, "xb")  # noqa: SIM115 — closed in close()/abort()
        os.chmod(self.partial, 0o600)  # it holds the secret key and the whole ledger
        compressed = path.name.endswith((".gz", ".tgz"))
        self._tar = tarfile.open(  # noqa: SIM115 — closed in close()/abort()
            fileobj=self._raw,
            mode="w:gz" if compressed else "w",
            format=tarfile.PAX_FORMAT,
            **(
                {"compresslevel": 1} if compressed else {}
            ),  # evidence is mostly compressed already: spend little CPU on it
        )

    def add_file(self, name: str, source: Path) -> None:
        with open(source, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = size, int(os.fstat(handle.fileno()).st_mtime), 0o600
            reader = _HashingReader(handle, size)
            self._tar.addfile(info, reader)  # type: ignore[arg-type]
        self.files[name] = {"size": size, "sha256": reader.digest.hexdigest()}

    def close(self, manifest: dict[str, Any]) -> None:
        data = json.dumps({**manifest, "files": self.files}, ensure_ascii=False, indent=1).encode("utf-8")
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
        self._tar.addfile(info, _HashingReader(_BytesIO(data), len(data)))  # type: ignore[arg-type]
        self._tar.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self.partial, self.path)

    def abort(self) -> None:
        with contextlib.suppress(Exception):  # the archive is being thrown away; its own error is not the story
            self._tar.close()
        self._raw.close()
        self.partial.unlink(missing_ok=True)


class _BytesIO:
    def __init__(self, data: bytes):
        self.data, self.offset = data, 0

    def read(self, n: int = -1) -> bytes:
        end = len(self.data) if n < 0 else self.offset + n
        chunk, self.offset = self.data[self.offset : end], min(end, len(self.data))
        return chunk


@dataclass
class ReadResult:
    manifest: dict[str, Any]
    extracted: dict[str, Path]


def _member_name(member: tarfile.TarInfo) -> str:
    path = PurePosixPath(member.name)
    outside = path.is_absolute() or ".." in path.parts or not path.parts or path.parts[0] not in SECTIONS
    if member.name != MANIFEST and outside:
        raise OpsError(f"备份文件结构异常:不应出现的成员 {member.name}")
    if not member.isfile():
        raise OpsError(f"备份文件结构异常:{member.name} 不是普通文件")
    return member.name


def read(path: Path, extract: Callable[[str], Path | None] = lambda name: None) -> ReadResult:
    """Check an archive from end to end; members for which `extract` gives a path are written there.

    Raises OpsError with the Chinese line to show for a missing, foreign, truncated or damaged file.
    """
    if not path.is_file():
        raise OpsError(f"找不到备份文件:{path}")
    seen: dict[str, dict[str, Any]] = {}
    extracted: dict[str, Path] = {}
    manifest_bytes: bytes | None = None
    started = False  # a member header was read: a tar that breaks off later is damaged, not foreign
    try:
        with tarfile.open(path, mode="r|*") as tar:
            for member in tar:
                started = True
                name = _member_name(member)
                if name in seen or (name == MANIFEST and manifest_bytes is not None):
                    raise OpsError(f"备份文件结构异常:{name} 出现了两次")
                source = tar.extractfile(member)
                assert source is not None
                if name == MANIFEST:
                    if member.size > MANIFEST_MAX:
                        raise OpsError("备份文件结构异常:清单过大")
                    manifest_bytes = source.read()
                    continue
                target = extract(name)
                seen[name] = _copy(source, target, member.size)
                if target is not None:
                    extracted[name] = target
    except OpsError:
        raise
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise OpsError(f"备份文件已损坏(压缩数据校验失败):{path}") from exc
    except (tarfile.ReadError, EOFError) as exc:
        if not started:
            raise OpsError(f"{path} 不是整改系统的备份文件(无法识别为 tar 归档)") from exc
        raise OpsError(f"备份文件不完整(可能在复制时被截断):{path}") from exc
    except OSError as exc:
        raise OpsError(f"读取或解包备份文件失败:{exc.strerror or exc}") from exc
    if manifest_bytes is None:
        if not seen:
            raise OpsError(f"{path} 不是整改系统的备份文件(其中没有备份清单)")
        # tarfile ends quietly at a damaged header, so a missing manifest means damaged or cut short
        raise OpsError(f"备份文件已损坏或不完整(缺少备份清单 manifest.json,可能在复制时被截断):{path}")
    manifest = _parse_manifest(manifest_bytes)
    _compare(manifest["files"], seen)
    return ReadResult(manifest, extracted)


def _copy(source: IO[bytes], target: Path | None, size: int) -> dict[str, Any]:
    digest = hashlib.sha256()
    count = 0
    out = None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
        out = os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640), "wb")  # as uploads are
    try:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            count += len(chunk)
            if out is not None:
                out.write(chunk)
    finally:
        if out is not None:
            out.close()
    if count != size:
        raise tarfile.ReadError("unexpected end of data")
    return {"size": count, "sha256": digest.hexdigest()}


def _parse_manifest(data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OpsError("备份文件已损坏:备份清单无法解析") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise OpsError(f"备份格式不受支持:{found or '未知'}(本系统读取 {FORMAT})")
    for key, kind in (("files", dict), ("tables", dict), ("migrations", dict), ("database", dict)):
        if not isinstance(manifest.get(key), kind):
            raise OpsError(f"备份文件已损坏:备份清单缺少 {key}")
    return manifest


def _compare(listed: dict[str, Any], seen: dict[str, dict[str, Any]]) -> None:
    for name, record in seen.items():
        expected = listed.get(name)
        if expected is None:
            raise OpsError(f"备份文件结构异常:清单中没有 {name}")
        if expected.get("size") != record["size"] or expected.get("sha256") != record["sha256"]:
            raise OpsError(f"备份文件已损坏:{name} 的校验和与清单不符")
    missing = sorted(set(listed) - set(seen))
    if missing:
        raise OpsError(f"备份文件不完整:缺少 {missing[0]}" + (f" 等 {len(missing)} 个文件" if len(missing) > 1 else ""))
