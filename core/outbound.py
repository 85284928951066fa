"""Server-side requests to URLs users gave us (an n8n base URL), by SECURITY.md's rules.

- Only http and https.
- The host is resolved once; every address it resolves to must be public, unless it falls
  in ``settings.OUTBOUND_ALLOWED_NETWORKS`` (CIDRs; the tests allow loopback). Private,
  loopback, link-local, multicast, reserved and unspecified addresses are refused.
- The connection goes to the address that was checked (pinned: no second lookup a DNS
  rebinding could answer differently); TLS still verifies the certificate for the host name.
- Redirects are not followed: a 3xx is an error.
- Time (``timeout`` seconds per connect and read) and size (``max_bytes``) are bounded.
- ``OutboundError.message`` is for users: it never names the internal address or repeats
  the raw error, which go to the log instead.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import logging
import socket
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

USER_AGENT = "maturity-benchmark/1 (+run pull)"


class OutboundError(Exception):
    """A request to a user-given URL that was refused or failed; ``message`` is safe to
    show to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    """A checked URL: scheme, host name, port, the address to connect to, and the path."""

    scheme: str
    host: str
    port: int
    address: str
    base_path: str


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n, strict=False) for n in settings.OUTBOUND_ALLOWED_NETWORKS]


def _is_refused(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if any(ip in network for network in _allowed_networks()):
        return False
    return not ip.is_global or ip.is_multicast


def url_check(url: str) -> Target:
    """Check a user-given base URL and resolve its host. Raises OutboundError."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OutboundError("The address must start with http:// or https:// and name a host.")
    if parts.username or parts.password:
        raise OutboundError("Put no user name or password in the address.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise OutboundError("The address has an invalid port.") from exc
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OutboundError("The host name could not be found.") from exc
    addresses = [str(info[4][0]) for info in infos]
    if not addresses or any(_is_refused(a) for a in addresses):
        logger.info("refused outbound URL host %s (%s)", parts.hostname, addresses)
        raise OutboundError(
            "That address points inside a private network, which this app does not call."
        )
    return Target(parts.scheme, parts.hostname, port, addresses[0], parts.path.rstrip("/"))


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address, verifying the certificate for the host name."""

    def __init__(self, target: Target, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self._tls)
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def get_json(
    target: Target,
    path: str,
    *,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
    max_bytes: int = 20_000_000,
) -> Any:
    """GET ``target``'s base path + ``path`` and return the parsed JSON body of a 200.
    Raises OutboundError (status other than 200, a redirect, too large, not JSON, network)."""
    full = target.base_path + path + (f"?{urlencode(query)}" if query else "")
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target, timeout)
    else:
        connection = _PinnedHTTPConnection(target, timeout)
    try:
        connection.request(
            "GET",
            full,
            headers={"Accept": "application/json", "User-Agent": USER_AGENT, **(headers or {})},
        )
        response = connection.getresponse()
        body = response.read(max_bytes + 1)
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        logger.warning("outbound GET %s failed", target.host, exc_info=True)
        raise OutboundError("The server could not be reached.") from exc
    finally:
        connection.close()
    if 300 <= response.status < 400:
        raise OutboundError("The server answered with a redirect, which is not followed.")
    if response.status in (401, 403):
        raise OutboundError("The server refused the API key.")
    if response.status != 200:
        raise OutboundError(f"The server answered with status {response.status}.")
    if len(body) > max_bytes:
        raise OutboundError("The server's answer was too large.")
    try:
        return json.loads(body)
    except ValueError as exc:
        raise OutboundError("The server's answer was not JSON.") from exc
