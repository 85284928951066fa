"""Background work of the workflows app: thin tasks that call one service each."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .data_services import data_import_process
from .models import DataImport
from .plan_services import review_reminders_send


@shared_task(acks_late=True)
def review_reminders() -> int:
    """Beat job: email owners of reviews due within 3 days (each reminder goes once)."""
    return review_reminders_send(now=timezone.now())


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 3},
    soft_time_limit=600,
    time_limit=660,
)
def data_import_process_task(import_id: int) -> None:
    """Process one upload (idempotent: a finished import is left alone)."""
    data_import = DataImport.objects.select_related("workflow").filter(pk=import_id).first()
    if data_import is not None:
        data_import_process(data_import=data_import, as_of=timezone.localdate())


@shared_task
def data_imports_requeue() -> int:
    """Beat job: send again the uploads still queued after 2 minutes (broker was down)."""
    cutoff = timezone.now() - timedelta(minutes=2)
    stale = list(
        DataImport.objects.filter(
            status=DataImport.Status.QUEUED, created_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for import_id in stale:
        data_import_process_task.delay(import_id)
    return len(stale)
