"""The one guard for every zip-based file we open: .docx, .xlsx and evidence archives (压缩包).

A zip's central directory says how many entries it holds and how large each becomes once inflated,
so a bomb is refused from those numbers before a byte is decompressed: entry count, per-entry and
total uncompressed size, compression ratio, XML part size, unsafe names, and (where asked) archives
nested inside. Python's zipfile never returns more than an entry's declared size, so the figures
checked here also bound what any reader (ours, openpyxl) can inflate afterwards.

XML is parsed with entities, DTDs and the network off. Readers we do not control (openpyxl, whose
expat parser expands internal entities) are protected by the guard itself: an Office package never
carries a DTD, so any XML part whose prolog declares one is refused before a parser sees it.

A pure module (no Django): the web and the API configure the defaults once at start-up (`configure`).
"""

from __future__ import annotations

import io
import posixpath
import stat
import struct
import zipfile
from dataclasses import dataclass, replace
from typing import BinaryIO

from lxml import etree

from zhenggai.ingest.errors import CorruptFile, IngestError

MiB = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    """What an archive may hold. The defaults pass a 20 MB ledger of 100,000 rows (two sheets of
    ~190 MB XML each, ~20× compression) with room to spare and refuse any deflate bomb."""

    max_entries: int = 10_000
    """Entries in the central directory (a real workbook or document has tens, a photo archive hundreds)."""
    max_entry_bytes: int = 512 * MiB
    """Uncompressed size of any one entry."""
    max_total_bytes: int = 1024 * MiB
    """Uncompressed size of all entries together (nested archives included)."""
    max_xml_bytes: int = 512 * MiB
    """Uncompressed size of one XML part; lower it where parts are parsed whole (Word documents)."""
    max_ratio: int = 100
    """Uncompressed ÷ compressed size above which an entry is taken for a bomb (real XML: 5-30×)."""
    ratio_floor: int = 1 * MiB
    """Entries smaller than this may compress as well as they like: the ratio alone costs nothing."""
    max_depth: int = 0
    """Levels of archives inside archives that are opened and checked; 0: never opened (readers don't)."""
    max_nested_bytes: int = 64 * MiB
    """Uncompressed size of a nested archive that is opened for checking (it is read into memory)."""
    max_directory_bytes: int = 16 * MiB
    """Size of the central directory itself, which zipfile reads whole."""


_defaults = ArchiveLimits()


def defaults() -> ArchiveLimits:
    """The limits in force where a caller gives none (the library's, or what `configure` set)."""
    return _defaults


def configure(**overrides: int) -> ArchiveLimits:
    """Replace the default limits once at start-up (Django settings `ZHENGGAI_ARCHIVE_LIMITS`)."""
    global _defaults
    _defaults = replace(ArchiveLimits(), **overrides)
    return _defaults


class ArchiveRejected(IngestError):
    """An archive refused by the guard; `problem` says what is wrong, the message names the file."""

    code = "unsafe_archive"

    def __init__(self, problem: str, *, name: str | None = None, code: str | None = None) -> None:
        self.problem = problem
        self.name = name
        super().__init__(f"{_subject(name)}{problem}", code=code)

    def named(self, name: str | None) -> ArchiveRejected:
        """The same refusal, naming `name` (for callers that know the file name and the guard did not)."""
        return self if self.name or not name else ArchiveRejected(self.problem, name=name, code=self.code)


def _subject(name: str | None) -> str:
    return f"文件“{name}”" if name else "压缩文件"


@dataclass(frozen=True)
class ArchiveSummary:
    names: tuple[str, ...]
    total_bytes: int


XML_SUFFIXES = (".xml", ".rels", ".vml")
ARCHIVE_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_PROLOG_BYTES = 64 * 1024
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"

XML_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    load_dtd=False,
    remove_comments=True,
    remove_pis=True,
)
"""The hardened parser every XML part we parse ourselves goes through."""


def parse_xml(blob: bytes) -> etree._Element:
    """Parse an XML part with entities, DTD loading and the network off; raises etree.XMLSyntaxError."""
    return etree.fromstring(blob, XML_PARSER)


