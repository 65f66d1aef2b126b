"""Outbound URL checks against server-side request forgery.

A webhook URL must be http(s), carry no credentials, and every address its host resolves to
must be globally reachable (`is_global`, plus the special-purpose blocks older Pythons miss):
loopback (unless `allow_loopback`, for tests), private, link-local, site-local, multicast,
reserved, unspecified, shared (CGNAT) and cloud metadata addresses are refused. An IPv6 address
that carries an IPv4 one (mapped, IPv4-compatible, 6to4, Teredo, NAT64) is judged by the IPv4
address it leads to. The check runs at registration and again before every send, whose connection is
pinned to the addresses checked (see app.notifications.delivery); redirects are never followed.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
# Not globally reachable by IANA's special-purpose registries, yet `is_global` in the Python
# versions we run on (before 3.11.10 / 3.12.4) says they are.
NOT_GLOBAL = tuple(ipaddress.ip_network(n) for n in (
    "192.0.0.0/24",  # IETF protocol assignments
    "fec0::/10",  # site-local (deprecated, still routed inside some sites)
    "64:ff9b:1::/48",  # local-use NAT64
    "3fff::/20",  # documentation
    "5f00::/16",  # SRv6 segment identifiers
))
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class UnsafeUrl(ValueError):
    pass


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo's server and client,
    NAT64, IPv4-compatible): a packet to it ends up there, so they are judged instead."""
    if address.ipv4_mapped is not None:
        return [address.ipv4_mapped]
    if address.sixtofour is not None:
        return [address.sixtofour]
    if address.teredo is not None:
        return list(address.teredo)
    if address in NAT64 or (address in IPV4_COMPATIBLE and int(address) > 1):
        return [ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)]
    return []


def address_problem(address: Address, *, allow_loopback: bool) -> str | None:
    """Why a webhook may not go to `address`, or None: it must be globally reachable."""
    inside = embedded_ipv4(address) if isinstance(address, ipaddress.IPv6Address) else []
    if inside:
        problems = [address_problem(ipv4, allow_loopback=allow_loopback) for ipv4 in inside]
        return next((f"{p} inside an IPv6 address" for p in problems if p), None)
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if address.is_loopback:
        return None if allow_loopback else "a loopback address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_private:
        return "a private address"
    if address.is_reserved or not address.is_global or any(address in n for n in NOT_GLOBAL):
        return "an address that is not globally reachable"
    return None


def check_url(
    url: str, *, allow_loopback: bool = False, resolver: Resolver = system_resolver
) -> list[str]:
    """The addresses `url` may be reached at; UnsafeUrl when any of them is refused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl(f"not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl("only http and https URLs are allowed")
    if parts.username or parts.password:
        raise UnsafeUrl("URLs with credentials are not allowed")
    host = parts.hostname
    if not host:
        raise UnsafeUrl("the URL has no host")
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = _literal(host)
    if addresses is None:
        try:
            resolved = resolver(host, port)
        except OSError:
            resolved = []
        if not resolved:
            raise UnsafeUrl(f"the host {host} does not resolve")
        addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolved]
    for address in addresses:
        problem = address_problem(address, allow_loopback=allow_loopback)
        if problem:
            raise UnsafeUrl(f"{host} resolves to {problem} ({address})")
    return [str(a) for a in addresses]


def _literal(host: str) -> list[Address] | None:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        return None
