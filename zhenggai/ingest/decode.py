"""Bytes → text for plain-text and web files: BOMs, UTF-8, the GB family (as gb18030), Big5.

Charset detectors misread short GBK text, so we try the encodings the field actually uses, strictly,
and keep the first that decodes cleanly into plausible Chinese text.
"""

from __future__ import annotations

import codecs

from zhenggai.ingest.errors import CorruptFile, UndecodableText

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
CANDIDATES = ("utf-8", "gb18030", "big5")
ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030", "big5-hkscs": "big5"}


_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: not a text file (UTF-16 without BOM is not supported)."""
    sample = data[:65536]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) * 0.01


def canonical(encoding: str | None) -> str | None:
    if not encoding:
        return None
    name = encoding.strip().lower()
    name = ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode with the BOM, then the declared charset, then the field's usual encodings."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise UndecodableText(f"文本编码损坏(第{exc.start}字节处无法按{encoding}解码)") from None
    if looks_binary(data):
        raise CorruptFile("不是文本文件(含有二进制内容),无法读取")
    tried = []
    first = canonical(declared)
    for encoding in ([first] if first else []) + [c for c in CANDIDATES if c != first]:
        tried.append(encoding)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "big5" and _cjk_share(text) < 0.3:
            continue
        return text
    raise UndecodableText("无法识别文本编码(已尝试 UTF-8、GB18030、Big5)")


def _cjk_share(text: str) -> float:
    sample = text[:5000]
    if not sample:
        return 0.0
    return sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff") / len(sample)
