"""Signing and sending requests to the run-ingest API, as a sender would."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime, timedelta

from django.test import Client
from standardwebhooks import Webhook

from core.secrets import secret_decrypt
from workflows.models import IngestEndpoint


def signed_headers(secret: str, body: bytes, *, at: datetime | None = None, msg_id: str = ""):
    """The three Standard Webhooks headers for ``body``, signed with ``secret``."""
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    at = at or datetime.now(tz=UTC)
    try:
        signature = Webhook(secret).sign(msg_id, at, body.decode())
    except UnicodeDecodeError:  # not UTF-8: the spec's HMAC over the raw bytes
        key = base64.b64decode(secret.removeprefix("whsec_"))
        mac = hmac.new(key, f"{msg_id}.{int(at.timestamp())}.".encode() + body, hashlib.sha256)
        signature = "v1," + base64.b64encode(mac.digest()).decode()
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


def run_body(run_id="r-1", *, started=None, **changes):
    started = started or datetime.now(tz=UTC) - timedelta(hours=1)
    body = {
        "run_id": run_id,
        "started_at": started.isoformat(),
        "finished_at": (started + timedelta(seconds=9)).isoformat(),
        "status": "succeeded",
        "arm": "orchestrated",
        "steps_total": 4,
        "steps_succeeded": 4,
        "ai_steps": 3,
        "stopped_at_step": "",
    }
    body.update(changes)
    return body


def post_signed(endpoint: IngestEndpoint, what: str, body, *, secret: str | None = None, **kw):
    """POST ``body`` (a dict, or bytes as they are) to the endpoint's ``what`` ("runs" or
    "events"), signed with its current secret unless ``secret`` is given."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    secret = secret or secret_decrypt(endpoint.secret_encrypted)
    headers = signed_headers(secret, raw, **kw)
    return Client().post(
        f"/api/ingest/{endpoint.key}/{what}",
        raw,
        content_type="application/json",
        headers=headers,
    )
