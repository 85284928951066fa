"""The board report task: load by id, call one service, record a failure plainly."""

from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from .models import BoardReport


@shared_task(
    bind=True,
    acks_late=True,  # a worker that dies mid-render leaves the message to be redelivered
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 3},
    soft_time_limit=120,
    time_limit=150,
)
def board_report_render_task(self, report_id: int) -> None:
    """Render one board report (idempotent: a finished report is not rendered again)."""
    # Imported here, not at the top: the web process imports this module to queue the
    # task, and must not pay for loading WeasyPrint.
    from .rendering import board_report_fail, board_report_render

    report = BoardReport.objects.select_related("organization").filter(pk=report_id).first()
    if report is None:
        return
    try:
        board_report_render(report=report, now=timezone.now())
    except SoftTimeLimitExceeded:
        board_report_fail(report_id=report_id, error="The report took too long to render.")
    except OSError:
        raise  # transient: retried with backoff
    except Exception as exc:
        board_report_fail(
            report_id=report_id, error=f"The report could not be rendered ({type(exc).__name__})."
        )
        raise


@shared_task
def board_reports_requeue() -> int:
    """Beat job: send again the reports still queued after 2 minutes (the broker was down
    when they were asked for) or rendering for longer than the hard time limit."""
    now = timezone.now()
    stale = list(
        BoardReport.objects.filter(
            status=BoardReport.Status.QUEUED, updated_at__lt=now - timedelta(minutes=2)
        ).values_list("pk", flat=True)
    ) + list(
        BoardReport.objects.filter(
            status=BoardReport.Status.RENDERING, updated_at__lt=now - timedelta(minutes=5)
        ).values_list("pk", flat=True)
    )
    for report_id in stale:
        BoardReport.objects.filter(pk=report_id).update(
            status=BoardReport.Status.QUEUED, updated_at=now
        )
        board_report_render_task.delay(report_id)
    return len(stale)
