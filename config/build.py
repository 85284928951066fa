"""A fingerprint of what draws the pages of this deployment (templates, static sources and
the apps' Python code), computed once per process when the settings load.

The ``pages`` cache prefixes every key with it (config/settings/base.py), so HTML kept by
one deployment (template fragments with form fields, result pages) is never served by the
next: a form drawn by old templates could post field names the new code no longer reads.

Plain Python, no Django: the settings import it before Django is set up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

# What draws a page: every template and static source, and the apps' code.
DRAWING_FOLDERS = ("templates", "static")
CODE_FOLDERS = (
    "config",
    "core",
    "benchmark",
    "audits",
    "workflows",
    "reports",
    "firms",
    "webhooks",
)


def _files(base: Path) -> Iterable[Path]:
    for folder in DRAWING_FOLDERS:
        yield from (p for p in (base / folder).rglob("*") if p.is_file())
    for folder in CODE_FOLDERS:
        yield from (base / folder).rglob("*.py")


def build_fingerprint(base: Path) -> str:
    """16 hex digits of SHA-256 over the paths and bytes of the files under ``base`` that
    draw pages; any change to one of them gives another fingerprint."""
    digest = hashlib.sha256()
    for path in sorted(_files(base)):
        digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
