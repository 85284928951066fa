"""n8n, as the tests run it, tries to reach nothing outside this machine (issue 16), and
listens on nothing but its loopback port.

Every n8n process the session starts (the server and each CLI command) preloads
tools/n8n/loopback-only.cjs, which refuses any connection or DNS lookup that is not
loopback, and writes it down. This module's name sorts after the others in tests/n8n, so
when the folder runs, the check comes after the server started, imported, exported and
executed.
"""

from tests.n8n import workflows
from tests.n8n_server import N8n


def test_the_guard_refuses_and_writes_down_a_call_outside(n8n_workflows: N8n):
    log = n8n_workflows.folder / "guard-probe.jsonl"  # not the session's log
    run = n8n_workflows.execute(workflows.OUTSIDE_CALL_ID, env={"N8N_OUTSIDE_LOG": str(log)})
    assert run.returncode == 1, run.describe()  # the HTTP Request failed the run
    assert "outside address refused in tests" in run.stdout + run.stderr
    attempts = [line for line in log.read_text().splitlines() if line.strip()]
    assert attempts and all(workflows.OUTSIDE_HOST in line for line in attempts)


def test_n8n_listens_on_its_loopback_port_only(n8n: N8n):
    assert n8n.listening() == {("127.0.0.1", n8n.port)}


def test_n8n_tried_to_reach_no_outside_address(n8n: N8n):
    assert n8n.outside_attempts() == []
