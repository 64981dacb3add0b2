"""Links in e-mails: a site path as the full address people reach the system at."""

from __future__ import annotations

from django.conf import settings


def absolute(link: str) -> str | None:
    """The full address of a site path, when the system knows its own (ZHENGGAI_SITE_URL); else None."""
    site = settings.ZHENGGAI_SITE_URL
    return f"{site}{link}" if site and link.startswith("/") else None
