"""The report as plain text: one paragraph a line, body paragraphs indented two ideographic spaces.

This is the form pasted into a web editor or an e-mail; labels are written out, as in every format.
"""

from __future__ import annotations

from zhenggai.outputs.compose import Composed

_INDENT = "\u3000\u3000"
_NOT_INDENTED = {"mark", "number", "title", "addressee", "signature", "date", "copy_to", "issued"}


def to_text(composed: Composed) -> str:
    lines: list[str] = []
    for block in composed.blocks:
        if block.role == "title":
            lines += [block.text, ""]
        elif block.role in _NOT_INDENTED:
            lines.append(block.full_text)
        else:
            lines.append(_INDENT + block.full_text)
    return "\n".join(lines) + "\n"


def to_text_bytes(composed: Composed) -> bytes:
    """UTF-8 with a byte-order mark, so that Windows Notepad on an office PC opens it as Chinese."""
    return "\ufeff".encode() + to_text(composed).encode("utf-8")
