"""Versions of template fragments cached in the ``pages`` cache (issue 13).

A page's form fields or rows cost milliseconds to render (every widget is a template) and
are the same from one load to the next until a row changes. ``rows_version`` hashes every
stored value of the rows a fragment is drawn from, so the fragment's key changes with any
edit, however it was written (a form, a service, ``QuerySet.update``), and a stale
fragment is never served: nothing has to invalidate it.

A page passes a ``Fragment`` to ``{% cache fragment.seconds name fragment.version
using="pages" %}``. A form bound to a POST shows what was typed and its errors, so its
fragment is never kept (``fragment(..., bound=True)``: zero seconds, which stores nothing).

Keys must also name whatever else the fragment shows (who may edit, the URLs it posts to):
callers add those to the ``{% cache %}`` tag's vary-on list. A key holds a row's primary
key, so a fragment of one organization's rows can never be read for another's.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model

# Long enough to serve repeated loads. A deploy never serves fragments drawn by the code
# before it: every key of the ``pages`` cache carries the build (config.build).
FRAGMENT_SECONDS = 600


def rows_version(*groups: Model | Iterable[Model]) -> str:
    """A hex digest of every concrete field value of the given rows (each a row or an
    iterable of rows, in order), and of the database's name, so two deployments sharing a
    Redis never read each other's fragments."""
    values: list[object] = [settings.DATABASES["default"]["NAME"]]
    for group in groups:
        rows = [group] if isinstance(group, Model) else list(group)
        values.append(
            [
                (row._meta.label, [getattr(row, f.attname) for f in row._meta.concrete_fields])
                for row in rows
            ]
        )
    return hashlib.sha256(repr(values).encode()).hexdigest()


@dataclass(frozen=True)
class Fragment:
    """How long to keep a cached template fragment (``seconds``; 0 keeps nothing) and the
    version its key carries (a hex digest)."""

    seconds: int
    version: str


def fragment(*parts: object, bound: bool = False) -> Fragment:
    """A fragment whose key is a hash of ``parts`` (a ``rows_version``, the URLs it posts to,
    who may edit...), kept ``FRAGMENT_SECONDS``; with ``bound`` (a form bound to a POST),
    one that is drawn afresh and never kept."""
    if bound:
        return Fragment(0, secrets.token_hex(16))
    return Fragment(FRAGMENT_SECONDS, hashlib.sha256(repr(parts).encode()).hexdigest())
