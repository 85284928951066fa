"""Starting a board report's render off the request, with a worker or without one.

With a broker, the Celery task is queued after commit. In the embedded default (eager
Celery, ``BOARD_REPORTS_IN_THREAD``) the same task runs in a daemon thread of the web
process, so the click never waits for the PDF; the report is marked with this process
first, so a page that finds it unfinished after the process died can tell
(``reports.services.board_report_recover``). A thread that ends with its report unfinished
(the task gave up on an error it would retry on a worker, such as an ``OSError``) marks it
failed, with a retry: no worker or beat job will come back to it.
"""

from __future__ import annotations

import logging
import threading

from celery.exceptions import Retry
from django.conf import settings
from django.db import connections, transaction

from core.tasks import enqueue_on_commit

from .liveness import process_token
from .models import BoardReport
from .tasks import board_report_render_task

logger = logging.getLogger(__name__)


def _failure(exc: BaseException) -> str:
    """What the report says when its thread gave up on ``exc``: a task that ran out of
    retries raises ``Retry`` around the error itself."""
    if isinstance(exc, Retry) and isinstance(exc.exc, BaseException):
        exc = exc.exc
    return f"The report could not be rendered ({type(exc).__name__})."


def _render_in_thread(report_id: int) -> None:
    error = "The report could not be rendered."
    try:
        result = board_report_render_task.apply(args=(report_id,), throw=False)
        if result.failed() and isinstance(result.result, BaseException):
            error = _failure(result.result)
    except Exception as exc:  # never let the thread die loudly
        logger.exception("board report %s: render thread failed", report_id)
        error = _failure(exc)
    try:
        # The task records most failures itself; one it would leave to a worker's retry
        # (an OSError) would otherwise say "Rendering" for as long as this process lives.
        BoardReport.objects.filter(
            pk=report_id,
            status__in=[BoardReport.Status.QUEUED, BoardReport.Status.RENDERING],
            rendered_by=process_token(),
        ).update(status=BoardReport.Status.FAILED, error=error, progress=100)
    except Exception:  # the database is away: nothing more this thread can do
        logger.exception("board report %s: could not record the failed render", report_id)
    finally:
        connections.close_all()  # this thread's connections only


def board_report_render_start(*, report_id: int) -> threading.Thread | None:
    """Render the report after the transaction commits, off the request; returns the
    thread in the embedded default (queued to Celery otherwise: None)."""
    if not settings.BOARD_REPORTS_IN_THREAD:
        enqueue_on_commit(board_report_render_task, report_id)
        return None
    thread = threading.Thread(
        target=_render_in_thread, args=(report_id,), name=f"board-report-{report_id}", daemon=True
    )

    def start() -> None:
        BoardReport.objects.filter(pk=report_id, status=BoardReport.Status.QUEUED).update(
            rendered_by=process_token()
        )
        thread.start()

    transaction.on_commit(start)
    return thread