def open_archive(
    source: bytes | BinaryIO,
    limits: ArchiveLimits | None = None,
    *,
    name: str | None = None,
    corrupt: str = "文件已损坏或不是有效的压缩文件",
) -> zipfile.ZipFile:
    """The archive, opened only after `inspect_archive` passed it; CorruptFile(`corrupt`) if it is no zip."""
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else source
    inspect_archive(stream, limits, name=name, corrupt=corrupt)
    try:
        return zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise CorruptFile(corrupt) from None


def inspect_archive(
    source: bytes | BinaryIO,
    limits: ArchiveLimits | None = None,
    *,
    name: str | None = None,
    corrupt: str = "文件已损坏或不是有效的压缩文件",
) -> ArchiveSummary:
    """Check an archive against `limits` without inflating it; raises ArchiveRejected or CorruptFile.

    Only the central directory is read, then the first bytes of each XML part (its prolog, for a
    DTD) and, when `limits.max_depth` allows, the nested archives themselves.
    """
    limits = limits or defaults()
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else source
    budget = _Budget(limits.max_total_bytes)
    try:
        return _inspect(stream, limits, budget, depth=0, name=name, corrupt=corrupt)
    except ArchiveRejected as error:
        raise error.named(name) from None


class _Budget:
    """Uncompressed bytes left for the whole archive, nested archives included."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.used = 0

    def spend(self, size: int) -> None:
        self.used += size
        if self.used > self.total:
            raise ArchiveRejected(
                f"解压后过大(超过 {_mb(self.total)}),可能是恶意构造的压缩文件", code="archive_too_large"
            )


def _inspect(
    stream: BinaryIO, limits: ArchiveLimits, budget: _Budget, *, depth: int, name: str | None, corrupt: str
) -> ArchiveSummary:
    entries, directory = _directory_size(stream, corrupt)
    if entries > limits.max_entries:
        raise ArchiveRejected(
            f"包含 {entries} 个条目,超过上限 {limits.max_entries} 个,可能是恶意构造的压缩文件",
            code="archive_entries",
        )
    if directory > limits.max_directory_bytes:
        raise ArchiveRejected(f"目录区过大(超过 {_mb(limits.max_directory_bytes)}),已拒绝读取", code="archive_entries")
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise CorruptFile(corrupt) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            raise ArchiveRejected(
                f"包含 {len(infos)} 个条目,超过上限 {limits.max_entries} 个,可能是恶意构造的压缩文件",
                code="archive_entries",
            )
        seen: set[str] = set()
        for info in infos:
            _check_entry(info, limits, seen)
            budget.spend(info.file_size)
        for info in infos:
            if info.flag_bits & 0x1 or info.is_dir() or info.file_size == 0:
                continue  # encrypted entries cannot be looked into; their sizes were checked above
            if info.filename.lower().endswith(XML_SUFFIXES):
                _check_prolog(archive, info, corrupt)
            elif limits.max_depth:
                _check_nested(archive, info, limits, budget, depth, corrupt)
    return ArchiveSummary(tuple(info.filename for info in infos), budget.used)


def _check_entry(info: zipfile.ZipInfo, limits: ArchiveLimits, seen: set[str]) -> None:
    entry = info.filename
    shown = _short(entry)
    if _unsafe_name(entry):
        raise ArchiveRejected(f"中的条目“{shown}”路径不安全(绝对路径或含“..”),已拒绝", code="archive_path")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ArchiveRejected(f"中的条目“{shown}”是符号链接,已拒绝", code="archive_path")
    key = entry.replace("\\", "/").lower()
    if key in seen:
        raise ArchiveRejected(f"中有重名的条目“{shown}”,可能是恶意构造的压缩文件", code="archive_path")
    seen.add(key)
    size = info.file_size
    if size > limits.max_entry_bytes:
        raise ArchiveRejected(
            f"中的“{shown}”解压后过大(超过 {_mb(limits.max_entry_bytes)}),可能是恶意构造的压缩文件",
            code="archive_too_large",
        )
    if entry.lower().endswith(XML_SUFFIXES) and size > limits.max_xml_bytes:
        raise ArchiveRejected(
            f"中的 XML 部件“{shown}”解压后过大(超过 {_mb(limits.max_xml_bytes)}),可能是恶意构造的压缩文件",
            code="archive_too_large",
        )
    if size > limits.ratio_floor and size > limits.max_ratio * max(info.compress_size, 1):
        ratio = size // max(info.compress_size, 1)
        raise ArchiveRejected(
            f"中的“{shown}”压缩比异常({ratio} 倍,上限 {limits.max_ratio} 倍),可能是恶意构造的压缩文件",
            code="archive_ratio",
        )


def _unsafe_name(entry: str) -> bool:
    path = entry.replace("\\", "/")
    if "\x00" in path or path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return True
    return ".." in path.split("/") or posixpath.normpath(path).startswith("..")


def _check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo, corrupt: str) -> None:
    """Refuse an XML part whose prolog declares a DTD (entity bombs and external entities live there)."""
    try:
        with archive.open(info) as member:
            head = member.read(_PROLOG_BYTES)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
        raise CorruptFile(corrupt) from None
    verdict = _prolog(head)
    if verdict == "dtd":
        raise ArchiveRejected(
            f"中的 XML 部件“{_short(info.filename)}”含有文档类型定义(DTD/实体),可能是恶意构造的文件,已拒绝",
            code="archive_dtd",
        )
    if verdict == "long" and len(head) >= _PROLOG_BYTES:
        raise ArchiveRejected(f"中的 XML 部件“{_short(info.filename)}”开头异常,已拒绝读取", code="archive_dtd")


def _prolog(head: bytes) -> str:
    """ "dtd" when a DOCTYPE comes before the root element, "ok" when the root starts first, else "long"."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.lstrip(b"\xef\xbb\xbf").decode("latin-1")
    pos = 0
    while True:
        start = text.find("<", pos)
        if start < 0:
            return "long"
        if text.startswith("<?", start):
            end = text.find("?>", start + 2)
            if end < 0:
                return "long"
            pos = end + 2
        elif text.startswith("<!--", start):
            end = text.find("-->", start + 4)
            if end < 0:
                return "long"
            pos = end + 3
        elif text.startswith("<!", start):
            return "dtd"
        else:
            return "ok"


