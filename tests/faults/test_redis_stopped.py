"""Redis stopped while the app is in use.

Pages still serve; a board report and a run-log upload say they are queued; when Redis is
back (empty: it keeps nothing on disk) the beat sweeps send the waiting work and it
completes, and new work goes straight through without restarting anything.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from tests import stack
from tests.faults.probes import query, report_row, wait_until

pytestmark = pytest.mark.faults

ORG = stack.DEMO_ORG


def run_log(rows: int = 3) -> bytes:
    today = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))
    lines = [
        "run_id,started_at,ended_at,status,arm,steps_total,steps_succeeded,ai_steps,stopped_at_step"
    ]
    for n in range(rows):
        lines.append(
            f"fault-{n},{today}T09:{n:02d}:00Z,{today}T09:{n:02d}:30Z,succeeded,orchestrated,4,4,3,"
        )
    return ("\n".join(lines) + "\n").encode()


def import_row(deployment, import_id: int) -> dict:
    [row] = query(
        deployment,
        "SELECT status, row_count FROM workflows_dataimport WHERE id = %s",
        (import_id,),
    )
    return row


def test_with_redis_stopped_pages_serve_work_waits_and_nothing_is_lost(deployment, signed_in):
    client = signed_in
    workflow, result = stack.demo_links(client)
    worker = stack.celery_worker(deployment.env, deployment.log("worker"))
    with stack.running(worker):
        deployment.redis.stop()

        # Pages answer: a page that waited on the broker would hit the client's timeout and
        # fail here (asserting a wall time would fail by chance on a loaded machine).
        for path in ["/", f"/orgs/{ORG}/", result, f"/orgs/{ORG}/workflows/{workflow}/data/"]:
            status, _, _ = client.get(path)
            assert status == 200, path

        report_id = stack.request_board_report(client)
        _, page, _ = client.get(f"/orgs/{ORG}/reports/{report_id}/")
        assert "Queued: waiting for a worker." in page

        import_id = stack.upload_run_log(client, workflow, run_log())
        assert import_id is not None, "the upload was refused"
        _, page, _ = client.get(f"/orgs/{ORG}/workflows/{workflow}/data/?watch={import_id}")
        assert "Queued" in page
        assert import_row(deployment, import_id)["status"] == "queued"

        deployment.redis.start()
        # Beat fires its sweeps every 5 minutes; the work has waited longer than the 2
        # minutes they look for by then.
        query(
            deployment,
            "UPDATE reports_boardreport SET updated_at = updated_at - %s WHERE id = %s"
            " RETURNING id",
            (timedelta(minutes=10), report_id),
        )
        query(
            deployment,
            "UPDATE workflows_dataimport SET updated_at = updated_at - %s WHERE id = %s"
            " RETURNING id",
            (timedelta(minutes=10), import_id),
        )
        stack.manage(
            deployment.env,
            "shell",
            "-c",
            "from reports.tasks import board_reports_requeue as a; "
            "from workflows.tasks import data_imports_requeue as b; a.delay(); b.delay()",
        )
        wait_until(
            lambda: report_row(deployment, report_id)["status"] == "done",
            timeout=120,
            what="the queued report to be rendered",
        )
        wait_until(
            lambda: import_row(deployment, import_id)["status"] == "done",
            timeout=60,
            what="the queued upload to be imported",
        )
        assert import_row(deployment, import_id)["row_count"] == 3

        # The web process reconnects by itself: the next upload goes straight through.
        again = stack.upload_run_log(client, workflow, run_log(5), "runs-again.csv")
        assert again is not None, "the upload was refused"
        wait_until(
            lambda: import_row(deployment, again)["status"] == "done",
            timeout=60,
            what="a new upload to be imported without a sweep",
        )
