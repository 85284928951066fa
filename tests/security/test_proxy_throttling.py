"""Behind a real reverse proxy, two clients are throttled apart.

The test starts a small threaded HTTP proxy on loopback in front of the live server. Like
nginx with ``$proxy_add_x_forwarded_for``, it appends the address the request came from
to ``X-Forwarded-For`` and connects to the app from its own address, so every request
reaches the app from 127.0.0.1. Two clients connect to the proxy from 127.0.0.2 and
127.0.0.3 (the whole 127/8 block is loopback on Linux). With TRUSTED_PROXY_COUNT=1, one
client's failed sign-ins lock out that client only; with 0 (no proxy configured, as
before), they lock out everyone behind the proxy.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode, urlsplit

import pytest

from tests.factories import MembershipFactory

PASSWORD = "correct horse battery"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "upgrade", "trailer"}


@contextmanager
def reverse_proxy(upstream: str) -> Iterator[int]:
    """A reverse proxy on 127.0.0.1 in front of ``upstream``; yields its port."""
    target = urlsplit(upstream)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            forwarded = self.headers.get("X-Forwarded-For")
            headers["X-Forwarded-For"] = ", ".join(
                filter(None, [forwarded, self.client_address[0]])
            )
            upstream_conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            upstream_conn.request(self.command, self.path, body=body or None, headers=headers)
            reply = upstream_conn.getresponse()
            content = reply.read()
            upstream_conn.close()
            self.send_response(reply.status, reply.reason)
            for name, value in reply.getheaders():
                if name.lower() not in HOP_BY_HOP | {"content-length"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = forward

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


class Browser:
    """One client on its own loopback address, with a cookie jar."""

    def __init__(self, proxy_port: int, address: str) -> None:
        self.port, self.address = proxy_port, address
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict | None = None, headers: dict | None = None
    ) -> int:
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.address, 0)
        )
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=sent)
        reply = conn.getresponse()
        reply.read()
        for value in reply.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(value)
            self.cookies.update({k: m.value for k, m in jar.items()})
        conn.close()
        return reply.status

    def sign_in(self, email: str, password: str, headers: dict | None = None) -> int:
        if "csrftoken" not in self.cookies:
            assert self.request("GET", "/accounts/login/") == 200
        form = {
            "username": email,
            "password": password,
            "csrfmiddlewaretoken": self.cookies["csrftoken"],
        }
        return self.request("POST", "/accounts/login/", form, headers)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("proxies", "second_client_locked"), [(1, False), (0, True)])
def test_it_throttles_two_clients_behind_the_proxy_apart(
    live_server, settings, proxies, second_client_locked
):
    settings.TRUSTED_PROXY_COUNT = proxies
    first, second = MembershipFactory(), MembershipFactory()
    with reverse_proxy(live_server.url) as port:
        attacker = Browser(port, "127.0.0.2")
        neighbour = Browser(port, "127.0.0.3")
        limit = settings.AXES_FAILURE_LIMIT
        tries = [attacker.sign_in(f"guess{i}@example.com", "wrong") for i in range(limit)]
        assert tries == [200] * (limit - 1) + [429]  # the last failure locks
        # A forged X-Forwarded-For does not get the attacker out of their lock.
        forged = {"X-Forwarded-For": "198.51.100.23"}
        assert attacker.sign_in(first.user.email, PASSWORD, headers=forged) == 429

        status = neighbour.sign_in(second.user.email, PASSWORD)
    assert status == (429 if second_client_locked else 302)
