"""The demo firm's webhooks: one CRM endpoint and a delivery log with a bit of everything."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from core.models import Organization
from core.secrets import secret_encrypt
from webhooks.models import Attempt, Delivery, Endpoint, Event, EventSequence, new_msg_id
from webhooks.signing import generate_secret

# (event type, hours ago, data, attempts as (HTTP status or None, ms, error code), final)
AttemptRow = tuple[int | None, int, str]
LOG: list[tuple[str, int, dict[str, Any], list[AttemptRow], str]] = [
    ("response.completed", 70, {"tier": "catching_up"}, [(204, 182, "")], "succeeded"),
    (
        "audit.submitted",
        30,
        {"audit": "Northwind Analytics"},
        [(503, 1204, "status"), (None, 10003, "timeout"), (204, 240, "")],
        "succeeded",
    ),
    (
        "audit.replied",
        6,
        {"named_gap": "Inbound demo-request follow-up"},
        [(204, 151, "")],
        "succeeded",
    ),
    (
        "report.ready",
        3,
        {"pages": 8},
        [(500, 320, "status"), (None, 3, "refused"), (500, 298, "status")],
        "failed",
    ),
    ("response.completed", 1, {"tier": "on_pace"}, [(200, 133, "")], "succeeded"),
]


def demo_webhooks_load(*, firm: Organization, now: datetime) -> Endpoint:
    """The demo firm's endpoint (a CRM address that does not exist, so nothing is sent) and
    its log, written directly: no delivery is queued."""
    endpoint = Endpoint.objects.create(
        organization=firm,
        url="https://crm.demo.example/hooks/benchmark",
        description="HubSpot (demo)",
        event_types=[
            "response.completed",
            "lead.created",
            "audit.submitted",
            "audit.replied",
            "report.ready",
        ],
        secret_encrypted=secret_encrypt(generate_secret()),
    )
    for sequence, (event_type, hours, data, attempts, status) in enumerate(LOG, start=1):
        occurred = now - timedelta(hours=hours)
        event = Event.objects.create(
            organization=firm,
            msg_id=new_msg_id(),
            event_type=event_type,
            sequence=sequence,
            data=data,
            occurred_at=occurred,
        )
        delivery = Delivery.objects.create(
            organization=firm,
            event=event,
            endpoint=endpoint,
            status=status,
            attempts_in_round=len(attempts),
        )
        for number, (code, ms, error) in enumerate(attempts, start=1):
            Attempt.objects.create(
                organization=firm,
                delivery=delivery,
                number=number,
                attempted_at=occurred + timedelta(seconds=30 * (2 ** (number - 1)) - 30),
                status_code=code,
                duration_ms=ms,
                error=error,
            )
    EventSequence.objects.create(organization=firm, last_number=len(LOG))
    return endpoint
