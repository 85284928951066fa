"""Whole signed-in pages, kept for the next load while no write has committed (issue 13).

A signed-in page is drawn from rows: its HTML is the same from one load to the next until
something is written. ``cached_page`` keeps a page a member loaded, and serves it again to
that member while no transaction that wrote anything has committed since, for at most
``PAGE_CACHE_SECONDS``.

"No write committed" is read from PostgreSQL itself, not from our code: the key holds the
server's current snapshot (``pg_current_snapshot()``: the oldest running transaction id,
the next one after the last completed, the ids still running; one query of ~0.1 ms). A
transaction gets an id with its first write, whatever made it (a form, a service,
``QuerySet.update``, raw SQL, a Celery worker, a cascade, the admin, a migration), and its
commit changes the snapshot for good: its id leaves the running list, or the "next after
the last completed" passes it, and neither goes back. So no write can be missed by a list
of signals or a sweep of call sites, and a page kept under one snapshot shows exactly the
rows as they were then:

- the snapshot is read before the page is drawn, so the page shows the rows as they were
  then or newer (a write that commits while it is drawn), never older;
- a kept page is served only under the snapshot the database shows now, so once any write
  has committed it is never served again (reads, and statements that wrote no row, such as
  an ``UPDATE`` that matched none, assign no id and change nothing);
- inside a transaction (``atomic``) nothing is kept or served: its own writes, which may
  yet roll back, are not in the snapshot.

The cost of that certainty is the hit rate: any write anywhere (another organization's
save, a self-score submit) makes every kept page a miss, which is then drawn as before and
costs about 1 ms more (the snapshot, a cache miss and a store, the tokens found). Old
entries are never read again and expire.

What a page shows besides rows is handled here, or keeps a page out:

- the member: the key holds the user's id; the organization, role and object come from the
  path (in the key) and from rows. A page is looked up before the view's membership check,
  which is safe because a kept page was drawn for this user under this very snapshot, when
  the check passed.
- the CSRF token: the kept page is split where the request's masked tokens were, and each
  request joins the pieces with its own (``get_token``, which also sets the cookie as a
  render would). Masks are random per render, so tokens are found by unmasking, not by
  text.
- the day and the clock: the key holds today's date in ``TIME_ZONE``, and a page lives at
  most ``PAGE_CACHE_SECONDS`` (60 by default), which bounds anything drawn from the time of
  day ("overdue", "3 minutes ago").
- messages, htmx requests, sessions: a request with a message waiting, or from htmx (a
  fragment, not a page) is drawn and not kept; so is a page whose view wrote to the session,
  queued a message, set a header other than its content type or a mark for a middleware
  (``xframe_options_exempt``), or answered other than 200.
- derived caches (``core.fragments``, ``workflows.portfolio.cost_cache``) are keyed by the
  rows they were drawn from, so they agree with the snapshot. The peer histograms' cached
  bars (``benchmark.peer_cache``) are replaced just after the submit that changes them
  commits: a page drawn in that instant may show the bars one submit old, for at most
  ``PAGE_CACHE_SECONDS``.
- the build: every key of the ``pages`` cache carries it (``config.build``).

On any other database (SQLite), on an error, or with ``PAGE_CACHE_SECONDS = 0``, pages are
drawn on every load. With Redis down, every page is drawn (``core.cache``).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import (  # type: ignore[attr-defined]
    CSRF_SECRET_LENGTH,
    _unmask_cipher_token,  # private to Django (since 1.10), not in its stubs
    get_token,
)
from django.utils import timezone

logger = logging.getLogger(__name__)

# A masked CSRF token as ``get_token`` writes it (64 letters and digits), in a quoted
# attribute or JSON string as every template here puts it: ``{% csrf_token %}``'s
# ``value="..."`` and the body's ``hx-headers``. Anchoring on the quote makes the search
# 3x faster than at every letter; tests/test_page_cache.py fails on a token written bare.
_TOKEN = re.compile(rf"[\"']([A-Za-z0-9]{{{2 * CSRF_SECRET_LENGTH}}})[\"']")


def written_version() -> str | None:
    """A digest of the database's current snapshot, which every committed write changes
    for good; ``None`` where it cannot be read (not PostgreSQL, inside a transaction, an
    error), and then no page is kept or served."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_snapshot()::text")
            row = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("page cache off for this request: %s", error)
        return None
    return hashlib.sha256(str(row[0]).encode()).hexdigest()[:32] if row else None


def _key(request: HttpRequest, version: str) -> str:
    path = hashlib.sha256(f"{request.get_host()}\n{request.get_full_path()}".encode())
    return ":".join(
        (
            "page",
            settings.DATABASES["default"]["NAME"],
            str(request.user.pk),
            timezone.localdate().isoformat(),
            version,
            path.hexdigest()[:32],
        )
    )


def _split_on_tokens(content: str, secret: str) -> list[str]:
    """``content`` cut at every masked CSRF token of ``secret``: the pieces between them."""
    pieces, start = [], 0
    ours: dict[str, bool] = {}  # a render writes one token many times: unmask it once
    for match in _TOKEN.finditer(content):
        token = match.group(1)
        if token not in ours:
            ours[token] = _unmask_cipher_token(token) == secret
        if ours[token]:
            pieces.append(content[start : match.start(1)])
            start = match.end(1)
    pieces.append(content[start:])
    return pieces


def _drawn_only(request: HttpRequest) -> bool:
    """Requests whose page is drawn and never kept."""
    return (
        request.method != "GET"
        or not request.user.is_authenticated
        or "HTTP_HX_REQUEST" in request.META
        or bool(len(messages.get_messages(request)))
    )


# What a plain ``HttpResponse`` holds. A view decorator that marks its response for a
# middleware (``xframe_options_exempt``, django-csp's ``csp_update``) adds an attribute.
_PLAIN = frozenset(vars(HttpResponse(status=200)))  # status: set on the instance when given


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    """A response that may be served again from its HTML alone: a whole 200 page that set
    no header, cookie or mark for a middleware of its own, and left the session and
    messages as they were."""
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    return (
        response.status_code == 200
        and set(vars(response)) <= _PLAIN
        and {name.lower() for name in response.headers} <= {"content-type"}
        and not response.cookies
        and not request.session.modified
        and not queued
    )


def cached_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Decorate a page view (outermost): a signed-in member's GET is served from the
    ``pages`` cache while no write has committed since it was drawn; see the
    module's docstring for what that covers. Anything else goes to ``view`` unchanged."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or _drawn_only(request):
            return view(request, *args, **kwargs)
        version = written_version()
        if version is None:
            return view(request, *args, **kwargs)
        key = _key(request, version)
        cache = caches["pages"]
        kept = cache.get(key)
        if kept is not None:
            content_type, pieces = kept
            content = get_token(request).join(pieces) if len(pieces) > 1 else pieces[0]
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponse) and _keepable(request, response):
            content = response.content.decode(response.charset)
            secret = request.META.get("CSRF_COOKIE", "")
            pieces = _split_on_tokens(content, secret) if secret else [content]
            cache.set(key, (response["Content-Type"], pieces), timeout=seconds)
        return response

    wrapped.page_cached = True  # type: ignore[attr-defined]  # found by tests/test_page_cache.py
    return wrapped
