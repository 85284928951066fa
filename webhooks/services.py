"""Writes for webhooks: emit an event, manage a firm's endpoints, replay, send a test.

``webhook_event_emit`` is the public API the other apps call when something happens that a
firm's CRM wants to hear about.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.json import dumps as strict_dumps
from core.models import Organization
from core.secrets import secret_encrypt
from core.selectors import firm_default

from .dispatch import webhook_delivery_start
from .models import (
    TEST_EVENT_TYPE,
    Delivery,
    Endpoint,
    Event,
    EventSequence,
    EventType,
    new_msg_id,
)
from .signing import generate_secret
from .targets import resolve_target


class ReplayRefusedError(Exception):
    """The delivery cannot be replayed now; ``str()`` says why."""


def firm_of(*, organization: Organization) -> Organization:
    """The consulting firm whose CRM hears about ``organization``: the organization itself
    when it is a firm, else its ``firm``, else the default firm (``firm_default``)."""
    if organization.is_firm:
        return organization
    if organization.firm_id is not None:
        return organization.firm  # type: ignore[return-value]
    return firm_default()


def _sequence_next(*, firm: Organization) -> int:
    """The firm's next event number, taken inside the caller's transaction.

    The UPDATE locks the firm's counter row until the transaction ends: a concurrent emit
    waits, then counts on from the committed number; a rollback returns the number.
    """
    EventSequence.objects.bulk_create([EventSequence(organization=firm)], ignore_conflicts=True)
    EventSequence.objects.filter(organization=firm).update(last_number=F("last_number") + 1)
    return EventSequence.objects.values_list("last_number", flat=True).get(organization=firm)


def _deliveries_create(*, event: Event, endpoints: Iterable[Endpoint], now: datetime) -> None:
    for endpoint in endpoints:
        delivery = Delivery.objects.create(
            organization=event.organization, event=event, endpoint=endpoint, next_attempt_at=now
        )
        webhook_delivery_start(delivery_id=delivery.pk)


@transaction.atomic
def webhook_event_emit(
    *,
    firm: Organization,
    event_type: str,
    data: Mapping[str, Any],
    now: datetime | None = None,
) -> Event:
    """Store an event of ``firm`` with the firm's next sequence number, and queue one
    delivery to each enabled endpoint subscribed to ``event_type`` (sent after commit).

    Call it inside the transaction of the change it reports: if that rolls back, the event,
    its number and its deliveries go with it, so the numbers a CRM sees have no gaps.
    Concurrent emits for one firm take their numbers one after another (the counter row is
    locked until commit).

    Args:
        firm: an organization with ``kind="firm"``.
        event_type: an ``EventType`` value, e.g. ``"audit.submitted"``.
        data: the event's JSON object (the message's ``data``); no NaN or Infinity.
        now: when it happened (UTC); the current time by default.

    Raises:
        ValueError: ``firm`` is not a firm, or ``event_type`` is unknown.
    """
    if not firm.is_firm:
        raise ValueError(f"{firm.slug!r} is not a consulting firm")
    if event_type not in EventType.values:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    now = now or timezone.now()
    event = Event.objects.create(
        organization=firm,
        msg_id=new_msg_id(),
        event_type=event_type,
        sequence=_sequence_next(firm=firm),
        # Dates and amounts as the JSON strings the body will carry, here as in the row.
        data=json.loads(strict_dumps(dict(data))),
        occurred_at=now,
    )
    endpoints = [
        e
        for e in Endpoint.objects.for_organization(firm).filter(is_enabled=True)
        if e.subscribes_to(event_type)
    ]
    _deliveries_create(event=event, endpoints=endpoints, now=now)
    return event


def webhook_event_emit_for(
    *, organization: Organization, event_type: str, data: Mapping[str, Any]
) -> Event:
    """``webhook_event_emit`` to the firm of a client ``organization`` (``firm_of``), with
    the organization's name and slug added to ``data`` as ``organization``."""
    return webhook_event_emit(
        firm=firm_of(organization=organization),
        event_type=event_type,
        data={"organization": {"name": organization.name, "slug": organization.slug}, **data},
    )


def endpoint_url_check(*, url: str) -> None:
    """Check a URL a consultant typed against the rules for user-given URLs
    (``webhooks.targets``), resolving its host now.

    Raises:
        webhooks.targets.TargetRefusedError: with a message fit to show beside the field.
    """
    resolve_target(url, allowed_hosts=settings.WEBHOOK_ALLOWED_HOSTS)


