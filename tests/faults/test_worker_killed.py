"""A Celery worker killed in the middle of a board report.

The report is redone when a worker is back, exactly one PDF results, and while it is being
redone the page says so and offers no download.
"""

from __future__ import annotations

import os
import signal

import pytest

from tests import stack
from tests.faults.probes import queue_is_empty, report_files, report_row, wait_until

pytestmark = pytest.mark.faults

ORG = stack.DEMO_ORG


def assert_no_broken_download(client: stack.HttpClient, report_id: int) -> None:
    status, page, _ = client.get(f"/orgs/{ORG}/reports/{report_id}/")
    assert status == 200
    assert "Download the PDF" not in page
    assert "Rendering the charts and the PDF" in page or "Queued: waiting for a worker" in page
    assert client.get(f"/orgs/{ORG}/reports/{report_id}/download/")[0] == 404


def wait_for_pdf_stage(deployment, report_id: int) -> None:
    """Until the charts are drawn and the PDF itself is being rendered (progress 60)."""
    wait_until(
        lambda: report_row(deployment, report_id)["progress"] >= 60,
        timeout=120,
        what="the render to reach the PDF stage",
    )


def test_the_pool_process_killed_mid_render_is_redone_at_once_into_one_file(deployment, signed_in):
    worker = stack.celery_worker(deployment.env, deployment.log("worker"))
    with stack.running(worker):
        report_id = stack.request_board_report(signed_in)
        wait_for_pdf_stage(deployment, report_id)
        [pool_process] = worker.children()
        os.kill(pool_process, signal.SIGKILL)
        assert_no_broken_download(signed_in, report_id)
        # reject_on_worker_lost: the message goes back to the queue and a new pool process
        # takes it without waiting for any timeout.
        wait_until(
            lambda: report_row(deployment, report_id)["status"] == "done",
            timeout=120,
            what="the report to be redone",
        )
    [pdf] = report_files(deployment, report_id)
    assert pdf.read_bytes().startswith(b"%PDF-")
    status, _, headers = signed_in.get(f"/orgs/{ORG}/reports/{report_id}/download/")
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"


def test_a_whole_worker_killed_mid_render_is_redone_by_the_next_worker_into_one_file(
    deployment, signed_in
):
    # Redis redelivers a message nobody acknowledged after the visibility timeout: 20 s here
    # instead of an hour, so the test sees it happen. Webhook retries must wait less than that
    # (the settings refuse to start otherwise).
    env = {
        **deployment.env,
        "CELERY_VISIBILITY_TIMEOUT": "20",
        "WEBHOOK_RETRY_BASE_SECONDS": "1",
        "WEBHOOK_RETRY_MAX_SECONDS": "10",
    }
    first = stack.celery_worker(env, deployment.log("worker-first"))
    first.start()
    try:
        report_id = stack.request_board_report(signed_in)
        wait_for_pdf_stage(deployment, report_id)
    finally:
        first.kill()  # SIGKILL to the worker and its pool: nothing acknowledged, no cleanup
    assert report_row(deployment, report_id)["status"] == "rendering"
    assert_no_broken_download(signed_in, report_id)
    # A second click joins the report underway instead of starting another.
    assert stack.request_board_report(signed_in) == report_id

    second = stack.celery_worker(env, deployment.log("worker-second"))
    with stack.running(second):
        wait_until(
            lambda: report_row(deployment, report_id)["status"] == "done",
            timeout=150,
            what="the next worker to redo the report",
        )
        done = report_row(deployment, report_id)
        # The broker may hand the same message over once more (it cannot know the render
        # finished); the task sees a finished report and leaves it alone.
        stack.manage(
            env, "shell", "-c",
            "from reports.tasks import board_report_render_task as t; "
            f"t.delay({report_id})",
        )  # fmt: skip
        wait_until(
            lambda: queue_is_empty(deployment),
            timeout=60,
            what="the repeated message to be taken and acknowledged",
        )
    assert report_row(deployment, report_id)["finished_at"] == done["finished_at"]
    assert len(report_files(deployment, report_id)) == 1
