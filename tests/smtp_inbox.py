"""A real SMTP server on loopback (aiosmtpd) keeping every message it is given: the
``inbox`` fixture (tests/conftest.py) points the app's SMTP backend at it."""

from __future__ import annotations

import email
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.controller import Controller


class Inbox:
    """An aiosmtpd handler keeping every message as it arrived, with its envelope."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    def subjects_to(self, address: str) -> list[str]:
        """The subjects of the messages to ``address``, in the order they arrived."""
        return [str(m["Subject"]) for rcpt, m in list(self.received) if address in rcpt]

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=default_policy)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"


def inbox_serving(settings: Any, port: int) -> Iterator[Inbox]:
    """Start the server on 127.0.0.1:``port``, point the app (its live server included:
    settings are the process's) at it, yield the inbox, stop the server."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield handler
    finally:
        controller.stop()
