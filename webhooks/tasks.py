"""The delivery task: load by id, make one attempt, and retry with backoff while allowed."""

from __future__ import annotations

import time
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .delivery import webhook_delivery_attempt
from .models import Delivery


@shared_task(
    bind=True,
    acks_late=True,  # a worker that dies mid-attempt leaves the message to be redelivered
    reject_on_worker_lost=True,
    max_retries=None,  # the bound is settings.WEBHOOK_MAX_ATTEMPTS, counted in the database
    soft_time_limit=60,
    time_limit=90,
)
def webhook_deliver_task(self, delivery_id: int) -> None:
    """Make the next attempt of one delivery; a failed attempt with attempts left is
    retried after ``webhooks.backoff.retry_delay`` seconds.

    Idempotent: a delivery that is no longer pending (delivered, failed, or replayed into a
    new round by someone else) is left alone, so a redelivered message sends nothing twice
    unless the first run died between the POST and recording it.
    """
    while True:
        retry_in = webhook_delivery_attempt(delivery_id=delivery_id, now=timezone.now())
        if retry_in is None:
            return
        if not self.request.is_eager:
            raise self.retry(countdown=retry_in)
        # Eager Celery (the embedded default's thread, the tests) has no broker to hold a
        # countdown: wait out the backoff here and attempt again.
        time.sleep(retry_in)


@shared_task
def webhook_deliveries_requeue() -> int:
    """Beat job: send again the pending deliveries whose next attempt is overdue by more
    than ``settings.WEBHOOK_REQUEUE_AFTER_SECONDS`` (the broker was down when they were
    queued, or the message was lost with its worker). Returns how many were sent."""
    now = timezone.now()
    overdue = list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING,
            endpoint__is_enabled=True,
            next_attempt_at__lt=now - timedelta(seconds=settings.WEBHOOK_REQUEUE_AFTER_SECONDS),
        ).values_list("pk", flat=True)[:500]
    )
    for delivery_id in overdue:
        Delivery.objects.filter(pk=delivery_id).update(next_attempt_at=now)
        webhook_deliver_task.delay(delivery_id)
    return len(overdue)
