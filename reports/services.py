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


def board_report_fail(*, report_id: int, error: str) -> None:
    BoardReport.objects.filter(pk=report_id).exclude(status=BoardReport.Status.DONE).update(
        status=BoardReport.Status.FAILED, error=error[:500], progress=100
    )
