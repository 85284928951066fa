"""Absolute links and identifiers, always from the configured ``SITE_URL``.

Never from the request: its Host header is whatever the client sent (any name in
ALLOWED_HOSTS, or the proxy's internal name), so a link built from it can point a
password reset at another host, and an identifier built from it changes with the name
the page was reached by. Emails, files and pages all call these two functions.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse``, starting with a slash) under ``SITE_URL``."""
    return settings.SITE_URL.rstrip("/") + path


def site_host() -> str:
    """The host name of ``SITE_URL`` (no port): the stable domain of .ics UIDs."""
    return urlsplit(settings.SITE_URL).hostname or "benchmark"
