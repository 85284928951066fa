"""Requests to user-given URLs (SECURITY.md): http(s) only, no private addresses unless
allowlisted, no redirects, bounded size, and messages that name no internal address."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from core.outbound import OutboundError, get_json, url_check


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "file:///etc/passwd",
        "http://user:pass@example.com/",
        "http://10.1.2.3/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:5678/",
        "http://0.0.0.0/",
    ],
)
@override_settings(OUTBOUND_ALLOWED_NETWORKS=[])
def test_it_refuses_addresses_it_must_not_call(url):
    with pytest.raises(OutboundError) as refused:
        url_check(url)
    assert "169.254" not in refused.value.message and "10.1" not in refused.value.message


@override_settings(OUTBOUND_ALLOWED_NETWORKS=[])
def test_loopback_is_refused_until_allowlisted():
    with pytest.raises(OutboundError):
        url_check("http://127.0.0.1:5678")
    with override_settings(OUTBOUND_ALLOWED_NETWORKS=["127.0.0.0/8"]):
        assert url_check("http://127.0.0.1:5678/n8n/").base_path == "/n8n"


@pytest.fixture
def server():
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path.startswith("/redirect"):
                self.send_response(302)
                self.send_header("Location", "http://169.254.169.254/")
                self.end_headers()
                return
            body = b'{"data": [' + b"1," * 5000 + b"1]}" if self.path.startswith("/big") else b"{}"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield url_check(f"http://127.0.0.1:{httpd.server_address[1]}")
    httpd.shutdown()
    httpd.server_close()


def test_it_follows_no_redirect(server):
    with pytest.raises(OutboundError, match="redirect"):
        get_json(server, "/redirect")


def test_it_bounds_the_size_of_the_answer(server):
    assert get_json(server, "/small") == {}
    with pytest.raises(OutboundError, match="too large"):
        get_json(server, "/big", max_bytes=1000)
