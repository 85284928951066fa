"""n8n, as the tests run it, tries to reach nothing outside this machine (issue 16).

Every n8n process the session started (the server and each CLI command) preloads
tools/n8n/loopback-only.cjs, which refuses and writes down any connection or DNS lookup
that is not loopback. This module's name sorts after the others in tests/n8n, so when the
folder runs, the check comes after the server started, imported, exported and executed.
"""

from tests.n8n_server import N8n


def test_n8n_tried_to_reach_no_outside_address(n8n: N8n):
    assert n8n.outside_attempts() == []