def webhook_endpoint_create(
    *, firm: Organization, url: str, description: str, event_types: Iterable[str]
) -> Endpoint:
    """A new enabled endpoint of ``firm`` with a fresh ``whsec_`` secret.

    Raises:
        webhooks.targets.TargetRefusedError: the URL breaks the rules for user-given URLs.
        ValueError: ``firm`` is not a firm, or an unknown event type.
    """
    if not firm.is_firm:
        raise ValueError(f"{firm.slug!r} is not a consulting firm")
    endpoint_url_check(url=url)
    return Endpoint.objects.create(
        organization=firm,
        url=url.strip(),
        description=description.strip(),
        event_types=_event_types(event_types),
        secret_encrypted=secret_encrypt(generate_secret()),
    )


def webhook_endpoint_update(
    *,
    endpoint: Endpoint,
    url: str,
    description: str,
    event_types: Iterable[str],
    is_enabled: bool,
) -> Endpoint:
    """Change an endpoint. Enabling a disabled one starts its failure count afresh.

    Raises:
        webhooks.targets.TargetRefusedError: the URL breaks the rules for user-given URLs.
        ValueError: an unknown event type.
    """
    endpoint_url_check(url=url)
    endpoint.url = url.strip()
    endpoint.description = description.strip()
    endpoint.event_types = _event_types(event_types)
    if is_enabled and not endpoint.is_enabled:
        endpoint.consecutive_failures = 0
        endpoint.disabled_reason = ""
    if not is_enabled and endpoint.is_enabled:
        endpoint.disabled_reason = "Disabled by a consultant."
    endpoint.is_enabled = is_enabled
    endpoint.save()
    return endpoint


def webhook_endpoint_secret_rotate(*, endpoint: Endpoint, now: datetime | None = None) -> Endpoint:
    """Give the endpoint a new secret. The old one keeps signing beside it for
    ``settings.WEBHOOK_SECRET_OVERLAP_HOURS`` (messages carry both signatures), so the CRM
    can switch to the new secret without refusing a message meanwhile (SECURITY.md)."""
    now = now or timezone.now()
    endpoint.previous_secret_encrypted = endpoint.secret_encrypted
    endpoint.previous_secret_until = now + timedelta(hours=settings.WEBHOOK_SECRET_OVERLAP_HOURS)
    endpoint.secret = generate_secret()
    endpoint.save(
        update_fields=[
            "secret_encrypted",
            "previous_secret_encrypted",
            "previous_secret_until",
            "updated_at",
        ]
    )
    return endpoint


def webhook_endpoint_delete(*, endpoint: Endpoint) -> None:
    """Delete an endpoint with its deliveries and their attempts (the log's rows)."""
    endpoint.delete()


def _event_types(values: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(values))
    unknown = [v for v in chosen if v not in EventType.values]
    if unknown:
        raise ValueError(f"unknown webhook event types {unknown}")
    return [v for v in EventType.values if v in chosen]  # in the product's order


@transaction.atomic
def webhook_delivery_replay(*, delivery: Delivery, now: datetime | None = None) -> Delivery:
    """Send a delivery again as a new round of attempts, with the same ``webhook-id`` (a
    receiver that has it already can drop it).

    Raises:
        ReplayRefusedError: its endpoint is disabled, or it is still being attempted.
    """
    delivery = Delivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
    if not delivery.endpoint.is_enabled:
        raise ReplayRefusedError("Enable the endpoint first: a disabled endpoint gets nothing.")
    if delivery.status == Delivery.Status.PENDING:
        raise ReplayRefusedError("This delivery is still being attempted.")
    delivery.status = Delivery.Status.PENDING
    delivery.round += 1
    delivery.attempts_in_round = 0
    delivery.next_attempt_at = now or timezone.now()
    delivery.save()
    webhook_delivery_start(delivery_id=delivery.pk)
    return delivery


@transaction.atomic
def webhook_test_send(*, endpoint: Endpoint, now: datetime | None = None) -> Delivery:
    """Send a ``webhook.test`` event to ``endpoint`` alone, whatever it subscribes to. A test
    event takes no sequence number: the firm's numbering stays gap-free for its CRM.

    Raises:
        ReplayRefusedError: the endpoint is disabled.
    """
    if not endpoint.is_enabled:
        raise ReplayRefusedError("Enable the endpoint first: a disabled endpoint gets nothing.")
    now = now or timezone.now()
    event = Event.objects.create(
        organization=endpoint.organization,
        msg_id=new_msg_id(),
        event_type=TEST_EVENT_TYPE,
        sequence=None,
        data={"message": "A test event from the Maturity Benchmark."},
        occurred_at=now,
    )
    delivery = Delivery.objects.create(
        organization=endpoint.organization, event=event, endpoint=endpoint, next_attempt_at=now
    )
    webhook_delivery_start(delivery_id=delivery.pk)
    return delivery
