"""Word's automatic numbering, rebuilt: the labels ("一、", "(1)") Word draws but never stores as text.

A paragraph refers to a list instance (`w:num`, by numId) and a level (ilvl), directly or through
its style. The instance points at an abstract definition (`w:abstractNum`) whose levels give the
start value, the number format and the label template ("%1、", "(%1)", "%1.%2"). Counters belong to
the abstract list, so instances that share it continue one another, except an instance with a
`w:startOverride`, which restarts: it keeps counters of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

MAX_LEVELS = 9


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None
    """The label template; None when the level has no w:lvlText (Word then draws nothing)."""
    suffix: str = "tab"
    restart: int | None = None
    """w:lvlRestart: 0 = never restart; n = restart after a level shallower than n advances."""
    legal: bool = False
    """w:isLgl: the numbers of shallower levels are drawn as decimals inside this level's label."""
    style: str | None = None


@dataclass
class Instance:
    abstract_id: str
    overrides: dict[int, Level] = field(default_factory=dict)
    start_overrides: dict[int, int] = field(default_factory=dict)


@dataclass
class Style:
    based_on: str | None = None
    num_id: str | None = None
    ilvl: int | None = None


class Numbering:
    """The numbering of one document: definitions plus the running counters."""

    def __init__(self, w: str, numbering: etree._Element | None, styles: etree._Element | None) -> None:
        self._w = w
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.style_links: dict[str, str] = {}
        self.instances: dict[str, Instance] = {}
        self.styles: dict[str, Style] = {}
        self.default_style: str | None = None
        self._counters: dict[str, dict[int, int]] = {}
        self._seen_instances: set[str] = set()
        if styles is not None:
            self._read_styles(styles)
        if numbering is not None:
            self._read_numbering(numbering)

    # ---- definitions -------------------------------------------------------------------------

    def _val(self, el: etree._Element | None, child: str) -> str | None:
        if el is None:
            return None
        found = el.find(self._w + child)
        return None if found is None else found.get(self._w + "val")

    def _level(self, lvl: etree._Element) -> Level:
        level = Level()
        start = _int(self._val(lvl, "start"))
        if start is not None:
            level.start = start
        level.fmt = self._val(lvl, "numFmt") or "decimal"
        text = lvl.find(self._w + "lvlText")
        if text is not None:
            level.text = text.get(self._w + "val") or ""
        level.suffix = self._val(lvl, "suff") or "tab"
        level.restart = _int(self._val(lvl, "lvlRestart"))
        legal = lvl.find(self._w + "isLgl")
        level.legal = legal is not None and legal.get(self._w + "val") not in ("0", "false", "off")
        level.style = self._val(lvl, "pStyle")
        return level

    def _read_numbering(self, root: etree._Element) -> None:
        w = self._w
        for abstract in root.iter(w + "abstractNum"):
            aid = abstract.get(w + "abstractNumId")
            if aid is None:
                continue
            levels: dict[int, Level] = {}
            for lvl in abstract.findall(w + "lvl"):
                ilvl = _int(lvl.get(w + "ilvl"))
                if ilvl is not None and 0 <= ilvl < MAX_LEVELS:
                    levels[ilvl] = self._level(lvl)
            self.abstracts[aid] = levels
            link = self._val(abstract, "numStyleLink")
            if link:
                self.style_links[aid] = link
        for num in root.iter(w + "num"):
            num_id = num.get(w + "numId")
            aid = self._val(num, "abstractNumId")
            if num_id is None or aid is None:
                continue
            instance = Instance(aid)
            for override in num.findall(w + "lvlOverride"):
                ilvl = _int(override.get(w + "ilvl"))
                if ilvl is None or not 0 <= ilvl < MAX_LEVELS:
                    continue
                start = _int(self._val(override, "startOverride"))
                if start is not None:
                    instance.start_overrides[ilvl] = start
                lvl = override.find(w + "lvl")
                if lvl is not None:
                    instance.overrides[ilvl] = self._level(lvl)
            self.instances[num_id] = instance

    def _read_styles(self, root: etree._Element) -> None:
        w = self._w
        for style in root.iter(w + "style"):
            if style.get(w + "type") != "paragraph":
                continue
            sid = style.get(w + "styleId")
            if not sid:
                continue
            entry = Style(based_on=self._val(style, "basedOn"))
            num_pr = style.find(f"{w}pPr/{w}numPr")
            if num_pr is not None:
                entry.num_id = self._val(num_pr, "numId")
                entry.ilvl = _int(self._val(num_pr, "ilvl"))
            self.styles[sid] = entry
            if style.get(w + "default") in ("1", "true", "on"):
                self.default_style = sid

    # ---- resolution --------------------------------------------------------------------------

    def _abstract_of(self, num_id: str) -> tuple[str, dict[int, Level]] | None:
        instance = self.instances.get(num_id)
        if instance is None:
            return None
        aid = instance.abstract_id
        for _ in range(5):  # a numStyleLink points through a style at another instance
            link = self.style_links.get(aid)
            if link is None:
                break
            style_num = self._style_numbering(link)[0]
            target = self.instances.get(style_num or "")
            if target is None or target.abstract_id == aid:
                break
            aid = target.abstract_id
        levels = self.abstracts.get(aid)
        return None if levels is None else (aid, levels)

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """numId and ilvl a paragraph style gives, following basedOn (cycles are cut)."""
        num_id: str | None = None
        ilvl: int | None = None
        seen: set[str] = set()
        while style_id and style_id not in seen and len(seen) < 20:
            seen.add(style_id)
            style = self.styles.get(style_id)
            if style is None:
                break
            if num_id is None and style.num_id is not None:
                num_id = style.num_id
            if ilvl is None and style.ilvl is not None:
                ilvl = style.ilvl
            style_id = style.based_on
        return num_id, ilvl

    def label(self, style_id: str | None, num_id: str | None, ilvl: int | None) -> str:
        """Advance the counters for one paragraph and return the label Word draws before it ("" if none).

        `num_id`/`ilvl` are the paragraph's direct w:numPr values (None when absent); missing
        values come from the paragraph style.
        """
        style_id = style_id or self.default_style
        if num_id is None or ilvl is None:
            style_num, style_ilvl = self._style_numbering(style_id)
            if num_id is None:
                num_id = style_num
                if ilvl is None:
                    ilvl = style_ilvl
        if num_id is None or num_id == "0":
            return ""
        resolved = self._abstract_of(num_id)
        if resolved is None:
            return ""
        aid, levels = resolved
        instance = self.instances[num_id]
        if ilvl is None:  # a style linked from a level (w:lvl/w:pStyle) numbers at that level
            ilvl = next((i for i, lv in levels.items() if style_id and lv.style == style_id), 0)
        ilvl = max(0, min(ilvl, MAX_LEVELS - 1))

        def level_of(i: int) -> Level:
            return instance.overrides.get(i) or levels.get(i) or Level()

        level = level_of(ilvl)
        if level.fmt == "none" and not level.text:
            return ""
        key = aid
        if instance.start_overrides or instance.overrides:
            key = "num:" + num_id
            if num_id not in self._seen_instances:
                self._seen_instances.add(num_id)
                self._counters[key] = {}
        counters = self._counters.setdefault(key, {})

        def start_of(i: int) -> int:
            return instance.start_overrides.get(i, level_of(i).start)

        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start_of(ilvl)
        for deeper in [d for d in counters if d > ilvl]:
            restart = level_of(deeper).restart
            if restart is None:
                restart = deeper
            if restart != 0 and ilvl < restart:
                del counters[deeper]
        if level.fmt == "bullet" or level.text is None:
            return ""
        return render(level, ilvl, lambda i: counters.get(i, start_of(i)), level_of)


