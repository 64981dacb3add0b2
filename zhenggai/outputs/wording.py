"""The report's sentences in the genre's own wording, built from the inspection's fields and counts.

Each function returns the generated default; the unit's edited text (`Sections`) replaces it where
given. Sentences avoid the shapes the parser reads as findings (针对“…”问题, 整改情况:), so that a
generated report read back gives the same ledger.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from zhenggai.ingest.ledgerdoc import Inspection, LedgerDocument
from zhenggai.outputs.context import Counts, ReportKind
from zhenggai.outputs.numbering import cn_date_iso

SECTION_ORGANISATION = "整改工作开展情况"
SECTION_FINDINGS = "巡察反馈问题整改落实情况"
SECTION_LATE = "逾期未完成整改任务及原因"
SECTION_NEXT = "下一步工作打算"


def publisher_of(doc: LedgerDocument) -> str:
    """Who signs: the signature of the imported report, else the party body of the unit (中共…党组)."""
    if doc.report.publisher:
        return doc.report.publisher
    unit = (doc.inspection.unit or "").strip()
    if unit.endswith(("党组", "党委", "党工委", "党总支", "党支部")) and not unit.startswith("中共"):
        return "中共" + unit
    return unit or "(署名)"


def _team(meta: Inspection) -> str:
    if meta.team:
        return meta.team
    return f"{meta.committee}巡察组" if meta.committee else "巡察组"


def default_title(doc: LedgerDocument, kind: ReportKind, publisher: str) -> str:
    what = "整改进展情况的报告" if kind == ReportKind.PROGRESS else "整改情况的通报"
    return f"{publisher}关于{_team(doc.inspection)}巡察反馈意见{what}"


def default_addressee(doc: LedgerDocument) -> str:
    """The progress report goes to the committee that sent the team (主送机关)."""
    return f"{doc.inspection.committee or '巡察工作领导小组'}："


def opening(doc: LedgerDocument, kind: ReportKind, *, public: bool = True) -> str:
    """根据县委统一部署,2024年3月4日至4月19日,县委第二巡察组对…进行了常规巡察。2024年5月20日,…反馈了巡察意见。"""
    meta = doc.inspection
    team, unit = _team(meta), meta.unit or "我单位"
    kind_words = meta.kind.replace('"', "“", 1).replace('"', "”", 1) if meta.kind else "巡察"
    on_site = _period(meta.start, meta.end) if meta.start and meta.end else ""
    period = f"{on_site}，" if on_site else ""
    parts = [f"根据{meta.committee or '巡察工作'}统一部署，{period}{team}对{unit}进行了{kind_words}。"]
    feedback = cn_date_iso(meta.feedback_date)
    if feedback:
        parts.append(f"{feedback}，{team}向{unit}反馈了巡察意见。")
    if kind == ReportKind.PROGRESS:
        parts.append("现将巡察整改进展情况报告如下。")
    elif not public:  # the in-party version goes to the committee, it is not published
        parts.append("现将巡察整改情况通报如下。")
    else:
        parts.append("按照党务公开原则和巡察工作有关要求，现将巡察整改情况予以公布。")
    return "".join(parts)


def _period(start: str, end: str) -> str:
    """2020年5月11日至6月19日: the year is not repeated within the same year, as reports write it."""
    first, last = cn_date_iso(start), cn_date_iso(end)
    if not first or not last:
        return ""
    if start[:4] == end[:4]:
        last = last.split("年", 1)[1]
    return f"{first}至{last}"


def defaults(doc: LedgerDocument, kind: ReportKind) -> dict[str, str]:
    """The generated wording of every editable section, to show the unit what an empty field means."""
    publisher = publisher_of(doc)
    return {
        "title": default_title(doc, kind, publisher),
        "addressee": default_addressee(doc),
        "opening": opening(doc, kind),
        "organisation": default_organisation(doc),
        "next_steps": default_next_steps(doc),
        "invitation": invitation(doc.contact.phones, doc.contact.emails, doc.contact.address),
        "publisher": publisher,
        "phones": "、".join(doc.contact.phones),
        "emails": "、".join(doc.contact.emails),
        "address": doc.contact.address or "",
    }


def default_organisation(doc: LedgerDocument) -> str:
    unit = doc.inspection.unit or "我单位"
    return (
        f"巡察反馈意见后，{unit}高度重视，把巡察整改作为重大政治任务，成立由主要负责同志任组长的巡察整改工作领导小组，"
        "对照巡察反馈意见逐条制定整改措施，建立问题清单、任务清单、责任清单，明确责任领导、责任科室、责任人和完成时限，"
        "实行台账管理、对账销号，做到整改一项、销号一项。"
    )


def default_next_steps(doc: LedgerDocument) -> str:
    unit = doc.inspection.unit or "我单位"
    return (
        f"下一步，{unit}将坚持标准不降、力度不减，对已完成的整改事项适时开展“回头看”，防止问题反弹回潮；"
        "对正在推进和需要长期坚持的整改事项，紧盯时间节点，持续跟踪问效，确保按期全面完成；"
        "坚持举一反三、建章立制，推动巡察整改成果转化为工作成效。"
    )


def rate_text(completed: int, items: int) -> str:
    """Completion rate as the reports write it (688 of 697 → 98.71%)."""
    rate = (Decimal(completed) * 100 / Decimal(items)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{rate}%"


def progress(counts: Counts, as_of_text: str) -> str:
    """截至…,巡察反馈的3方面30个具体问题,已完成整改28个,正在推进整改1个,长期坚持1个,整改完成率93.33%。"""
    scope = f"{counts.aspects}方面" if counts.aspects else ""
    scope += f"{counts.problems}个问题" if counts.problems else ""
    head = f"截至{as_of_text}，巡察反馈的{scope}{counts.items}个具体问题，"
    if counts.items and counts.completed == counts.items:
        return head + "已全部完成整改。"
    parts = [f"已完成整改{counts.completed}个"]
    for value, words in (
        (counts.basically, "基本完成整改{}个"),
        (counts.in_progress, "正在推进整改{}个"),
        (counts.long_term, "长期坚持{}个"),
        (counts.not_done, "尚未完成整改{}个"),
    ):
        if value:
            parts.append(words.format(value))
    rate = f"，整改完成率{rate_text(counts.completed, counts.items)}" if counts.items else ""
    return head + "，".join(parts) + rate + "。"


def withheld(items: int, measures: int) -> str | None:
    """What the public version says about what it leaves out; None when nothing is left out."""
    if items and measures:
        return f"另有{items}个问题按规定不予公开；已公开问题中另有{measures}项整改措施按规定不予公开。"
    if items:
        return f"另有{items}个问题按规定不予公开。"
    if measures:
        return f"已公开问题中另有{measures}项整改措施按规定不予公开。"
    return None


def invitation(phones: list[str], emails: list[str], address: str | None) -> str:
    """The invitation to supervise, then each kind of contact the unit has on a line of its own
    (an e-mail address inside a justified line would be stretched or broken)."""
    lines = ["欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请及时向我们反映。"]
    if phones:
        lines.append("联系电话：" + "、".join(phones))
    if address:
        lines.append("通信地址：" + address)
    if emails:
        lines.append("电子邮箱：" + "、".join(emails))
    return "\n".join(lines)


def late_intro(count: int, as_of_text: str) -> str:
    if not count:
        return f"截至{as_of_text}，所有整改任务均在整改时限内推进，无逾期未完成的整改任务。"
    return f"截至{as_of_text}，共有{count}项整改任务超过整改时限尚未完成销号，具体如下："


def late_line(finding: str, measure: str, deadline_text: str, days: int, department: str, reason: str) -> str:
    """One late task; its reason only when the unit gave one (no made-up sentence repeated per task)."""
    who = f"责任科室为{department}，" if department else ""
    because = f"原因：{_sentence(reason)}" if reason.strip() else ""
    return (
        f"“{_short(finding)}”的整改任务“{_short(measure)}”，{who}整改时限为{deadline_text}，已逾期{days}天。{because}"
    )


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith(("。", "！", "？", "…", "”", "）")) else text + "。"


def _short(text: str, limit: int = 40) -> str:
    text = text.strip().rstrip("。；;")
    return text if len(text) <= limit else text[: limit - 1] + "…"
