"""Queueing helpers shared by the apps."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# Publishing gives up after about half a second rather than holding the request.
QUICK_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def enqueue_on_commit(task: Task, *args: Any) -> None:
    """Queue ``task`` after the transaction commits. If the broker is down the row that the
    task would process stays queued (the page says so) and the hourly sweep re-queues it when
    the broker is back; the request itself never fails because Redis is away."""

    def send() -> None:
        try:
            task.apply_async(args=args, retry=True, retry_policy=QUICK_RETRY)
        except (OperationalError, OSError):
            logger.warning("broker unavailable: %s%r stays queued", task.name, args)

    transaction.on_commit(send)