def render(level: Level, ilvl: int, value_of: Callable[[int], int], level_of: Callable[[int], Level]) -> str:
    """Fill the template: "%k" is level k-1's current number in that level's format."""
    template = level.text or ""
    out: list[str] = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch == "%" and i + 1 < len(template) and template[i + 1].isdigit():
            ref = int(template[i + 1]) - 1
            i += 2
            if 0 <= ref < MAX_LEVELS:
                fmt = level_of(ref).fmt
                if level.legal and ref != ilvl:
                    fmt = "decimal"
                out.append(format_number(value_of(ref), fmt))
            continue
        out.append(ch)
        i += 1
    label = "".join(out)
    if not label.strip():
        return ""
    if level.suffix != "nothing" and (label[-1].isalnum() or label[-1] in "〇"):
        label += " "  # Word puts a tab or space after the label; keep a label like "一" apart from the text
    return label


# ---- number formats --------------------------------------------------------------------------

_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_CN_LEGAL_TRAD = "零壹貳參肆伍陸柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿"
_PAREN = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
_IDEOGRAPH_CIRCLED = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"))
_ROMAN += ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def chinese_counting(n: int, digits: str = _CN_DIGITS, units: str = "十百千", zero: str = "零") -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五 (up to 9999; larger numbers as digits)."""
    if n <= 0 or n > 9999:
        return str(n)
    parts: list[str] = []
    pending_zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // power % 10
        if d == 0:
            if parts:
                pending_zero = True
            continue
        if pending_zero:
            parts.append(zero)
            pending_zero = False
        if not (power == 10 and d == 1 and not parts and digits is _CN_DIGITS):
            parts.append(digits[d])
        parts.append(unit)
    return "".join(parts)


def format_number(n: int, fmt: str) -> str:
    """One number in one of Word's w:numFmt values; unknown formats fall back to decimals."""
    if fmt in ("decimal", "decimalHalfWidth", "ordinal", "cardinalText", "ordinalText", "hex"):
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else str(n)
    if fmt == "decimalEnclosedParen":
        return _PAREN[n - 1] if 1 <= n <= len(_PAREN) else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return _FULLSTOP[n - 1] if 1 <= n <= len(_FULLSTOP) else f"{n}."
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "koreanCounting",
    ):
        return chinese_counting(n)
    if fmt == "chineseLegalSimplified":
        return chinese_counting(n, _CN_LEGAL, "拾佰仟", "零")
    if fmt in ("ideographLegalTraditional", "japaneseLegal"):
        return chinese_counting(n, _CN_LEGAL_TRAD, "拾佰仟", "零")
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital"):
        return "".join(_CN_DIGITS[int(c)] for c in str(n))
    if fmt == "ideographTraditional":
        return _HEAVENLY_STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _EARTHLY_BRANCHES[(n - 1) % 12] if n > 0 else str(n)
    if fmt == "ideographEnclosedCircle":
        return _IDEOGRAPH_CIRCLED[n - 1] if 1 <= n <= 10 else str(n)
    if fmt in ("lowerLetter", "upperLetter"):
        if n <= 0:
            return str(n)
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        if not 0 < n < 4000:
            return str(n)
        out = []
        rest = n
        for value, numeral in _ROMAN:
            while rest >= value:
                out.append(numeral)
                rest -= value
        roman = "".join(out)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None
