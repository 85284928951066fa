"""Board reports in the web process: ask for one, record a failure (see reports.rendering)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from core.models import Organization

from .models import BoardReport


def board_report_request(*, organization: Organization, user: User | None) -> BoardReport:
    """A new report, or the one already queued or rendering for this organization (two
    clicks make one report). The caller queues ``board_report_render_task`` after commit."""
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        active = BoardReport.objects.filter(
            organization=organization,
            status__in=[BoardReport.Status.QUEUED, BoardReport.Status.RENDERING],
        ).first()
        if active:
            return active
        return BoardReport.objects.create(organization=organization, requested_by=user)


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


def board_report_fail(*, report_id: int, error: str) -> None:
    BoardReport.objects.filter(pk=report_id).exclude(status=BoardReport.Status.DONE).update(
        status=BoardReport.Status.FAILED, error=error[:500], progress=100
    )
