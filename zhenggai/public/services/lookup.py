"""The sender checks an opinion with its receipt number; limited per address and per receipt, so
that receipts cannot be tried in bulk and one receipt cannot be polled without end."""

from __future__ import annotations

from zhenggai.ledger.errors import NotFound
from zhenggai.public.errors import Throttled
from zhenggai.public.models import Opinion
from zhenggai.public.protect import housekeeping, throttle
from zhenggai.public.protect.receipt import clean


def opinion_by_receipt(text: str, *, ip: str) -> Opinion:
    if not throttle.hit("lookup-ip", ip):
        raise Throttled("查询过于频繁，请稍后再试")
    housekeeping.purge_if_due()  # old counters and challenges, at most hourly; never raises
    receipt = clean(text)
    if receipt is None:
        raise NotFound("回执编号有误，请核对后重新输入(共13位，字母不区分大小写)")
    if not throttle.hit("lookup-receipt", receipt):
        raise Throttled("该回执编号查询过于频繁，请稍后再试")
    found = Opinion.objects.filter(receipt=receipt).select_related("report").first()
    if found is None:
        raise NotFound("未找到该回执编号对应的意见，请核对后重新输入")
    return found
