"""Starting a delivery's attempts off the request, with a worker or without one.

With a broker the Celery task is queued after commit. In the embedded default (eager Celery,
``settings.WEBHOOK_DELIVERIES_IN_THREAD``) the same task runs in a daemon thread of the web
process, so a slow or dead endpoint never holds the page that emitted the event.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connections, transaction

from core.tasks import enqueue_on_commit

from .tasks import webhook_deliver_task

logger = logging.getLogger(__name__)


def _deliver_in_thread(delivery_id: int) -> None:
    try:
        webhook_deliver_task.apply(args=(delivery_id,), throw=False)
    except Exception:  # the task records its own attempts; never let the thread die loudly
        logger.exception("webhook delivery %s: thread failed", delivery_id)
    finally:
        connections.close_all()  # this thread's connections only


def webhook_delivery_start(*, delivery_id: int) -> None:
    """Attempt the delivery after the transaction commits: on a Celery worker, or in a
    thread in the embedded default. If the broker is down the delivery stays pending and
    the beat job ``webhook_deliveries_requeue`` sends it later."""
    if not settings.WEBHOOK_DELIVERIES_IN_THREAD:
        enqueue_on_commit(webhook_deliver_task, delivery_id)
        return
    thread = threading.Thread(
        target=_deliver_in_thread,
        args=(delivery_id,),
        name=f"webhook-delivery-{delivery_id}",
        daemon=True,
    )
    transaction.on_commit(thread.start)
