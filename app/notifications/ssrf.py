"""Outbound URL checks against server-side request forgery.

A webhook URL must be http(s), carry no credentials, and every address its host resolves to
must be a public unicast address: loopback (unless `allow_loopback`, for tests), private,
link-local, multicast, reserved, unspecified, shared (CGNAT) and cloud metadata addresses are
refused. The check runs at registration and again before every send, whose connection is
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

Resolver = Callable[[str, int], list[str]]


class UnsafeUrl(ValueError):
    pass


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def address_problem(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, *, allow_loopback: bool
) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
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
    if address.is_reserved or not address.is_global:
        return "a reserved address"
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


def _literal(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address] | None:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        return None
