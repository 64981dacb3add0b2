"""Builders of broken and hostile files, made in the test run (nothing binary is committed)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib


def encrypted_pdf() -> bytes:
    """A one-page PDF behind the standard security handler with an unknown password."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>",
    ]
    return _pdf(
        objects,
        extra_trailer=b"/Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff><00112233445566778899aabbccddeeff>]",
    )


def scanned_pdf(pages: int = 2) -> bytes:
    """Pages with no text layer, as a scanner produces them."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for _ in range(pages):
        doc.new_page(595, 842)
    buffer = io.BytesIO()
    doc.save(buffer)
    doc.close()
    return buffer.getvalue()


def _pdf(objects: list[bytes], extra_trailer: bytes = b"") -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, extra_trailer, xref)
    )
    return out.getvalue()


def encrypted_docx() -> bytes:
    """What Word writes for a password-protected .docx: an OLE compound file holding EncryptionInfo."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    name = "EncryptionInfo".encode("utf-16-le")
    return header + name + b"\x00" * 2048 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1024


def truncated(data: bytes, keep: float = 0.5) -> bytes:
    return data[: int(len(data) * keep)]


def zip_without_word_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    return buffer.getvalue()


def docx_bomb() -> bytes:
    """A .docx whose document.xml inflates to hundreds of megabytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(300):
                member.write(chunk)
    return buffer.getvalue()


# ---- archive bombs: a deflate stream of one repeated segment, built in milliseconds ----------------

SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_ROWS = b'<row><c t="inlineStr"><is><t>' + b" " * 8000 + b"</t></is></c></row>"
SHEET_TAIL = b"</sheetData></worksheet>"
DOCUMENT_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
DOCUMENT_PARAGRAPHS = b'<w:p><w:r><w:t xml:space="preserve">' + b" " * 8000 + b"</w:t></w:r></w:p>"
DOCUMENT_TAIL = b"</w:body></w:document>"


def deflate_bomb(
    head: bytes, unit: bytes, tail: bytes, compressed_bytes: int = 2 * 1024 * 1024
) -> tuple[bytes, int, int]:
    """(raw deflate data, uncompressed size, CRC-32) of `head`, `unit` repeated, `tail`, about
    `compressed_bytes` long: one megabyte of units is compressed once and its flushed output repeated
    (a full flush makes each copy independent), so a 2 MB stream inflates to about 2 GB."""
    block = unit * (1024 * 1024 // len(unit))
    start = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = start.compress(head) + start.flush(zlib.Z_FULL_FLUSH)
    middle = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = middle.compress(block) + middle.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15)
    last = end.compress(tail) + end.flush(zlib.Z_FINISH)
    repeats = max(1, compressed_bytes // len(segment))
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return first + segment * repeats + last, len(head) + len(block) * repeats + len(tail), crc


def zip_with(parts: dict[str, bytes], bomb_name: str, bomb: tuple[bytes, int, int]) -> bytes:
    """A zip of `parts` (deflated normally) plus one entry whose raw deflate data is `bomb`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, blob in parts.items():
            archive.writestr(name, blob)
    plain = buffer.getvalue()
    data, size, crc = bomb
    source = zipfile.ZipFile(io.BytesIO(plain))
    out = io.BytesIO()
    directory = []
    for info in source.infolist():
        raw = source.read(info)
        packed = zlib.compressobj(6, zlib.DEFLATED, -15)
        deflated = packed.compress(raw) + packed.flush()
        directory.append(_entry(out, info.filename.encode(), deflated, len(raw), zlib.crc32(raw)))
    directory.append(_entry(out, bomb_name.encode(), data, size, crc))
    start = out.tell()
    for record in directory:
        out.write(record)
    end = out.tell()
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(directory), len(directory), end - start, start, 0))
    return out.getvalue()


def _entry(out: io.BytesIO, name: bytes, deflated: bytes, size: int, crc: int) -> bytes:
    offset = out.tell()
    fields = (20, 0, 8, 0, 0x21, crc, len(deflated), size, len(name), 0)
    out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields) + name + deflated)
    return struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, offset) + name


def minimal_xlsx(sheet: bytes | None = None, **extra: bytes) -> dict[str, bytes]:
    """The parts of a one-sheet workbook openpyxl opens (the sheet left out when `sheet` is None)."""
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        b"</Types>",
        "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        b"</Relationships>",
        "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        b'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        b"</Relationships>",
    }
    if sheet is not None:
        parts["xl/worksheets/sheet1.xml"] = sheet
    parts.update(extra)
    return parts


def xlsx_bomb(compressed_bytes: int = 2 * 1024 * 1024) -> bytes:
    """A workbook whose only sheet is ~2 MB compressed and ~2 GB of repeated rows inflated."""
    bomb = deflate_bomb(SHEET_HEAD, SHEET_ROWS, SHEET_TAIL, compressed_bytes)
    return zip_with(minimal_xlsx(), "xl/worksheets/sheet1.xml", bomb)


def docx_deflate_bomb(compressed_bytes: int = 2 * 1024 * 1024) -> bytes:
    """A Word document whose body is ~2 MB compressed and ~2 GB of repeated paragraphs inflated."""
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    }
    bomb = deflate_bomb(DOCUMENT_HEAD, DOCUMENT_PARAGRAPHS, DOCUMENT_TAIL, compressed_bytes)
    return zip_with(parts, "word/document.xml", bomb)


def zip_bomb(compressed_bytes: int = 2 * 1024 * 1024) -> bytes:
    """An evidence archive (.zip) holding one text file of ~2 GB in ~2 MB."""
    bomb = deflate_bomb(b"", b"0" * 8000 + b"\n", b"", compressed_bytes)
    return zip_with({"说明.txt": "整改材料".encode()}, "data.txt", bomb)


def nested_zip(depth: int) -> bytes:
    """A zip inside a zip … `depth` levels deep, the innermost holding a small text file."""
    blob = "整改材料".encode()
    name = "说明.txt"
    for level in range(depth):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr(name, blob)
        blob, name = buffer.getvalue(), f"第{level + 1}层.zip"
    return blob


def with_doctype(parts: dict[str, bytes], part: str, doctype: str) -> bytes:
    """A zip of `parts` where `part` starts with `doctype` (billion laughs or an external entity)."""
    head, _, rest = parts[part].partition(b"?>")
    changed = dict(parts)
    changed[part] = head + b"?>" + doctype.encode() + rest if rest else doctype.encode() + parts[part]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, blob in changed.items():
            archive.writestr(name, blob)
    return buffer.getvalue()


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
)
EXTERNAL_ENTITY = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
