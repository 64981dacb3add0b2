"""The report's fields outside the findings: the opening sentence (team, committee, unit, kind, period,
feedback date), the title, the signature (publisher, date), the claimed counts and the contacts.

Dates without a year ("10月12日反馈了巡察意见") take the year of the date before them in the text,
moving to the next year when they would fall before it.
"""

from __future__ import annotations

import re
from datetime import date

from zhenggai.ingest.ledgerdoc import Claimed, Contact, Inspection, Report
from zhenggai.ingest.segment import cn_number

_CN_YEAR = str.maketrans("〇零一二三四五六七八九○Ｏ", "001234567890" + "0")
_NUM = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
DATE = re.compile(rf"(?:(\d{{4}}|[〇零一二三四五六七八九○]{{4}})\s*年\s*)?{_NUM}\s*月\s*{_NUM}\s*日")
_TEAM = re.compile(
    r"((?:中央|省委|市委|州委|县委|区委|旗委|盟委|[\u4e00-\u9fff]{0,8}?(?:党委|党组|委员会)?)"
    r"第[一二三四五六七八九十\d]{1,3}(?:轮)?(?:专项)?巡[察视](?:组|工作组))"
)
_COMMITTEE = re.compile(r"(中央|[省市州县区旗盟]委|[\u4e00-\u9fff]{1,10}?(?:委员会|党委|党组))")
_DEPLOYED = re.compile(
    r"根据(中央|[省市州县区旗盟]委|[\u4e00-\u9fff]{1,12}?(?:委|党委|党组))(?:巡[察视]工作)?(?:的)?统一部署"
)
_UNIT = re.compile(
    r"对([\u4e00-\u9fff“”\"()()·]{2,40}?)(?:党组织|领导班子)?(?:开展了?|进行了?|实施了?)"
    r"(?:为期[^,。]{1,10})?(?:的)?([\u4e00-\u9fff“”\"]{0,8}?)巡[察视]"
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
_FEEDBACK = re.compile(r"反馈(?:了)?(?:巡[察视])?(?:意见|情况|问题)|反馈会|反馈意见")
_SIGNATURE_DATE = re.compile(
    r"^(\d{4}|[〇零一二三四五六七八九○]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$"
)
_ORG_NAME = re.compile(
    r"(委员会|党委|党组|党支部|委|局|办|办公室|政府|中心|公司|学校|大学|学院|医院|院|会|镇|乡|街道|所|厅|部)$"
)
_TITLE_HINT = re.compile(r"(整改|巡[察视]).{0,20}(情况|通报|报告|公告|公示|公布|进展)")

_N = r"(\d+|[一二三四五六七八九十百零两]+)"
CLAIMS = {
    "aspects": re.compile(rf"{_N}\s*(?:个)?(?:大)?方面"),
    "problems": re.compile(rf"{_N}\s*(?:个|条|项)(?:大|类)?问题"),
    "items": re.compile(rf"{_N}\s*(?:个|条|项)(?:具体问题|具体整改问题|整改任务|整改事项|问题清单|小问题)"),
    "completed": re.compile(
        rf"(?:已|已经|现已)?(?:全部)?完成(?:整改)?\s*{_N}\s*(?:个|条|项)|{_N}\s*(?:个|条|项)(?:问题)?已(?:全部)?(?:完成整改|整改完成|完成)"
    ),
    "basically_completed": re.compile(rf"基本完成(?:整改)?\s*{_N}\s*(?:个|条|项)"),
    "in_progress": re.compile(rf"(?:正在|持续)(?:推进|整改)(?:整改)?(?:中)?\s*{_N}\s*(?:个|条|项)"),
    "long_term": re.compile(rf"长期(?:坚持|整改)(?:的)?\s*{_N}\s*(?:个|条|项)"),
}
_CLAIM_CONTEXT = re.compile(r"反馈|巡察|巡视|整改|问题")
_CLAIM_HINT = re.compile(rf"{_N}\s*(?:个|条|项|方面)")

_PHONE = re.compile(
    r"(?<![\d])(?:(?:\(?0\d{2,3}\)?\s*[-—–－―]{0,2}\s*)?\d{7,8}(?:\s*[-—–]\s*\d{1,4})?|1[3-9]\d{9}|12388)(?![\d])"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_ADDRESS = re.compile(
    r"(?:通信地址|通讯地址|邮寄地址|来信地址|联系地址|邮政信箱|邮政邮箱|信箱|地址)\s*[::为]\s*([^;;。]+?)(?=[,,]?\s*(?:邮编|邮政编码)|[;;。]|$)"
)
_CONTACT_CUE = re.compile(r"电话|热线|信箱|邮箱|来信|来电|联系方式|地址|E-?mail", re.I)


def iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    return int(text.translate(_CN_YEAR)) if not text.isdigit() else int(text)


def find_dates(text: str, default_year: int | None = None) -> list[tuple[int, str | None]]:
    """(position, ISO date) for every date in the text, years inferred left to right."""
    out = []
    year = default_year
    last: str | None = None
    for match in DATE.finditer(text):
        explicit = _year(match.group(1))
        month, day = cn_number(match.group(2)), cn_number(match.group(3))
        if month is None or day is None:
            continue
        if explicit:
            year = explicit
        if year is None:
            out.append((match.start(), None))
            continue
        value = iso(year, month, day)
        if value and not explicit and last and value < last:
            year += 1
            value = iso(year, month, day)
        out.append((match.start(), value))
        last = value or last
    return out


def opening(paragraphs: list[str]) -> Inspection:
    """The inspection fields from the opening sentences (the first few paragraphs that name a team)."""
    inspection = Inspection()
    head = ""
    for text in paragraphs[:6]:
        if _TEAM.search(text) or _DEPLOYED.search(text):
            head = text
            break
    if not head:
        return inspection
    team = _TEAM.search(head)
    if team:
        inspection.team = team.group(1)
        committee = _COMMITTEE.match(team.group(1))
        inspection.committee = committee.group(1) if committee else None
    deployed = _DEPLOYED.search(head)
    if deployed and not inspection.committee:
        inspection.committee = deployed.group(1)
    unit = _UNIT.search(head)
    if unit:
        inspection.unit = unit.group(1).strip('“”"')
        kind = unit.group(2) + "巡察" if unit.group(2) else None
        inspection.kind = kind if kind in KINDS else None
    if not inspection.kind:
        inspection.kind = next((k for k in KINDS if k in head[:200]), None)
    dates = find_dates(head)
    period = re.search(r"至|—|-|到", head)
    dated = [(pos, d) for pos, d in dates if d]
    if len(dated) >= 2 and period:
        inspection.start, inspection.end = dated[0][1], dated[1][1]
    feedback = _FEEDBACK.search(head)
    if feedback:
        before = [d for pos, d in dated if pos < feedback.start()]
        later = [d for d in before if d and d != inspection.start and d != inspection.end]
        if later:
            inspection.feedback_date = later[-1]
    return inspection


def report_meta(paragraphs: list[str], title: str | None, published: str | None, source: str) -> Report:
    """Title (the first line when it names the report), signature and date from the tail."""
    report = Report(title=title, published=published, source=source)
    if not report.title and paragraphs:
        first = paragraphs[0]
        if len(first) <= 60 and _TITLE_HINT.search(first) and not re.search(r"[,。;]", first):
            report.title = first
    for i in range(len(paragraphs) - 1, max(len(paragraphs) - 5, -1), -1):
        match = _SIGNATURE_DATE.match(paragraphs[i].replace(" ", ""))
        if not match:
            continue
        report.date = iso(_year(match.group(1)) or 0, cn_number(match.group(2)) or 0, cn_number(match.group(3)) or 0)
        if i > 0:
            candidate = paragraphs[i - 1].replace(" ", "")
            if len(candidate) <= 40 and _ORG_NAME.search(candidate) and not re.search(r"[,。;:]", candidate):
                report.publisher = candidate
        break
    return report


def claimed(paragraphs: list[str]) -> Claimed:
    """Counts the report states about its findings, from the first paragraph that states them."""
    result = Claimed()
    for text in paragraphs:
        if not _CLAIM_HINT.search(text) or not _CLAIM_CONTEXT.search(text):
            continue
        found = False
        for name, pattern in CLAIMS.items():
            if getattr(result, name) is not None:
                continue
            match = pattern.search(text)
            if match:
                number = next(g for g in match.groups() if g)
                value = cn_number(number)
                if value is not None:
                    setattr(result, name, value)
                    found = True
        if found and (result.items or result.problems) is not None:
            break
    return result


def contacts(paragraphs: list[str]) -> Contact:
    contact = Contact()
    for text in paragraphs:
        if not _CONTACT_CUE.search(text):
            continue
        for email in _EMAIL.findall(text):
            if email not in contact.emails:
                contact.emails.append(email)
        scrubbed = _EMAIL.sub(" ", text)
        scrubbed = re.sub(r"(?:邮编|邮政编码)\s*[::]?\s*\d{6}", " ", scrubbed)
        scrubbed = DATE.sub(" ", scrubbed)
        for phone in _PHONE.findall(scrubbed):
            phone = phone.strip()
            if phone not in contact.phones:
                contact.phones.append(phone)
        address = _ADDRESS.search(_EMAIL.sub("", text))
        if address and not contact.address:
            contact.address = address.group(1).strip().rstrip(",")
    return contact