def _check_nested(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ArchiveLimits, budget: _Budget, depth: int, corrupt: str
) -> None:
    try:
        with archive.open(info) as member:
            if member.read(4) not in ARCHIVE_MAGIC:
                return
            if depth + 1 > limits.max_depth:
                raise ArchiveRejected(
                    f"中的压缩文件嵌套超过 {limits.max_depth} 层(“{_short(info.filename)}”),可能是恶意构造的压缩文件",
                    code="archive_nested",
                )
            if info.file_size > limits.max_nested_bytes:
                raise ArchiveRejected(
                    f"中嵌套的压缩文件“{_short(info.filename)}”过大(超过 {_mb(limits.max_nested_bytes)}),已拒绝",
                    code="archive_nested",
                )
        inner = archive.read(info)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
        raise CorruptFile(corrupt) from None
    try:
        _inspect(io.BytesIO(inner), limits, budget, depth=depth + 1, name=None, corrupt=corrupt)
    except CorruptFile:
        return  # a damaged inner archive is the user's business, not a threat: nothing of it is inflated


def _directory_size(stream: BinaryIO, corrupt: str) -> tuple[int, int]:
    """(entry count, central directory size) from the end-of-central-directory record, read by hand
    so that a directory of millions of entries is refused before zipfile builds an object for each."""
    try:
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
        tail_start = max(0, size - (22 + 65535))
        stream.seek(tail_start)
        tail = stream.read()
    except (OSError, ValueError):
        raise CorruptFile(corrupt) from None
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise CorruptFile(corrupt)
    _, _, _, _, entries, directory, _, _ = struct.unpack("<4s4H2LH", tail[at : at + 22])
    locator = at - 20
    if (
        (entries == 0xFFFF or directory == 0xFFFFFFFF)
        and locator >= 0
        and tail[locator : locator + 4] == _EOCD64_LOCATOR
    ):
        (offset,) = struct.unpack("<Q", tail[locator + 8 : locator + 16])
        try:
            stream.seek(offset)
            record = stream.read(56)
        except (OSError, ValueError, OverflowError):
            raise CorruptFile(corrupt) from None
        if len(record) < 56 or record[:4] != _EOCD64:
            raise CorruptFile(corrupt)
        entries, directory = struct.unpack("<QQ", record[32:48])
    stream.seek(0)
    return entries, directory


def _mb(size: int) -> str:
    return f"{size // MiB} MB" if size >= MiB else f"{size} 字节"


def _short(entry: str) -> str:
    return entry if len(entry) <= 60 else entry[:59] + "…"
