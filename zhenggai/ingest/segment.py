"""Segment lines into numbered blocks: the official-document labels 一、 (一) 1. 1、 (1) ① and lost ones.

Each line becomes a `Block`: a heading with a label style and value, or a body line. Styles rank as the
official hierarchy does (GB/T 9704: 一、 → (一) → 1. → (1)); the tree step nests blocks by rank.
"""

from __future__ import annotations

import re
from functools import lru_cache

from zhenggai.ingest.cues import is_targeted, looks_like_problem
from zhenggai.ingest.normalise import Line
from zhenggai.ingest.status import status_of_line

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

# style name → rank in the official hierarchy
RANK = {"cn": 1, "pcn": 2, "num": 3, "pnum": 4, "circ": 5}

_CN = "一二三四五六七八九十百"
_LABEL = re.compile(
    rf"^(?:(?P<cn>[{_CN}]{{1,4}})\s*[、．]"
    rf"|\((?P<pcn>[{_CN}]{{1,4}})\)"
    r"|(?P<num>\d{1,3})\s*(?:[、．]|\.(?!\d)|\.(?=\d{4}年|\d{1,2}月\d{1,2}日))"
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


MARK_FIRST = ("整改", "落实", "完成")  # how every RECTIFICATION_MARK starts


class Block:
    """One line: a heading (`style` set) or body text (`style` None).

    A plain class with its own __init__ rather than a dataclass: compiled by mypyc, building one
    per line is then a native call (a dataclass's generated __init__ stays Python)."""

    __slots__ = ("closing", "key", "label", "lost", "rank", "style", "text", "value")

    def __init__(
        self,
        text: str,
        key: str,
        style: str | None = None,
        value: int | None = None,
        label: str | None = None,
        lost: bool = False,
        closing: bool = False,
        rank: int = 0,
    ) -> None:
        self.text = text
        self.key = key
        self.style = style
        self.value = value
        self.label = label
        self.lost = lost
        self.closing = closing
        self.rank = rank

    def __repr__(self) -> str:
        return f"Block({self.label or self.style or ''}:{self.text[:20]!r})"

    @property
    def is_heading(self) -> bool:
        return self.style is not None


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零三 → 103 (the range labels use)."""
    cached = _NUMBERS.get(text)
    if cached is not None:
        return cached
    if not text:
        return None
    if text.isdecimal():
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


_NUMBERS: dict[str, int] = {}
for _n in range(1, 100):
    _NUMBERS[str(_n)] = _n
_NUMBERS.update({"零": 0, "〇": 0, "两": 2})
for _n, _digit in enumerate("一二三四五六七八九", 1):
    _NUMBERS[_digit] = _n
    _NUMBERS["十" + _digit] = 10 + _n
    _NUMBERS[_digit + "十"] = 10 * _n
    for _m, _unit in enumerate("一二三四五六七八九", 1):
        _NUMBERS[_digit + "十" + _unit] = 10 * _n + _m
_NUMBERS["十"] = 10


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
    text, key = line
    first = key[:1]
    if first not in _LABEL_FIRST and not first.isdigit():
        if first in _LOST_FIRST:
            return _lost_or_body(line)
        return Block(text, key)
    match = _LABEL.match(key)
    if match:
        style = match.lastgroup or ""
        info = _label_info(style, match.group(style))
        cut = match.end()
        if info is not None and not _looks_like_prose(key, cut):
            return Block(text[cut:].strip(), key[cut:].strip(), style, info[0], info[1], False, False, info[2])
    return _lost_or_body(line)


@lru_cache(maxsize=512)
def _label_info(style: str, raw: str) -> tuple[int, str, int] | None:
    """(value, label as the format writes it, rank) of a label, or None when it is no number."""
    value = ord(raw) - ord("①") + 1 if style == "circ" else cn_number(raw)
    if value is None:
        return None
    return value, label_text(style, value, raw), RANK[style]


def _lost_or_body(line: Line) -> Block:
    lost = _LOST.match(line.key) if line.key[:1] in _LOST_FIRST else None
    if lost and lost.end() < len(line.key):
        cut = lost.end()
        return Block(line.text[cut:].strip(), line.key[cut:].strip(), "lost", None, None, lost=True)
    return Block(line.text, line.key)


_DATE_AHEAD = re.compile(r"\d{4}年|\d{1,2}月\d{1,2}日")


def _looks_like_prose(key: str, end: int) -> bool:
    """ "2019年…" after "1." is a date, "1.6%" a number: not labels."""
    after = key[end : end + 1]
    if after.isdecimal():
        return not _DATE_AHEAD.match(key, end)  # "1.2019年…" is a label before a date; "1.6" a number
    return after in ("%", "‰")


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
        if pending_lost and block.style is None:
            block.style, block.lost = "lost", True
        pending_lost = False
        blocks.append(block)
    _recover_unlabelled_headings(blocks)
    _recover_problem_statements(blocks)
    _recover_headless_titles(blocks)
    _mark_closing(blocks)
    return blocks


def _recover_headless_titles(blocks: list[Block]) -> None:
    """A short line without sentence punctuation between a heading and the numbered headings under
    it is a heading whose label was lost ("意识形态阵地管理有短板" above "(1)…")."""
    seen_heading = False
    for i in range(len(blocks) - 1):
        block, after = blocks[i], blocks[i + 1]
        seen_heading = seen_heading or block.style is not None
        if block.style is not None or not seen_heading or after.style is None or after.lost:
            continue
        key = block.key
        plain = len(key) <= 40 and not any(ch in key for ch in "。;:,!?")
        feedback = len(key) <= 80 and key.startswith(_FEEDBACK_FIRST) and _FEEDBACK_PROBLEM.match(key)
        if (plain or feedback) and status_of_line(key) is None:
            block.style, block.lost = "lost", True


_FEEDBACK_PROBLEM = re.compile(r"^(?:反馈问题|存在问题|问题)\s*:")
_FEEDBACK_FIRST = ("反馈问题", "存在问题", "问题")


def _recover_problem_statements(blocks: list[Block]) -> None:
    """Where the labels of the specific problems were lost without a trace and no "整改情况:" note
    marks the rectification text, a problem statement is told from its measures by what it says:
    a "针对“…”问题" line, or a short statement of a shortfall opening a run of text under a grouping."""
    for i, block in enumerate(blocks):
        if block.style is not None or not i:
            continue
        if is_targeted(block.key) and len(block.key) <= 160 and not blocks[i - 1].key.endswith(":"):
            block.style, block.lost = "lost", True
    i = 0
    while i < len(blocks):
        heading = blocks[i]
        j = i + 1
        while j < len(blocks) and blocks[j].style is None:
            j += 1
        run = blocks[i + 1 : j]
        if heading.style is not None and run and _groups_findings(heading.key) and looks_like_problem(run[0].key):
            for block in run:
                if looks_like_problem(block.key) and not is_rectification_note(block.key):
                    block.style, block.lost = "lost", True
        i = j


def _groups_findings(key: str) -> bool:
    """An aspect or problem heading ("…方面", "关于…问题"), under which specific problems follow."""
    key = key.rstrip("。:")
    return key.endswith(("方面", "问题", "方面的问题", "方面存在的问题")) or key.startswith("关于")


_CLOSING = re.compile(
    r"电话|邮箱|信箱|来信|来电|联系方式|通信地址|邮寄地址|(?:欢迎|诚请|敬请|恳请|请).{0,30}监督|监督.{0,12}(?:评议|批评)"
    r"|@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|^(?:下一步|下步|接下来|今后一个时期)|巡察整改成果|整改成果|不见成效不收兵|长期坚持的事项|暴露出的短板|管长远|阶段性成效"
)
_DATE_LINE = re.compile(
    r"^[\d〇零一二三四五六七八九十○]{2,4}年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$"
)


def _mark_closing(blocks: list[Block]) -> None:
    """The closing paragraphs after the last finding (next steps, the invitation to supervise with
    contacts, the signature and date) belong to no finding, even when no heading separates them."""
    i = len(blocks) - 1
    while i >= 0 and blocks[i].style is None:
        key = blocks[i].key.replace(" ", "")
        short_name = len(key) <= 40 and not any(ch in key for ch in ",。;:")
        if not (_DATE_LINE.match(key) or short_name or _CLOSING.search(key)):
            break
        i -= 1
    for block in blocks[i + 1 :]:
        block.closing = True


def is_rectification_note(key: str) -> bool:
    """A paragraph opening the rectification text ("整改情况:…"), not a status line ("完成情况:已完成")."""
    return key.startswith(MARK_FIRST) and bool(RECTIFICATION_MARK.match(key)) and status_of_line(key) is None


def _recover_unlabelled_headings(blocks: list[Block]) -> None:
    """Where most "整改情况:" notes follow a body line rather than a heading, the labels were lost
    (automatic numbering dropped on copy): the line before each note is the problem's heading."""
    marks = [i for i, b in enumerate(blocks) if i and b.style is None and is_rectification_note(b.key)]
    orphan = [i for i in marks if blocks[i - 1].style is None and not is_rectification_note(blocks[i - 1].key)]
    orphan = [i for i in orphan if status_of_line(blocks[i - 1].key) is None]
    if len(marks) < 2 or len(orphan) * 2 <= len(marks):
        return
    for i in orphan:
        blocks[i - 1].style, blocks[i - 1].lost = "lost", True
