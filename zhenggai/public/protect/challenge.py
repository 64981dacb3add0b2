"""The arithmetic challenge (算术验证): a sum drawn in a picture by the server, its answer checked by the server.

The form carries a token signed with Django's signing (so it cannot be made up), dated (so it expires
after MAX_AGE), holding only a nonce. The sum is derived from the nonce with a keyed HMAC, so neither
the page, nor the token, nor the picture's address gives it away in text: whoever wants the answer
must read the picture (picture.py), which only the server can draw. A nonce is written to ChallengeUse
when answered, so each question can be answered once. A determined person can still answer it; the
rate limits (throttle.py) do the rest.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from zhenggai.public.models import ChallengeUse

SALT = "zhenggai.public.challenge"
MAX_AGE = 30 * 60


@dataclass(frozen=True)
class Challenge:
    token: str


@dataclass(frozen=True)
class Sum:
    """`left` plus or minus `right`: a two-digit number and a one-digit one, never below zero."""

    left: int
    right: int
    plus: bool

    @property
    def answer(self) -> int:
        return self.left + self.right if self.plus else self.left - self.right


class ChallengeFailed(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def _sum_of(nonce: str) -> Sum:
    """The sum a nonce stands for; only the server (it holds SECRET_KEY) can tell which."""
    digest = salted_hmac(SALT, nonce).digest()
    return Sum(left=10 + digest[0] % 40, right=1 + digest[1] % 9, plus=bool(digest[2] % 2))


def new_challenge() -> Challenge:
    nonce = secrets.token_hex(12)
    return Challenge(token=signing.dumps({"n": nonce}, salt=SALT, compress=True))


def _nonce(token: str) -> str:
    try:
        data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise ChallengeFailed("验证题已过期，请重新作答") from None
    except signing.BadSignature:
        raise ChallengeFailed("验证题无效，请刷新页面后重试") from None
    nonce = data.get("n") if isinstance(data, dict) else None
    if not isinstance(nonce, str) or not nonce:
        raise ChallengeFailed("验证题无效，请刷新页面后重试")
    return nonce


def sum_for(token: str) -> Sum:
    """The sum behind a token (to draw it, and for tests that answer as the server knows it);
    ChallengeFailed when the token is forged or expired."""
    return _sum_of(_nonce(token))


def verify(token: str, answer: str) -> None:
    """Raise ChallengeFailed unless `answer` solves the challenge of `token`, which is then used up."""
    nonce = _nonce(token)
    try:
        value = int(str(answer).strip())
    except ValueError:
        raise ChallengeFailed("请用阿拉伯数字填写验证题的答案") from None
    if value != _sum_of(nonce).answer:
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
