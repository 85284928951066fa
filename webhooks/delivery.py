"""One attempt of a delivery: check the URL again, sign, POST, and record what happened.

Runs in the worker (``webhooks.tasks``). The outcome is written in one transaction that
locks the delivery, so two runs of the same message (a redelivery after a worker died)
record at most one success and never more attempts than allowed.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from core.links import absolute_url
from core.mail import mail_send
from core.models import Membership

from .backoff import retry_delay, should_retry
from .models import Attempt, Delivery, Endpoint
from .signing import build_body, sign_headers
from .targets import TargetRefusedError, resolve_target
from .transport import PostResult, post

logger = logging.getLogger(__name__)

_jitter = random.SystemRandom()


def webhook_delivery_attempt(*, delivery_id: int, now: datetime) -> float | None:
    """Make the next attempt of a pending delivery and record it.

    Returns the seconds to wait before the next attempt when this one failed and
    ``settings.WEBHOOK_MAX_ATTEMPTS`` allows another, else None (delivered, failed for
    good, or nothing to do: the delivery is gone, not pending, or its endpoint disabled).
    """
    delivery = Delivery.objects.select_related("event", "endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return None
    endpoint = delivery.endpoint
    if not endpoint.is_enabled:
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.FAILED, next_attempt_at=None
        )
        return None
    result = _send(delivery, now)
    return _record(delivery_id=delivery.pk, round_=delivery.round, result=result, now=now)


def _send(delivery: Delivery, now: datetime) -> PostResult:
    """Resolve and check the endpoint's URL now (DNS may have changed since it was saved),
    then POST the signed message to the checked address."""
    event, endpoint = delivery.event, delivery.endpoint
    try:
        resolved = resolve_target(endpoint.url, allowed_hosts=settings.WEBHOOK_ALLOWED_HOSTS)
    except TargetRefusedError:
        return PostResult(None, 0, "refused_target")
    body = build_body(
        event_type=event.event_type,
        occurred_at=event.occurred_at,
        data=event.data,
        sequence=event.sequence,
    )
    headers = sign_headers(
        secret=endpoint.secret,
        msg_id=event.msg_id,
        sent_at=now,
        body=body,
        previous_secrets=endpoint.previous_secrets(now=now),
    )
    return post(
        resolved,
        headers=headers,
        body=body.encode(),
        connect_timeout=settings.WEBHOOK_CONNECT_TIMEOUT,
        read_timeout=settings.WEBHOOK_READ_TIMEOUT,
    )


@transaction.atomic
def _record(*, delivery_id: int, round_: int, result: PostResult, now: datetime) -> float | None:
    delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING or delivery.round != round_:
        return None  # another run finished it, or a replay started a new round meanwhile
    delivery.attempts_in_round += 1
    Attempt.objects.create(
        organization_id=delivery.organization_id,
        delivery=delivery,
        round=delivery.round,
        number=delivery.attempts_in_round,
        attempted_at=now,
        status_code=result.status_code,
        duration_ms=result.duration_ms,
        error=result.error,
    )
    retry_in: float | None = None
    if result.ok:
        delivery.status = Delivery.Status.SUCCEEDED
        delivery.next_attempt_at = None
        Endpoint.objects.filter(pk=delivery.endpoint_id).update(consecutive_failures=0)
    elif should_retry(
        attempt=delivery.attempts_in_round, max_attempts=settings.WEBHOOK_MAX_ATTEMPTS
    ):
        retry_in = retry_delay(
            attempt=delivery.attempts_in_round,
            base_seconds=settings.WEBHOOK_RETRY_BASE_SECONDS,
            max_seconds=settings.WEBHOOK_RETRY_MAX_SECONDS,
            rand=_jitter.random(),
        )
        delivery.next_attempt_at = now + timedelta(seconds=retry_in)
    else:
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = None
        _endpoint_failure_count(endpoint_id=delivery.endpoint_id)
    delivery.save(update_fields=["status", "attempts_in_round", "next_attempt_at", "updated_at"])
    return retry_in


def _endpoint_failure_count(*, endpoint_id: int) -> None:
    """One more delivery failed for good: at the limit, disable the endpoint and tell the
    firm's consultants (after commit, once: only the run that disables it emails)."""
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint_id)
    endpoint.consecutive_failures += 1
    fields = ["consecutive_failures", "updated_at"]
    if endpoint.is_enabled and (
        endpoint.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER_FAILURES
    ):
        endpoint.is_enabled = False
        endpoint.disabled_reason = (
            f"Disabled after {endpoint.consecutive_failures} deliveries in a row failed."
        )
        fields += ["is_enabled", "disabled_reason"]
        transaction.on_commit(lambda: webhook_endpoint_disabled_notify(endpoint_id=endpoint.pk))
    endpoint.save(update_fields=fields)


def webhook_endpoint_disabled_notify(*, endpoint_id: int) -> int:
    """Email the firm's consultants that ``endpoint`` was disabled (plain text and HTML,
    ``templates/email/webhook_disabled``). Returns the emails sent; a failing mail server
    is logged, not raised: the endpoint stays disabled and its page says so."""
    endpoint = Endpoint.objects.select_related("organization").get(pk=endpoint_id)
    firm = endpoint.organization
    recipients = sorted(
        set(
            Membership.objects.filter(organization=firm, role=Membership.Role.CONSULTANT)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return 0
    context = {
        "firm": firm.name,
        "endpoint": endpoint.description or endpoint.url,
        "url": endpoint.url,
        "failures": endpoint.consecutive_failures,
        "page": absolute_url(reverse("webhooks:endpoint-edit", args=[firm.slug, endpoint.pk])),
        "log": absolute_url(reverse("webhooks:log", args=[firm.slug])) + f"?endpoint={endpoint.pk}",
    }
    try:
        return mail_send(
            to=recipients,
            subject=f"Webhook endpoint disabled: {endpoint.description or endpoint.url}",
            template="webhook_disabled",
            context=context,
        )
    except OSError:
        logger.exception("webhook endpoint %s: the disabled notice was not sent", endpoint_id)
        return 0
