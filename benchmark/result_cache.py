"""The whole result page, cached for visitors who are not signed in (issue 13).

A result page shown to a visitor who is not signed in and has no message waiting is the
same for everyone who holds its link, but for the CSRF token: it is drawn once, with a
random placeholder where the token goes, and kept in the ``pages`` cache as the pieces
between those placeholders. Each request joins them with its own masked token
(``django.middleware.csrf.get_token``, which also sets the CSRF cookie as rendering would).
Nothing per visitor is kept: no token, no message, no cookie, no user. Headers (CSP,
framing, ``Cache-Control: private, no-store``, ``Set-Cookie``) come from the middleware on
every request, as for any page.

A cached page is served only while both tokens it was drawn under are current, read in the
same round trip as the page:

- the peer generation (``benchmark.peer_cache``), which every committed write to the peer
  histograms replaces, so a page never shows peers older than the last committed submit;
- the pages token, which every committed write to what the page shows besides its result
  and peers replaces (``result_pages_changed``, on model signals, so edits in the admin and
  cascaded deletes count too): the respondent's email given (the form goes), a deleted
  result (404), a firm's name, branding or consent, the default firm's name (the audit
  request's consent names it).

With Redis down nothing is kept and every page is drawn (``core.cache``); a token bump lost
while it was down leaves pages drawn before it for at most ``ENTRY_SECONDS`` once it is
back, as for the histograms.

Keys carry the database name, as ``peer_cache``'s do, and the build (the templates and the
apps' code through the ``pages`` cache's key prefix, ``config.build``; the static files'
manifest and the settings the page prints here), so a deploy never serves pages drawn by
the code before it.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.models import Organization
from firms.models import FirmProfile, Lead

from .models import Response
from .peer_cache import (
    ENTRY_SECONDS,
    page_cache,
    peer_generation_current,
    peer_generation_key,
    token_current,
)


@functools.cache
def result_page_build() -> str:
    """A short hash of the settings a page prints and of the static files' manifest, once
    per process. The templates and code that draw it are in every key of the ``pages``
    cache already (its ``KEY_PREFIX``, ``config.build``)."""
    digest = hashlib.sha256()
    for name in ("SITE_URL", "DEFAULT_FIRM_SLUG", "DEFAULT_FIRM_NAME", "STATIC_URL"):
        digest.update(f"{name}={getattr(settings, name)}\n".encode())
    digest.update(str(getattr(staticfiles_storage, "manifest_hash", "")).encode())
    return digest.hexdigest()[:16]


def _tokens_key() -> str:
    return f"benchmark:result-pages:{settings.DATABASES['default']['NAME']}:token"


def result_page_key(public_id: str) -> str:
    name = settings.DATABASES["default"]["NAME"]
    return f"benchmark:result-page:{name}:{result_page_build()}:{public_id}"


def _pages_token_current() -> str:
    return token_current(_tokens_key())


def result_page_cached(*, public_id: str, draw: Callable[[str], str]) -> list[str]:
    """The page of result ``public_id`` as the pieces its CSRF tokens go between: the
    cached copy when the peer generation and the pages token it was drawn under are both
    current (one cache round trip), else ``draw(placeholder)`` (the whole page, with
    ``placeholder`` for the CSRF token), kept for the next visitor.

    ``draw`` raises ``Http404`` for an unknown result; nothing is kept then.
    """
    keys = [peer_generation_key(), _tokens_key(), result_page_key(public_id)]
    found = page_cache().get_many(keys)
    generation, token, kept = (found.get(key) for key in keys)
    if generation is None or token is None:
        # A fresh (or flushed) cache: start both. Read before drawing, as below, so a
        # write that commits while the page is drawn leaves it stale, never current.
        generation, token = peer_generation_current(), _pages_token_current()
    drawn_under = (generation, token)
    if kept is not None and kept[0] == drawn_under:
        return list(kept[1])
    # Random per drawing: nothing on the page (a firm's name, say) can stand in for it.
    placeholder = f"csrf{secrets.token_hex(16)}"
    pieces = draw(placeholder).split(placeholder)
    page_cache().set(keys[2], (drawn_under, pieces), timeout=ENTRY_SECONDS)
    return pieces


def result_pages_invalidate() -> None:
    """Start a new pages token: every cached result page is drawn again."""
    page_cache().set(_tokens_key(), secrets.token_hex(8), timeout=None)


def result_pages_changed() -> None:
    """Something a result page shows changed: a new token now, and again once the write
    commits, since a page drawn meanwhile read the rows as they were before it."""
    result_pages_invalidate()
    if connection.in_atomic_block:
        transaction.on_commit(result_pages_invalidate)


# A result is new when it is created, and its lead with it: no page of it is kept yet.
@receiver(post_save, sender=Response, dispatch_uid="result-pages-response-saved")
@receiver(post_save, sender=Lead, dispatch_uid="result-pages-lead-saved")
def _row_saved(sender: type, created: bool, **kwargs: Any) -> None:
    if not created:
        result_pages_changed()


@receiver(post_save, sender=Organization, dispatch_uid="result-pages-organization-saved")
@receiver(post_save, sender=FirmProfile, dispatch_uid="result-pages-profile-saved")
@receiver(post_delete, sender=Response, dispatch_uid="result-pages-response-deleted")
@receiver(post_delete, sender=Lead, dispatch_uid="result-pages-lead-deleted")
@receiver(post_delete, sender=Organization, dispatch_uid="result-pages-organization-deleted")
@receiver(post_delete, sender=FirmProfile, dispatch_uid="result-pages-profile-deleted")
def _row_changed(sender: type, **kwargs: Any) -> None:
    result_pages_changed()
