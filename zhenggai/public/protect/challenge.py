"""The arithmetic challenge (算术验证): a question in the page, its answer checked by the server.

The form carries a token signed with Django's signing (so it cannot be made up), dated (so it expires
after MAX_AGE), holding a nonce and an HMAC of the answer — not the answer, which the signed but
readable token would give away. A nonce is written to ChallengeUse when answered, so each question
can be answered once. It stops careless scripts, not a determined person: the limits do the rest.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from zhenggai.public.models import ChallengeUse

SALT = "zhenggai.public.challenge"
MAX_AGE = 30 * 60
NUMERALS = "零一二三四五六七八九十"


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


class ChallengeFailed(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer}").hexdigest()[:24]


def new_challenge() -> Challenge:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    if secrets.randbelow(2) and a != b:
        a, b = max(a, b), min(a, b)
        question, answer = f"{NUMERALS[a]}减{NUMERALS[b]}等于几？", a - b
    else:
        question, answer = f"{NUMERALS[a]}加{NUMERALS[b]}等于几？", a + b
    nonce = secrets.token_hex(12)
    token = signing.dumps({"n": nonce, "h": _digest(nonce, answer)}, salt=SALT, compress=True)
    return Challenge(question=question + "(请填写阿拉伯数字)", token=token)


def verify(token: str, answer: str) -> None:
    """Raise ChallengeFailed unless `answer` solves the challenge of `token`, which is then used up."""
    try:
        data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise ChallengeFailed("验证题已过期，请重新作答") from None
    except signing.BadSignature:
        raise ChallengeFailed("验证题无效，请刷新页面后重试") from None
    try:
        value = int(str(answer).strip())
    except ValueError:
        raise ChallengeFailed("请用阿拉伯数字填写验证题的答案") from None
    nonce, digest = str(data.get("n", "")), str(data.get("h", ""))
    if not constant_time_compare(_digest(nonce, value), digest):
        raise ChallengeFailed("验证题答案不正确，请重新作答")
    try:
        with transaction.atomic():
            ChallengeUse.objects.create(nonce=nonce, used_at=timezone.now())
    except IntegrityError:
        raise ChallengeFailed("该验证题已经使用过，请重新作答") from None


def forget_used(before) -> int:
    """Used nonces older than MAX_AGE can go: their tokens have expired anyway."""
    deleted, _ = ChallengeUse.objects.filter(used_at__lt=before).delete()
    return deleted
