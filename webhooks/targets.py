"""Rules for the endpoint URLs a firm gives: which URLs and which addresses may be called.

A webhook endpoint is a server-side request made on a user's behalf (SECURITY.md, "User-given
URLs"), so:

- only ``https`` is allowed, and ``http`` only for a host on the allowlist
  (``settings.WEBHOOK_ALLOWED_HOSTS``: the tests' loopback receiver, an internal CRM);
- no user name or password in the URL;
- every address the host resolves to must be public: private, loopback, link-local,
  multicast, reserved, unspecified and shared (carrier-grade NAT) ranges are refused unless
  the host, or that address, is on the allowlist;
- the check runs when the URL is saved and again before every attempt, and the attempt
  connects to the very address that was checked (``ResolvedTarget.address``), so a DNS
  answer that changes in between (DNS rebinding) cannot steer it inside.

Pure: stdlib only. The refusal messages are safe to show: they never carry the resolved
address or a raw socket error.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2000

Resolver = Callable[[str, int], list[str]]


class TargetRefusedError(ValueError):
    """The URL or the address it resolves to may not be called; ``str()`` says why, in
    words fit for the person who typed the URL."""


@dataclass(frozen=True)
class Target:
    """A URL that passed the shape rules: ``host`` lower-case without brackets, ``port``
    explicit, ``path`` with its query string (never empty)."""

    scheme: str
    host: str
    port: int
    path: str

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"


@dataclass(frozen=True)
class ResolvedTarget:
    """A ``Target`` and the checked address an attempt connects to."""

    target: Target
    address: str


def _is_listed(host: str, allowed_hosts: Collection[str]) -> bool:
    return host.lower() in {h.strip().lower().strip("[]") for h in allowed_hosts}


def parse_target(url: str, *, allowed_hosts: Collection[str]) -> Target:
    """Check the shape of ``url`` and split it.

    Raises:
        TargetRefusedError: not http(s); http to a host off the allowlist; credentials in
            the URL; no host; a bad port; longer than 2,000 characters.
    """
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise TargetRefusedError("The URL is too long (2,000 characters at most).")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise TargetRefusedError("This is not a valid URL.") from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise TargetRefusedError("Only https URLs can receive webhooks.")
    host = (parts.hostname or "").lower()
    if not host:
        raise TargetRefusedError("The URL has no host name.")
    if parts.username is not None or parts.password is not None:
        raise TargetRefusedError("Put no user name or password in the URL.")
    if scheme == "http" and not _is_listed(host, allowed_hosts):
        raise TargetRefusedError("Use an https URL: webhooks are not sent over plain http.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(
        scheme=scheme, host=host, port=port or (443 if scheme == "https" else 80), path=path
    )


def address_is_public(address: str) -> bool:
    """True for a globally routable unicast address (IPv4 or IPv6); an IPv4 address mapped
    into IPv6 (``::ffff:10.0.0.1``) is judged as the IPv4 address it carries."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def choose_address(
    target: Target, addresses: Collection[str], *, allowed_hosts: Collection[str]
) -> str:
    """The address to connect to among those ``target.host`` resolved to: the first, once
    every one of them is allowed (public, or the host or the address on the allowlist).

    Refusing when any address is inside (not only the first) leaves no choice to a DNS
    answer that mixes a public address with an internal one.

    Raises:
        TargetRefusedError: no address, or one that is not allowed.
    """
    if not addresses:
        raise TargetRefusedError("The host name does not resolve.")
    host_listed = _is_listed(target.host, allowed_hosts)
    for address in addresses:
        if not (host_listed or _is_listed(address, allowed_hosts) or address_is_public(address)):
            raise TargetRefusedError(
                "The host resolves to a private or internal address, which cannot receive webhooks."
            )
    return next(iter(addresses))


def system_resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6, in the resolver's order, without
    repeats); an IP literal resolves to itself.

    Raises:
        TargetRefusedError: the name does not resolve.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise TargetRefusedError("The host name does not resolve.") from error
    found: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in found:
            found.append(address)
    return found


def resolve_target(
    url: str, *, allowed_hosts: Collection[str], resolve: Resolver = system_resolve
) -> ResolvedTarget:
    """``parse_target`` then ``choose_address`` on what ``resolve`` answers now.

    Raises:
        TargetRefusedError: as either of them.
    """
    target = parse_target(url, allowed_hosts=allowed_hosts)
    addresses = resolve(target.host, target.port)
    return ResolvedTarget(
        target=target,
        address=choose_address(target, addresses, allowed_hosts=allowed_hosts),
    )
