"""A real webhook receiver for the tests: a threaded HTTP server on loopback that verifies
every message with the ``standardwebhooks`` library (as a firm's CRM would) and records it.

It can be told to answer errors, to hang, to drop the connection mid-request, and to stop
and start again on the same port, so the delivery's faults are real socket faults.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError


@dataclass
class Received:
    """One request as it arrived: ``valid`` says whether the signature verified."""

    msg_id: str
    headers: dict[str, str]
    body: bytes
    valid: bool
    payload: dict | None = None


@dataclass
class Behaviour:
    """What the next requests get: ``statuses`` are answered in turn (then 204); ``drop``
    requests are read and then cut off without an answer; ``hang`` seconds of silence."""

    statuses: list[int] = field(default_factory=list)
    drop: int = 0
    hang: float = 0.0
    hang_next: int = 0  # how many requests ``hang`` applies to (0: all of them)
    redirect_to: str = ""


class Receiver:
    """Start with ``start()``; the URL is ``url`` (a fresh port, kept over restarts)."""

    def __init__(self, secret: str = ""):
        self.secret = secret
        self.received: list[Received] = []
        self.behaviour = Behaviour()
        self.lock = threading.Lock()
        self.port = 0
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self.on_request = None  # called with the Received before answering

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                got = receiver.record(headers, body)
                if receiver.on_request:
                    receiver.on_request(got)
                with receiver.lock:
                    b = receiver.behaviour
                    if b.drop:
                        b.drop -= 1
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                    status = b.statuses.pop(0) if b.statuses else 204
                    hang, redirect = b.hang, b.redirect_to
                    if b.hang_next:
                        b.hang_next -= 1
                        if not b.hang_next:
                            b.hang = 0.0
                if hang:
                    time.sleep(hang)
                if redirect:
                    self.send_response(302)
                    self.send_header("Location", redirect)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def record(self, headers: dict[str, str], body: bytes) -> Received:
        payload, valid = None, False
        if self.secret:
            try:
                payload = Webhook(self.secret).verify(body, headers)
                valid = True
            except WebhookVerificationError:
                valid = False
        else:
            payload = json.loads(body or b"null")
        got = Received(headers.get("webhook-id", ""), headers, body, valid, payload)
        with self.lock:
            self.received.append(got)
        return got

    def valid_payloads(self) -> dict[str, dict]:
        """The verified messages by webhook-id (duplicates collapse)."""
        with self.lock:
            return {r.msg_id: r.payload for r in self.received if r.valid}

    def wait_for(self, predicate, timeout: float = 30.0) -> bool:
        """Poll ``predicate()`` until true or ``timeout`` seconds (an upper bound for a slow
        machine, not a window the test relies on)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.05)
        return predicate()
