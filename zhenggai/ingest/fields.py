"""The report's fields outside the findings: the opening sentence (team, committee, unit, kind, period,
feedback date), the title, the signature (publisher, date), the claimed counts and the contacts.

Patterns match a line's key (half-width, Simplified); names are cut from its text as written.
Dates without a year ("10月12日反馈了巡察意见") take the year of the date before them in the text,
moving to the next year when they would fall before it.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

from zhenggai.ingest.ledgerdoc import Claimed, Contact, Inspection, Report
from zhenggai.ingest.normalise import Line
from zhenggai.ingest.segment import cn_number

_CN_YEAR = str.maketrans("〇零一二三四五六七八九○", "001234567890")
_NUM = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
# Patterns that may start at any character are slow to search over Chinese text; a leading look-ahead
# naming the characters a match can start with lets the search skip the rest cheaply (same matches).
DATE = re.compile(
    rf"(?=[\d〇零一二三四五六七八九十○])(?:(\d{{4}}|[〇零一二三四五六七八九○]{{4}})\s*年\s*)?{_NUM}\s*月\s*{_NUM}\s*日"
)

# The committee that ordered the inspection: 县委, 云塘市委, 中央, 某某大学党委, 集团公司党组 …
_DATE_CHARS = frozenset("〇零一二三四五六七八九十○年")

_COMMITTEE = r"(?:中央|[\u4e00-\u9fff]{0,8}?[省市州县区旗盟]委|[\u4e00-\u9fff]{0,8}?党(?:委|组|工委))"
_TEAM = re.compile(rf"({_COMMITTEE}(?:第[一二三四五六七八九十\d]{{1,3}}|专项|机动)(?:轮)?巡[察视](?:组|工作组))")
_LEADING_WORDS = ("关于", "根据", "按照", "依据", "对于", "经过", "由", "对", "经", "向", "在", "是", "受")
_DEPLOYED = re.compile(
    r"(?:根据|按照|依据)(中央|[\u4e00-\u9fff]{0,8}?[省市州县区旗盟]委|[\u4e00-\u9fff]{1,10}?党(?:委|组))"
)
_UNIT = re.compile(
    r"(?:对|进驻|进驻到)([^,;。:]{2,40}?)(?:党组织|领导班子)?"
    r"(?:开展了?|进行了?|实施了?|进行|开展)(?:为期[^,;。]{1,12})?(?:的)?([\u4e00-\u9fff“”\"]{0,8}?)巡[察视]"
)
KINDS = (
    "常规巡察",
    "专项巡察",
    "政治巡察",
    "机动巡察",
    "提级巡察",
    "交叉巡察",
    "联动巡察",
    "巡察“回头看”",
    '巡察"回头看"',
)
_FEEDBACK = re.compile(r"反馈")
_SIGNATURE_DATE = re.compile(
    r"^(\d{4}|[〇零一二三四五六七八九○]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$"
)
_ORG_NAME = re.compile(
    r"(委员会|党委|党组|党工委|党支部|总支|委|局|办|办公室|政府|中心|公司|集团|学校|大学|学院|医院|院|会|镇|乡|街道|所|厅|部|处|站)$"
)
_TITLE_HINT = re.compile(r"(整改|巡[察视]).{0,24}(情况|通报|报告|公告|公示|公布|进展)")

_N = r"(\d+|[一二三四五六七八九十百零两]+)"
_N_FIRST = r"\d一二三四五六七八九十百零两"
_UNIT_WORD = r"(?:个|条|项|处)"


def _starting(first: str, pattern: str) -> re.Pattern[str]:
    """`pattern`, searched only where one of the characters `first` stands (see DATE)."""
    return re.compile(rf"(?=[{first}])(?:{pattern})")


CLAIMS = {
    "aspects": _starting(_N_FIRST, rf"{_N}\s*(?:个)?(?:大)?方面"),
    "problems": _starting(_N_FIRST, rf"{_N}\s*{_UNIT_WORD}(?:大|类)?问题"),
    "items": _starting(
        _N_FIRST, rf"{_N}\s*{_UNIT_WORD}(?:具体问题|具体整改问题|整改任务|整改事项|问题清单|小问题|具体事项)"
    ),
    "completed": _starting(
        "已现全完" + _N_FIRST,
        rf"(?<!基本)(?:已|已经|现已)?(?:全部)?完成(?:了)?(?:整改)?\s*{_N}\s*{_UNIT_WORD}"
        rf"|{_N}\s*{_UNIT_WORD}(?:问题|任务)?(?:已|已经)(?:全部)?(?:完成整改|整改完成|完成|整改到位|办结)",
    ),
    "basically_completed": _starting(
        "基" + _N_FIRST, rf"基本完成(?:整改)?\s*{_N}\s*{_UNIT_WORD}|{_N}\s*{_UNIT_WORD}(?:已)?基本完成"
    ),
    "in_progress": _starting(
        "正持" + _N_FIRST,
        rf"(?:正在|持续)(?:推进|整改)(?:整改)?(?:中)?\s*{_N}\s*{_UNIT_WORD}|{_N}\s*{_UNIT_WORD}(?:正在|持续)(?:推进|整改)",
    ),
    "long_term": _starting(
        "长" + _N_FIRST,
        rf"长期(?:坚持|整改)(?:的)?\s*{_N}\s*{_UNIT_WORD}|{_N}\s*{_UNIT_WORD}(?:需|需要)?长期(?:坚持|整改)",
    ),
}
_ALL_DONE = re.compile(r"(?:均|全部|都)(?:已)?(?:完成整改|整改完成|完成|整改到位|办结|销号)")
_CLAIM_CONTEXT = re.compile(r"反馈|巡察|巡视|整改|问题")
_CLAIM_HINT = _starting(_N_FIRST, rf"{_N}\s*(?:个|条|项|处|方面)")

_PHONE = re.compile(
    r"(?=[\d(])(?<![\d])(?:(?:\(?0\d{2,3}\)?\s*[-—–－―]{0,2}\s*)?\d{7,8}(?:\s*[-—–]\s*\d{1,4})?|1[3-9]\d{9}|12388)(?![\d])"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_ADDRESS = re.compile(
    r"(?:通信地址|通讯地址|邮寄地址|来信地址|联系地址|邮政信箱|邮政邮箱|信箱|地址)\s*[:为]\s*"
    r"([^;。]+?)(?=\s*[,(]?\s*(?:邮编|邮政编码)|[;。]|$)"
)
# Every alternative starts with a fixed character, so the search skips to where one stands; re.I
# (or a character class first) would make it try every position of the line.
_CONTACT_CUE = re.compile(r"电话|热线|信箱|邮箱|来信|来电|联系方式|地址|E-?[Mm][Aa][Ii][Ll]|e-?[Mm][Aa][Ii][Ll]")


def iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else int(text.translate(_CN_YEAR))


def find_dates(text: str, default_year: int | None = None) -> list[tuple[int, int, str | None]]:
    """(start, end, ISO date) for every date in the text, years inferred left to right."""
    out: list[tuple[int, int, str | None]] = []
    year = default_year
    last: str | None = None
    first, end = text.find("月"), text.rfind("日") + 1
    if first < 0 or end <= first:
        return out
    while first > 0 and (text[first - 1] in _DATE_CHARS or text[first - 1].isdecimal() or text[first - 1].isspace()):
        # every date holds a 月 with its year and day written just before it, and ends with 日
        first -= 1
    for match in DATE.finditer(text, first, end):
        explicit = _year(match.group(1))
        month, day = cn_number(match.group(2)), cn_number(match.group(3))
        if month is None or day is None:
            continue
        if explicit:
            year = explicit
        value = iso(year, month, day) if year else None
        if value and not explicit and last and value < last and year is not None:
            year += 1
            value = iso(year, month, day)
        out.append((match.start(), match.end(), value))
        last = value or last
    return out


def has_date(text: str) -> bool:
    return "月" in text and "日" in text and DATE.search(text) is not None


def _cut(line: Line, match: re.Match[str], group: int) -> str:
    return line.text[match.start(group) : match.end(group)]


def _strip_leading_words(name: str) -> str:
    changed = True
    while changed:
        changed = False
        for word in _LEADING_WORDS:
            if name.startswith(word) and len(name) > len(word) + 3:
                name, changed = name[len(word) :], True
    return name


# A team's name ends in 巡察组/巡视组 at most 16 characters after it starts (committee, number, 轮).
_TEAM_REACH = 16


_TEAM_ENDS = ("巡察组", "巡视组", "巡察工作组", "巡视工作组")


def find_team(key: str) -> re.Match[str] | None:
    """The first team named in the line. The committee part may start at any Chinese character, and
    scanning a whole paragraph for it is slow, so the search runs only in the stretches that end at a
    巡察组/巡视组 (every match lies in one of them; they are searched in order)."""
    ends = [at for at in _positions(key, "巡") if key.startswith(_TEAM_ENDS, at)]
    i = 0
    while i < len(ends):
        start, end = max(0, ends[i] - _TEAM_REACH), ends[i] + 5
        i += 1
        while i < len(ends) and ends[i] - _TEAM_REACH < end:  # overlapping stretches are searched as one
            end = ends[i] + 5
            i += 1
        match = _TEAM.search(key, start, end)
        if match:
            return match
    return None


def _positions(text: str, char: str) -> list[int]:
    out = []
    at = text.find(char)
    while at >= 0:
        out.append(at)
        at = text.find(char, at + 1)
    return out


def _names_a_team(key: str) -> bool:
    if "巡察" in key or "巡视" in key:
        return bool(find_team(key) or _DEPLOYED.search(key))
    return False


def opening(lines: list[Line]) -> Inspection:
    """The inspection fields from the opening sentence: the first paragraph naming a team with dates."""
    inspection = Inspection()
    candidates = [line for line in lines[:8] if _names_a_team(line.key)]
    if not candidates:
        return inspection
    head = next((line for line in candidates if has_date(line.key)), candidates[0])
    key = head.key
    team = find_team(key)
    if team:
        written = _cut(head, team, 1)
        inspection.team = written[len(written) - len(_strip_leading_words(team.group(1))) :]
        committee = re.match(_COMMITTEE, _strip_leading_words(team.group(1)))
        inspection.committee = inspection.team[: committee.end()] if committee else None
    deployed = _DEPLOYED.search(key)
    if deployed and not inspection.committee:
        inspection.committee = _cut(head, deployed, 1)
    unit = _UNIT.search(key)
    if unit:
        inspection.unit = _cut(head, unit, 1).strip('“”" ')
        if unit.group(2) and unit.group(2) + "巡察" in KINDS:
            inspection.kind = head.text[unit.start(2) : unit.end(2) + 2]
    if not inspection.kind:
        at = next((key.find(k) for k in KINDS if 0 <= key.find(k) < 300), -1)
        if at >= 0:
            inspection.kind = head.text[at : at + len(next(k for k in KINDS if key.find(k) == at))]
    _dates(key, inspection)
    return inspection


def _dates(key: str, inspection: Inspection) -> None:
    """The on-site period is the first two dates joined by 至; the feedback date the date before 反馈."""
    dates = [(start, end, value) for start, end, value in find_dates(key) if value]
    period_end = 0
    for (_, e1, v1), (s2, e2, v2) in pairwise(dates):
        between = key[e1:s2]
        if len(between) <= 3 and re.search(r"至|到|—|-|~|–", between):
            inspection.start, inspection.end, period_end = v1, v2, e2
            break
    for match in _FEEDBACK.finditer(key):
        if match.start() < period_end:
            continue
        before = [v for s, e, v in dates if period_end <= s and e <= match.start()]
        if before:
            inspection.feedback_date = before[-1]
            break


def report_meta(lines: list[Line], title: str | None, published: str | None, source: str) -> Report:
    """Title (the first line when it names the report), signature and date from the tail."""
    report = Report(title=title, published=published, source=source)
    if not report.title and lines:
        title, key = lines[0].text, lines[0].key
        # a title broken over two lines (a centred PDF title, a line break in Word) continues on a
        # short line without sentence punctuation or dates
        for line in lines[1:3]:
            if (
                len(key) + len(line.key) <= 60
                and not re.search(r"[,。;:()]", line.key)
                and not re.search(r"[,。;:]", key)
                and not has_date(line.key)
                and (len(line.key) <= 4 or (not _TITLE_HINT.search(key) and _TITLE_HINT.search(key + line.key)))
            ):
                title, key = title + line.text, key + line.key
            else:
                break
        if len(key) <= 60 and _TITLE_HINT.search(key) and not re.search(r"[,。;]", key):
            report.title = title
    for i in range(len(lines) - 1, max(len(lines) - 6, -1), -1):
        match = _SIGNATURE_DATE.match(lines[i].key.replace(" ", ""))
        if not match:
            continue
        report.date = iso(_year(match.group(1)) or 0, cn_number(match.group(2)) or 0, cn_number(match.group(3)) or 0)
        if i > 0:
            candidate = lines[i - 1]
            name = candidate.key.replace(" ", "")
            if len(name) <= 40 and _ORG_NAME.search(name) and not re.search(r"[,。;:]", name):
                report.publisher = candidate.text.replace(" ", "").replace("\u3000", "")
        break
    return report


def claimed(lines: list[Line]) -> Claimed:
    """Counts the report states about its findings, from the first paragraph that states them."""
    result = Claimed()
    for line in lines:
        text = line.key
        if not _CLAIM_CONTEXT.search(text) or not _CLAIM_HINT.search(text):
            continue
        found = False
        for name, pattern in CLAIMS.items():
            if getattr(result, name) is not None:
                continue
            match = pattern.search(text)
            if match:
                value = cn_number(next(g for g in match.groups() if g))
                if value is not None:
                    setattr(result, name, value)
                    found = True
        if found and result.completed is None and (result.items or result.problems):
            done = _ALL_DONE.search(text)
            if done:
                result.completed = result.items if result.items is not None else result.problems
        if found and (result.items is not None or result.problems is not None):
            break
    return result


def contacts(lines: list[Line]) -> Contact:
    contact = Contact()
    for line in lines:
        key = line.key
        if not _CONTACT_CUE.search(key) and "@" not in key:
            continue
        for email in _EMAIL.findall(key):
            if email not in contact.emails:
                contact.emails.append(email)
        scrubbed = _EMAIL.sub(" ", key)
        scrubbed = re.sub(r"(?:邮编|邮政编码)\s*:?\s*\d{6}", " ", scrubbed)
        if "月" in scrubbed:
            scrubbed = DATE.sub(" ", scrubbed)
        for match in _PHONE.finditer(scrubbed):
            phone = match.group().strip()
            if phone not in contact.phones:
                contact.phones.append(phone)
        address = _ADDRESS.search(key)
        if address and not contact.address:
            contact.address = _cut(line, address, 1).strip().rstrip(",\uff0c")
    return contact
