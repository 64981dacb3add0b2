"""Models of the public side, one module per concern; import them from here."""

from zhenggai.public.models.exchange import SentRecord, Transfer
from zhenggai.public.models.guard import ChallengeUse, RateCounter
from zhenggai.public.models.opinion import Opinion
from zhenggai.public.models.report import Notice, PublicReport, Revision

__all__ = ["ChallengeUse", "Notice", "Opinion", "PublicReport", "RateCounter", "Revision", "SentRecord", "Transfer"]
