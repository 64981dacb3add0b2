"""System checks for settings that work alone but not together.

They run on `migrate`, `runserver` and `check --deploy`, where an operator reads them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security)
def check_debug_with_https(app_configs, **kwargs) -> list:
    """DEBUG pages leak settings and source; behind HTTPS the system is meant for real users."""
    if settings.DEBUG and getattr(settings, "HTTPS", False):
        return [
            Warning(
                "DEBUG is on while ZHENGGAI_HTTPS=1: tracebacks would be shown to real users.",
                hint="Unset DEBUG in production.",
                id="zhenggai.W001",
            )
        ]
    return []


@register()  # not Tags.database: those run only with `check --database`
def check_database_url(app_configs, **kwargs) -> list:
    """An unknown DATABASE_URL scheme falls back to SQLite; an operator must not miss that."""
    scheme = settings.DATABASES["default"].get("UNKNOWN_SCHEME")
    if scheme:
        return [
            Error(
                f"DATABASE_URL has an unknown scheme {scheme!r}; the SQLite file in the data folder is used instead.",
                hint="Use postgres://user:password@host:5432/name, sqlite:///path, or unset DATABASE_URL.",
                id="zhenggai.E001",
            )
        ]
    return []


@register(Tags.security)
def check_secure_cookies(app_configs, **kwargs) -> list:
    """Secure cookies over plain HTTP are never sent back: nobody could log in."""
    if not getattr(settings, "HTTPS", False) and settings.SESSION_COOKIE_SECURE:
        return [
            Warning(
                "SESSION_COOKIE_SECURE is on but ZHENGGAI_HTTPS is not set: logins over HTTP will fail.",
                hint="Set ZHENGGAI_HTTPS=1 when serving over HTTPS.",
                id="zhenggai.W002",
            )
        ]
    return []


@register(Tags.security)
def check_trusted_proxies(app_configs, **kwargs) -> list:
    """A mistyped proxy address would otherwise fail on the first request instead of at start."""
    import ipaddress

    problems = []
    for entry in getattr(settings, "ZHENGGAI_TRUSTED_PROXIES", ()) or ():
        try:
            ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            problems.append(
                Error(
                    f"ZHENGGAI_TRUSTED_PROXIES has {entry!r}, which is not an address or CIDR range.",
                    hint="Use addresses or ranges such as 10.0.0.5 or 10.0.0.0/24, separated by commas.",
                    id="zhenggai.E010",
                )
            )
    return problems
