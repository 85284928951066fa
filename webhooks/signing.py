"""Standard Webhooks messages: the secret, the body and the three signed headers.

Pure: stdlib and the ``standardwebhooks`` package (the reference implementation of the
Standard Webhooks specification, https://www.standardwebhooks.com/), nothing from Django.
A receiver verifies what these functions make with the same package:
``standardwebhooks.Webhook(secret).verify(body, headers)``.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from standardwebhooks import Webhook

# The format's prefix, not a secret.
SECRET_PREFIX = "whsec_"  # noqa: S105  # nosec B105
# The specification asks for secrets of 24 to 64 bytes; 32 is what its own examples use.
SECRET_BYTES = 32


def generate_secret() -> str:
    """A new endpoint secret in the Standard Webhooks format: ``whsec_`` and 32 random
    bytes in base64 (about 50 characters)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def build_body(
    *, event_type: str, occurred_at: datetime, data: Mapping[str, Any], sequence: int | None
) -> str:
    """The JSON body of a message: ``{"type", "timestamp", "data", "sequence"}``.

    ``type`` is the event type (``audit.submitted``), ``timestamp`` when the event occurred
    (ISO 8601, UTC, the specification's payload structure), ``data`` the event's object and
    ``sequence`` the firm's event number (1, 2, ...; None for a test event), since retries
    can reorder deliveries. Keys are sorted and separators compact, so the same event always
    makes the same bytes, whichever attempt sends them.

    Raises:
        ValueError: ``data`` holds NaN or Infinity (JSON has neither).
    """
    payload = {
        "type": event_type,
        "timestamp": occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "data": dict(data),
        "sequence": sequence,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)


def sign_headers(
    *,
    secret: str,
    msg_id: str,
    sent_at: datetime,
    body: str,
    previous_secrets: Sequence[str] = (),
) -> dict[str, str]:
    """The ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` headers of one
    attempt, plus ``content-type``.

    During a secret's rotation ``previous_secrets`` sign too: the header then holds one
    ``v1,`` signature per secret, space-separated, as the specification allows, so a
    receiver still holding the old secret verifies until it switches.

    ``msg_id`` stays the same over the retries of a message (receivers deduplicate on it);
    ``sent_at`` is the attempt's own time, since receivers refuse a timestamp more than a
    few minutes old (5 in the reference library), so every attempt is signed anew.

    Raises:
        standardwebhooks.webhooks.EmptyWebhookSecretError: ``secret`` is empty.
    """
    sent_at = sent_at.astimezone(UTC)
    signature = " ".join(
        Webhook(key).sign(msg_id=msg_id, timestamp=sent_at, data=body)
        for key in (secret, *previous_secrets)
    )
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
    }
