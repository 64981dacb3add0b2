"""Segment lines into numbered blocks: the official-document labels 一、 (一) 1. 1、 (1) ① and lost ones.

Each line becomes a `Block`: a heading with a label style and value, or a body line. Styles rank as the
official hierarchy does (GB/T 9704: 一、 → (一) → 1. → (1)); the tree step nests blocks by rank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zhenggai.ingest.normalise import Line
from zhenggai.ingest.status import status_of_line

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

# style name → rank in the official hierarchy
RANK = {"cn": 1, "pcn": 2, "num": 3, "pnum": 4, "circ": 5}

_CN = "一二三四五六七八九十百"
_LABEL = re.compile(
    rf"^(?:(?P<cn>[{_CN}]{{1,4}})\s*[、．]"
    rf"|\((?P<pcn>[{_CN}]{{1,4}})\)"
    r"|(?P<num>\d{1,3})\s*(?:[、．]|\.(?!\d))"
    r"|\((?P<pnum>\d{1,3})\)"
    r"|(?P<circ>[①-⑳]))\s*"
)
_LABEL_FIRST = frozenset(_CN + "(" + "".join(chr(c) for c in range(ord("①"), ord("⑳") + 1)))
_LOST_FIRST = frozenset("-•·●▪■◆□")
# A label lost in conversion: a dash or bullet where Word's automatic number stood.
_LOST = re.compile(r"^(?:[-•·●▪■◆□]\s*)+")
RECTIFICATION_MARK = re.compile(
    r"^(?:整改(?:落实)?(?:情况|措施|进展|进度|成效|结果)(?:及(?:成效|结果|情况))?|落实情况|完成情况)\s*[::]"
)


_MARK_FIRST = ("整改", "落实", "完成")


@dataclass(slots=True)
class Block:
    """One line: a heading (`style` set) or body text (`style` None)."""

    text: str
    key: str
    style: str | None = None
    value: int | None = None
    label: str | None = None
    lost: bool = False
    closing: bool = False
    rank: int = 0
    body: list[Block] = field(default_factory=list)

    @property
    def is_heading(self) -> bool:
        return self.style is not None


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零三 → 103 (the range labels use)."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def label_text(style: str, value: int, raw: str) -> str:
    """The normalised label as the format writes it: "一", "(一)", "1", "(1)", "①"."""
    if style == "pcn":
        return f"({raw})"
    if style == "pnum":
        return f"({value})"
    if style == "num":
        return str(value)
    return raw


def segment_line(line: Line) -> Block:
    first = line.key[:1]
    if first not in _LABEL_FIRST and not first.isdigit():
        if first in _LOST_FIRST:
            return _lost_or_body(line)
        return Block(line.text, line.key)
    match = _LABEL.match(line.key)
    if match:
        style = match.lastgroup
        assert style is not None
        raw = match.group(style)
        value = ord(raw) - ord("①") + 1 if style == "circ" else cn_number(raw)
        if value is not None and not _looks_like_prose(line.key, match.end()):
            cut = match.end()
            return Block(
                line.text[cut:].strip(),
                line.key[cut:].strip(),
                style,
                value,
                label_text(style, value, raw),
                rank=RANK[style],
            )
    return _lost_or_body(line)


def _lost_or_body(line: Line) -> Block:
    lost = _LOST.match(line.key)
    if lost and lost.end() < len(line.key):
        cut = lost.end()
        return Block(line.text[cut:].strip(), line.key[cut:].strip(), "lost", None, None, lost=True)
    return Block(line.text, line.key)


def _looks_like_prose(key: str, end: int) -> bool:
    """ "2019年…" after "1." is a date, "1.6%" a number: not labels."""
    rest = key[end : end + 2]
    return rest[:1] in ("%", "‰") or bool(re.match(r"\d", rest))


def segment(lines: list[Line]) -> list[Block]:
    """Every line as a Block; a bare dash line is merged into the heading that follows it, and
    headings lost without a trace are recovered from the rectification notes that follow them."""
    blocks: list[Block] = []
    pending_lost = False
    for line in lines:
        if line.key[:1] in _LOST_FIRST and _LOST.fullmatch(line.key):
            pending_lost = True
            continue
        block = segment_line(line)
        if pending_lost and not block.is_heading:
            block.style, block.lost = "lost", True
        pending_lost = False
        blocks.append(block)
    _recover_unlabelled_headings(blocks)
    _mark_closing(blocks)
    return blocks


_CLOSING = re.compile(
    r"电话|邮箱|信箱|来信|来电|联系方式|通信地址|邮寄地址|(?:欢迎|诚请|敬请|恳请|请).{0,30}监督|监督.{0,12}(?:评议|批评)|^(?:下一步|下步|接下来)"
)
_DATE_LINE = re.compile(
    r"^[\d〇零一二三四五六七八九十○]{2,4}年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$"
)


def _mark_closing(blocks: list[Block]) -> None:
    """The closing paragraphs after the last finding (next steps, the invitation to supervise with
    contacts, the signature and date) belong to no finding, even when no heading separates them."""
    i = len(blocks) - 1
    while i >= 0 and not blocks[i].is_heading:
        key = blocks[i].key.replace(" ", "")
        short_name = len(key) <= 40 and not any(ch in key for ch in ",。;:")
        if not (_DATE_LINE.match(key) or short_name or _CLOSING.search(key)):
            break
        i -= 1
    for block in blocks[i + 1 :]:
        block.closing = True


def is_rectification_note(key: str) -> bool:
    """A paragraph opening the rectification text ("整改情况:…"), not a status line ("完成情况:已完成")."""
    return key.startswith(_MARK_FIRST) and bool(RECTIFICATION_MARK.match(key)) and status_of_line(key) is None


def _recover_unlabelled_headings(blocks: list[Block]) -> None:
    """Where most "整改情况:" notes follow a body line rather than a heading, the labels were lost
    (automatic numbering dropped on copy): the line before each note is the problem's heading."""
    marks = [i for i, b in enumerate(blocks) if i and not b.is_heading and is_rectification_note(b.key)]
    orphan = [i for i in marks if not blocks[i - 1].is_heading and not is_rectification_note(blocks[i - 1].key)]
    orphan = [i for i in orphan if status_of_line(blocks[i - 1].key) is None]
    if len(marks) < 2 or len(orphan) * 2 <= len(marks):
        return
    for i in orphan:
        blocks[i - 1].style, blocks[i - 1].lost = "lost", True
