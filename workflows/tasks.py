"""Background work of the workflows app: thin tasks that call one service each."""

import logging
from datetime import timedelta

from celery import shared_task
from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.db import OperationalError
from django.utils import timezone

from .data.processing import (
    data_import_fail,
    data_import_process,
    data_import_wait_for_retry,
    data_imports_expire_stale,
)
from .ingest.pull import n8n_executions_pull
from .models import DataImport, N8nConnection
from .reviews.services import review_reminders_send

logger = logging.getLogger(__name__)

# Errors that say nothing about the file: storage or database briefly away.
TRANSIENT_ERRORS = (OSError, OperationalError)
IMPORT_MAX_RETRIES = 3


@shared_task(acks_late=True)
def review_reminders() -> int:
    """Beat job: email owners of reviews due within 3 days (each reminder goes once)."""
    return review_reminders_send(now=timezone.now())


@shared_task(
    bind=True,
    acks_late=True,  # a worker that dies mid-import leaves the message to be redelivered
    reject_on_worker_lost=True,
    max_retries=IMPORT_MAX_RETRIES,
    soft_time_limit=600,
    time_limit=660,
)
def data_import_process_task(self, import_id: int) -> Retry | None:
    """Process one upload (idempotent: a finished import is left alone).

    A file that fails validation is recorded by the service and never retried. A transient
    error (OSError, a database connection lost) retries with backoff, up to 3 times; any other
    error, or the last transient one, leaves the import "failed" with a plain reason and a
    Retry button, never stuck in "processing". Nothing is re-raised: in the embedded default
    the task runs inside the request that queued it, and must not turn it into a 500.
    """
    data_import = DataImport.objects.select_related("workflow").filter(pk=import_id).first()
    if data_import is None:
        return None
    try:
        data_import_process(data_import=data_import, as_of=timezone.localdate())
    except SoftTimeLimitExceeded:
        data_import_fail(
            import_id=import_id,
            reason="The import took longer than 10 minutes and was stopped. Nothing from this "
            "file was stored. Retry it, or split the file by month.",
        )
    except TRANSIENT_ERRORS as exc:
        attempt = self.request.retries + 1
        if attempt <= IMPORT_MAX_RETRIES:
            logger.warning("import %s: transient %s, retry %s", import_id, exc, attempt)
            data_import_wait_for_retry(
                import_id=import_id,
                reason="A temporary error interrupted the import; it is tried again shortly.",
            )
            if self.request.is_eager:
                # No worker to come back to: handing the Retry back makes apply() run the
                # task again at once, where raising it would fail the request that queued it.
                return self.retry(exc=exc, throw=False)
            raise self.retry(exc=exc, countdown=5 * 2**self.request.retries) from exc
        logger.exception("import %s: gave up after %s attempts", import_id, attempt)
        data_import_fail(
            import_id=import_id,
            reason=f"The import failed {attempt} times on a temporary error "
            f"({type(exc).__name__}). Nothing from this file was stored. Retry it.",
        )
    except Exception as exc:
        logger.exception("import %s failed unexpectedly", import_id)
        data_import_fail(
            import_id=import_id,
            reason=f"The import stopped on an unexpected error ({type(exc).__name__}). Nothing "
            "from this file was stored. Retry it; if it fails again, tell us.",
        )
    return None


@shared_task
def data_imports_requeue() -> int:
    """Beat job: send again the uploads still queued after 2 minutes (the broker was down),
    and mark failed the ones "processing" without progress for DATA_IMPORT_STALE_SECONDS
    (their worker died; the user can retry them). Returns how many it resent."""
    now = timezone.now()
    data_imports_expire_stale(now=now)
    stale = list(
        DataImport.objects.filter(
            status=DataImport.Status.QUEUED, updated_at__lt=now - timedelta(minutes=2)
        ).values_list("pk", flat=True)
    )
    for import_id in stale:
        DataImport.objects.filter(pk=import_id, status=DataImport.Status.QUEUED).update(
            updated_at=now
        )
        data_import_process_task.delay(import_id)
    return len(stale)


@shared_task(acks_late=True, soft_time_limit=300, time_limit=330)
def n8n_pull_task(connection_id: int) -> int:
    """Pull one n8n connection's new executions (idempotent: the cursor and the run ids
    make a second run add nothing). A failed pull is recorded on the connection and shown
    on the data page; the next scheduled pull tries again. Returns the runs added."""
    connection = N8nConnection.objects.select_related("workflow").filter(pk=connection_id).first()
    if connection is None:
        return 0
    return n8n_executions_pull(connection=connection).added


@shared_task
def n8n_pull_all() -> int:
    """Beat job (N8N_PULL_INTERVAL_SECONDS): queue a pull of every n8n connection."""
    ids = list(N8nConnection.objects.values_list("pk", flat=True))
    for connection_id in ids:
        n8n_pull_task.delay(connection_id)
    return len(ids)
