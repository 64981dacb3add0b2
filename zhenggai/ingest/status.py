"""Statuses as reports state them: 完成整改 / 基本完成 / 正在推进 / 长期坚持 / 未完成."""

from __future__ import annotations

import re

# A status is a short phrase: in a tag closing the statement "(已完成整改)", on a field line
# "整改状态:整改完成。", or alone on a line. Its meaning is read from cue words, most specific first.
_STATUS_CUES = (
    ("未完成", ("未完成", "尚未完成", "没有完成", "未整改", "未办结")),
    ("长期坚持", ("长期坚持", "长期推进", "持续坚持", "长期整改", "常态化推进")),
    ("基本完成", ("基本完成", "基本整改", "基本到位")),
    ("正在推进", ("正在", "推进中", "整改中", "持续推进", "进行中", "推进")),
    ("完成整改", ("完成", "到位", "办结", "销号", "已整改")),
)
_STATUS_FIELD = re.compile(
    r"^(?:整改(?:状态|进度|结果)|完成情况|目前进度|目前状态|进展情况|状态)\s*:\s*([^:]{2,20}?)[。.]?$"
)
STATUS_TAG = re.compile(r"[(【\[]\s*([^()【】\[\]]{2,16}?)\s*[)】\]]\s*[。.]?$")
TAG_ENDS = (")", "】", "]", ")。", "】。", ").")


def classify_status(phrase: str) -> str | None:
    """完成整改 / 基本完成 / 正在推进 / 长期坚持 / 未完成 from a short status phrase, or None."""
    for status, cues in _STATUS_CUES:
        if any(cue in phrase for cue in cues):
            return status
    return None


def status_of_line(key: str) -> str | None:
    """The status a whole line states (a field or a bare phrase), or None for ordinary text."""
    if len(key) > 30:
        return None
    field = _STATUS_FIELD.match(key)
    if field:
        return classify_status(field.group(1))
    if len(key) <= 14 and not any(ch in key for ch in ",;:"):
        return classify_status(key.rstrip("。."))
    return None
