"""One real n8n for the whole test session (tests/n8n_server.py), started the first time a
test asks for it and stopped when the session ends.

Skipped, with the reason in the test summary (``-ra``), when Node.js is missing; when only
the install is missing, skipped too, except under CI, where ``make test`` has just run
``make n8n`` and a missing install is a failure. The SQLite pass of ``make test`` runs only
tests/benchmark, so it never starts one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.n8n import workflows
from tests.n8n_server import N8n, n8n_unavailable


@pytest.fixture(scope="session")
def n8n() -> Iterator[N8n]:
    reason = n8n_unavailable()
    if reason:
        if os.environ.get("CI") and "Node.js" not in reason:
            pytest.fail(reason)
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="benchmark-n8n-"))
    server = N8n(folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def n8n_workflows(n8n: N8n) -> N8n:
    """The session's n8n with the workflows of tests/n8n/workflows.py imported through its
    CLI (``n8n import:workflow``), once."""
    n8n.import_workflows(list(workflows.ALL))
    return n8n
