"""The caller's address, for every per-address limit (login throttling, public opinions and lookups).

Behind a reverse proxy every request comes from the proxy, so a per-address limit would count the
whole office as one caller. The real address is then read from a header the proxy writes
(ZHENGGAI_CLIENT_IP_HEADER, e.g. X-Forwarded-For) — but only when the request really comes from a
proxy we were told to trust (ZHENGGAI_TRUSTED_PROXIES, addresses or CIDR ranges): anybody else can
write that header too. Each proxy appends the address it saw, so the list is read from the right
and the first address that is not one of our proxies is the caller; what lies further left was
written by the caller and proves nothing. Without configuration only REMOTE_ADDR counts.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_networks() -> tuple[Network, ...]:
    """ZHENGGAI_TRUSTED_PROXIES as networks (a bad entry is reported by the system check zhenggai.E010)."""
    return _networks(tuple(getattr(settings, "ZHENGGAI_TRUSTED_PROXIES", ()) or ()))


def _parse(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def _header_key(name: str) -> str:
    return "HTTP_" + name.strip().upper().replace("-", "_")


def client_ip(request: HttpRequest) -> str:
    """The address of whoever sent this request, as text (at most 45 characters)."""
    peer_text = request.META.get("REMOTE_ADDR") or ""
    peer = _parse(peer_text)
    if peer is None:
        return (peer_text or "unknown")[:45]
    networks = trusted_networks()
    header = getattr(settings, "ZHENGGAI_CLIENT_IP_HEADER", "") or ""
    if not networks or not header or not _trusted(peer, networks):
        return str(peer)
    hops = [part for part in request.META.get(_header_key(header), "").split(",") if part.strip()]
    caller = peer
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:  # garbage: nothing to its left can be believed; the last proxy is all we know
            break
        caller = address
        if not _trusted(address, networks):
            break
    return str(caller)
