"""PDF rendering with WeasyPrint behind a URL fetcher that reads only our own static files.

User text in a report is escaped by the templates, but the fetcher is the second wall: an
``<img src="file:///etc/passwd">``, a ``<link href="http://...">`` or a CSS ``url(...)`` that
got through would still read nothing. Only ``data:`` URLs and files under STATIC_URL that
Django's staticfiles finders resolve are served, with no redirects; everything else is
refused and logged.
"""

from __future__ import annotations

import logging
import mimetypes
import os
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.text import printable

logger = logging.getLogger(__name__)

BASE_URL = "https://report.invalid/"  # relative URLs resolve here, then map to static files


class FetchRefusedError(ValueError):
    """A URL the report may not load."""


class SafeURLFetcher(URLFetcher):
    """``data:`` URLs and our own static files; nothing else, and no redirects."""

    def __init__(self, **kwargs: Any):
        super().__init__(allowed_protocols={"data", "https"}, allow_redirects=False, **kwargs)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Serve ``url`` or raise FetchRefusedError (WeasyPrint then leaves it out)."""
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parsed = urlparse(url)
        static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        if url.startswith(BASE_URL) and parsed.path.startswith(static_prefix):
            relative = unquote(parsed.path[len(static_prefix) :])
            path = static_file_path(relative) if ".." not in relative.split("/") else None
            if path:
                with open(path, "rb") as handle:
                    body = handle.read()
                mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body, {"Content-Type": mime})
        logger.warning("report fetcher refused %s", url[:200])
        raise FetchRefusedError(f"refused to fetch {url[:200]}")


def static_file_path(name: str) -> str | None:
    """The file on disk behind the static URL path ``name``, or None.

    ``{% static %}`` names a hashed copy (``css/print.1a2b3c.css``) under the production
    settings' manifest storage: that copy lives in STATIC_ROOT after ``collectstatic``, and
    the storage's manifest maps it back to its source for a tree that was never collected.
    In development the finders resolve ``name`` itself.
    """
    storage = staticfiles_storage
    manifest = getattr(storage, "hashed_files", None)
    if manifest:
        original = next((src for src, hashed in manifest.items() if hashed == name), None)
        if original is not None:
            try:
                collected = storage.path(name)
            except (NotImplementedError, SuspiciousFileOperation):
                collected = ""
            if collected and os.path.isfile(collected):
                return collected
            return finders.find(original)
    found = finders.find(name)
    return found if isinstance(found, str) else None


def render_pdf(html: str, *, url_fetcher: SafeURLFetcher | None = None) -> bytes:
    """Render ``html`` (a full document) to PDF bytes with the safe fetcher (or a subclass
    of it that serves more, such as the report's charts)."""
    # Control characters in stored user text are not valid in HTML or in a PDF's text.
    return HTML(
        string=printable(html), base_url=BASE_URL, url_fetcher=url_fetcher or SafeURLFetcher()
    ).write_pdf()
