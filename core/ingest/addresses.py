"""Which IP addresses the fetcher may connect to: only globally routable unicast ones.

Used by core/ingest/fetch.py at connect time, on every address a name resolves to. The stdlib's
`ipaddress` properties classify; IPv6 forms that carry an IPv4 address (NAT64, 6to4, Teredo,
IPv4-mapped, IPv4-compatible) are judged by the address they carry.
"""

from __future__ import annotations

import ipaddress

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
"""The well-known NAT64 prefix (RFC 6052): the last 32 bits are the IPv4 address reached."""
_NOT_GLOBAL_AFTER_ALL = tuple(
    ipaddress.ip_network(network)
    for network in (
        "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215)
        "3fff::/20",  # documentation (RFC 9637)
        "5f00::/16",  # SRv6 segment identifiers (RFC 9602)
        "192.88.99.0/24",  # deprecated 6to4 relay anycast (RFC 7526)
    )
)
"""Special-purpose ranges that Python 3.11's `is_global` still calls global; the IANA
special-purpose registries say they are not globally reachable."""


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address | None, str]:
    """The IPv4 address an IPv6 address stands for, and the form: IPv4-mapped, IPv4-compatible,
    NAT64 (64:ff9b::/96), 6to4 (2002::/16) or Teredo (2001::/32, the client's address)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped, "IPv4-mapped"
    if int(ip) >> 32 == 0 and int(ip) > 1:  # ::/96 except :: and ::1
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "IPv4-compatible"
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "NAT64"
    if ip.sixtofour is not None:
        return ip.sixtofour, "6to4"
    if ip.teredo is not None:
        return ip.teredo[1], "Teredo"
    return None, ""


def _kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """What makes an address off limits, in a word; None for a globally routable unicast one."""
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_unspecified:
        return "unspecified"
    if ip == ipaddress.IPv4Address("255.255.255.255"):
        return "broadcast"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:  # private-use, documentation, benchmarking and the like
        return "private"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "site-local"
    if not ip.is_global or any(ip in network for network in _NOT_GLOBAL_AFTER_ALL):
        return "non-public"  # shared address space (CGNAT, 100.64.0.0/10) among others
    return None


def refusal(address: str) -> str | None:
    """Why an IP address is off limits, or None when it is a globally routable unicast one.

    The stdlib's `ipaddress` properties classify; IPv6 forms that carry an IPv4 address are
    judged by the IPv4 address they reach: NAT64 (64:ff9b::/96) of a public address is public,
    6to4 is judged as any address once its IPv4 part is public, and IPv4-mapped and
    IPv4-compatible forms are refused whatever they carry (no public server needs them, and the
    IANA registry calls them not globally reachable). Something that is not an IP address at all
    is refused too."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"refused: {address[:100]!r} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded, form = _embedded_ipv4(ip)
        if embedded is not None:
            why = refusal(str(embedded))
            if why is not None:
                return f"refused: {ip} embeds a non-public address ({form}: {embedded})"
            if form in ("IPv4-mapped", "IPv4-compatible"):
                return f"refused: {ip} is an {form} address"
            if form == "NAT64":
                return None
    kind = _kind(ip)
    return None if kind is None else f"refused: {ip} is a {kind} address"


__all__ = ["refusal"]
