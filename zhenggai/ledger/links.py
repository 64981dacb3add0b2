"""Links people type into the system (a result's 文件链接 and any later one): one rule for all.

A link is accepted only when a browser can read it one way: an absolute http(s) address with a host,
or a path on this site starting with a single "/". Everything else is refused — `javascript:`,
`data:`, `vbscript:` in any case, schemes hidden behind entities or percent signs, `//host`
(another site), backslashes (browsers read them as slashes), and any control or blank character
(browsers drop tabs and newlines inside a URL, so `java\tscript:` would run). The same check decides
at render time whether a stored link may become a live link, so links saved before the rule stay text.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

MAX_LENGTH = 500
SCHEMES = ("http://", "https://")
MESSAGE = "链接只能是以 http:// 或 https:// 开头的网址，或以 / 开头的本系统地址"


class UnsafeLink(ValueError):
    """A link the rule refuses; the message is Chinese and can be shown as it is."""

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)
        self.message = message


def _blank_or_control(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp", "Zs"}


def clean_link(value: str | None) -> str:
    """The link as it will be stored ("" for none), or UnsafeLink.

    Spaces around the link (a pasted address) are dropped; any blank or control character left
    inside refuses it.
    """
    text = (value or "").strip(" ")
    if not text:
        return ""
    if len(text) > MAX_LENGTH:
        raise UnsafeLink(f"链接过长（不超过{MAX_LENGTH}个字符）")
    if any(_blank_or_control(ch) for ch in text) or "\\" in text:
        raise UnsafeLink("链接中不能含空格、换行、控制字符或反斜杠")
    if text.startswith("/"):
        if text.startswith("//"):
            raise UnsafeLink()
        return text
    if not text.lower().startswith(SCHEMES):
        raise UnsafeLink()
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        raise UnsafeLink() from None
    if parts.scheme.lower() not in {"http", "https"} or not host:
        raise UnsafeLink()
    return text


def is_safe_link(value: str | None) -> bool:
    """Whether a stored link may be rendered as a live link (links kept from before the rule may not)."""
    try:
        return bool(clean_link(value))
    except UnsafeLink:
        return False


def validate_link(value: str | None) -> None:
    """The same rule as a Django validator, for forms and model fields."""
    try:
        clean_link(value)
    except UnsafeLink as error:
        raise ValidationError(error.message, code="unsafe_link") from None


def is_own_path(value: str | None) -> bool:
    """A link on this site only (a redirect target): a safe link that is a path."""
    return is_safe_link(value) and (value or "").strip(" ").startswith("/")
