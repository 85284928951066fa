"""Board reports in the web process: ask for one, retry one, delete a superseded one.

Rendering, and recording a failed render, happen in the worker (``reports.rendering``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from core.models import Organization

from .dispatch import board_report_render_start
from .liveness import process_is_gone
from .models import BoardReport

# A render moves (progress, charts, PDF) well within the task's hard time limit (150 s);
# one that has not moved for longer, in a process this host cannot see, has stopped.
STALE_AFTER = timedelta(seconds=180)
STOPPED_ERROR = "The render stopped before it finished."


def _has_stopped(report: BoardReport, now: datetime) -> bool:
    """A render that died with its process, where nothing else will redo it: in a thread of
    a web process, or in-process with Celery eager (the embedded default, no broker).

    With a broker this is never said on read: a worker's task is acknowledged late and
    rejected when the worker is lost, so the broker hands it to the next worker, and the page
    keeps saying "Rendering" until it is done (tests/faults/test_worker_killed.py); marking it
    failed here would race that redelivery."""
    if not (settings.BOARD_REPORTS_IN_THREAD or settings.CELERY_TASK_ALWAYS_EAGER):
        return False
    if not report.is_active or not report.rendered_by:
        return False  # queued for a Celery worker: the beat job sends it again
    if process_is_gone(report.rendered_by):
        return True
    # A render moves every few seconds. One that has not for STALE_AFTER has stopped: on a
    # host this one cannot see, or in a thread of a live process (a chart browser that hung,
    # say), which nothing can stop and nothing else would finish. If it ever does finish,
    # its PDF is still filed (board_report_render marks the report done over "failed").
    return report.updated_at < now - STALE_AFTER


def board_report_recover(*, report: BoardReport, now: datetime | None = None) -> BoardReport:
    """``report`` as it stands, marked failed (with a retry) when the process that was
    rendering it has died, in the embedded default (a thread of a web process) as with a
    worker. The update is conditional, so a render that finishes meanwhile wins."""
    if _has_stopped(report, now or timezone.now()):
        BoardReport.objects.filter(
            pk=report.pk, status=report.status, rendered_by=report.rendered_by
        ).update(status=BoardReport.Status.FAILED, error=STOPPED_ERROR, progress=100)
        report.refresh_from_db()
    return report


def board_report_request(*, organization: Organization, user: User | None) -> BoardReport:
    """A new report, or the one already queued or rendering for this organization (two
    clicks make one report); one whose render died is queued again. A queued one is
    started after commit: in a thread in the embedded default, else on the worker
    (``reports.dispatch``)."""
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        report = BoardReport.objects.filter(
            organization=organization,
            status__in=[BoardReport.Status.QUEUED, BoardReport.Status.RENDERING],
        ).first()
        if report and _has_stopped(report, timezone.now()):
            BoardReport.objects.filter(pk=report.pk).update(
                status=BoardReport.Status.QUEUED, progress=0, error="", rendered_by=""
            )
            report.refresh_from_db()
        if report is None:
            report = BoardReport.objects.create(organization=organization, requested_by=user)
        if report.status == BoardReport.Status.QUEUED:
            board_report_render_start(report_id=report.pk)
    return report


def board_report_retry(*, report: BoardReport) -> bool:
    """Queue a failed report again (rendered after commit). False when it had not failed."""
    if report.status != BoardReport.Status.FAILED:
        return False
    BoardReport.objects.filter(pk=report.pk).update(
        status=BoardReport.Status.QUEUED, progress=0, error="", rendered_by=""
    )
    board_report_render_start(report_id=report.pk)
    return True


class BoardReportNotSupersededError(Exception):
    """Only a finished report with a newer finished one beside it may be deleted."""


def board_report_latest_done(*, organization: Organization) -> BoardReport | None:
    """The organization's newest finished report: the one that is not superseded."""
    return (
        BoardReport.objects.for_organization(organization)
        .filter(status=BoardReport.Status.DONE)
        .order_by("-created_at", "-pk")
        .first()
    )


def board_report_is_superseded(*, report: BoardReport) -> bool:
    """Finished, with a newer finished report of the same organization."""
    latest = board_report_latest_done(organization=report.organization)
    return report.status == BoardReport.Status.DONE and latest is not None and latest != report


def board_report_delete(*, report: BoardReport) -> int:
    """Delete a superseded report, its PDF first; returns the bytes freed.

    Raises:
        BoardReportNotSupersededError: the report is not finished, or is the newest.
    """
    if not board_report_is_superseded(report=report):
        raise BoardReportNotSupersededError
    freed = 0
    if report.file:
        try:
            freed = report.file.size
        except OSError:
            freed = 0
        report.file.delete(save=False)
    report.delete()
    return freed
