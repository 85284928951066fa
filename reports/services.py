"""Board reports in the web process: ask for one, retry one, delete a superseded one.

Rendering, and recording a failed render, happen in the worker (``reports.rendering``).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from core.models import Organization
from core.tasks import enqueue_on_commit

from .models import BoardReport
from .tasks import board_report_render_task


def board_report_request(*, organization: Organization, user: User | None) -> BoardReport:
    """A new report, or the one already queued or rendering for this organization (two
    clicks make one report); a queued one is sent to the worker (again) after commit."""
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        report = BoardReport.objects.filter(
            organization=organization,
            status__in=[BoardReport.Status.QUEUED, BoardReport.Status.RENDERING],
        ).first() or BoardReport.objects.create(organization=organization, requested_by=user)
        if report.status == BoardReport.Status.QUEUED:
            enqueue_on_commit(board_report_render_task, report.pk)
    return report


def board_report_retry(*, report: BoardReport) -> bool:
    """Queue a failed report again (rendered after commit). False when it had not failed."""
    if report.status != BoardReport.Status.FAILED:
        return False
    BoardReport.objects.filter(pk=report.pk).update(
        status=BoardReport.Status.QUEUED, progress=0, error=""
    )
    enqueue_on_commit(board_report_render_task, report.pk)
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
