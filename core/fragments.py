"""Versions of template fragments cached in the ``pages`` cache (issue 13).

A page's form fields or rows cost milliseconds to render (every widget is a template) and
are the same from one load to the next until a row changes. ``rows_version`` hashes every
stored value of the rows a fragment is drawn from, so the fragment's key changes with any
edit, however it was written (a form, a service, ``QuerySet.update``), and a stale
fragment is never served: nothing has to invalidate it.

Keys must also name whatever else the fragment shows (who may edit, the URLs it posts to):
callers add those to the ``{% cache %}`` tag's vary-on list. A key holds a row's primary
key, so a fragment of one organization's rows can never be read for another's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Model

# Long enough to serve repeated loads; short enough that a deploy's template change shows
# within minutes (the key does not hash the template), as for the result page's fragments.
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
