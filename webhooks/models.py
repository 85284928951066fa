"""A firm's webhook endpoints, its numbered events, and their deliveries with each attempt.

Every row belongs to a consulting firm (``core.Organization`` with ``kind="firm"``) through
``organization``; views read them through ``OrgScopedQuerySet.for_organization``.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import models

from core.json import StrictJSONEncoder
from core.models import Organization, TimeStampedModel
from core.scoping import OrgScopedQuerySet
from core.secrets import secret_decrypt, secret_encrypt


class EventType(models.TextChoices):
    """The events a firm's CRM can subscribe to (issue 15)."""

    RESPONSE_COMPLETED = "response.completed", "Self-score completed"
    LEAD_CREATED = "lead.created", "Lead created"
    AUDIT_SUBMITTED = "audit.submitted", "Revenue Audit intake submitted"
    AUDIT_REPLIED = "audit.replied", "Revenue Audit reply sent"
    REPORT_READY = "report.ready", "Board report ready"


# Sent by the "Send test event" button to one endpoint, whatever it subscribes to.
TEST_EVENT_TYPE = "webhook.test"
EVENT_TYPE_CHOICES = [*EventType.choices, (TEST_EVENT_TYPE, "Test event")]


class AttemptError(models.TextChoices):
    """Why an attempt failed, in the log's words (``webhooks.transport`` sets the codes)."""

    NONE = "", "Delivered"
    REFUSED = "refused", "Connection refused"
    TIMEOUT = "timeout", "Timed out"
    TLS = "tls", "TLS handshake or certificate failed"
    NETWORK = "network", "Network error"
    REDIRECT = "redirect", "Answered with a redirect (not followed)"
    STATUS = "status", "Answered with an error status"
    REFUSED_TARGET = "refused_target", "URL or address not allowed"


class Endpoint(TimeStampedModel):
    """A URL of the firm's CRM that receives the event types it subscribes to.

    ``secret`` (``whsec_`` + base64, webhooks.signing) signs every message to it; after a
    rotation ``previous_secret`` signs too until ``previous_secret_until``. Both are stored
    encrypted (``core.secrets``, SECURITY.md "Secrets at rest"): the properties decrypt on
    read and encrypt on write, so a copy of the database alone cannot forge a message.
    ``consecutive_failures`` counts the deliveries in a row that failed after their last
    attempt; at ``settings.WEBHOOK_DISABLE_AFTER_FAILURES`` the endpoint is disabled
    (``disabled_reason`` says why) and the firm's consultants are emailed.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.CharField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    event_types = models.JSONField(
        encoder=StrictJSONEncoder, default=list, help_text="EventType values subscribed to."
    )
    secret_encrypted = models.TextField(help_text="The signing secret, encrypted.")
    previous_secret_encrypted = models.TextField(
        blank=True, help_text="The secret before the last rotation, encrypted."
    )
    previous_secret_until = models.DateTimeField(
        null=True, blank=True, help_text="Until when messages are signed with it too."
    )
    is_enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.description or self.url

    @property
    def secret(self) -> str:
        """The signing secret (``whsec_...``). Raises ``core.secrets.SecretUnreadable``
        when no configured key decrypts it."""
        return secret_decrypt(self.secret_encrypted)

    @secret.setter
    def secret(self, plain: str) -> None:
        self.secret_encrypted = secret_encrypt(plain)

    @property
    def previous_secret(self) -> str:
        """The secret before the last rotation, "" when there is none."""
        return (
            secret_decrypt(self.previous_secret_encrypted) if self.previous_secret_encrypted else ""
        )

    @previous_secret.setter
    def previous_secret(self, plain: str) -> None:
        self.previous_secret_encrypted = secret_encrypt(plain) if plain else ""

    def subscribes_to(self, event_type: str) -> bool:
        return event_type in self.event_types

    def previous_secrets(self, *, now: datetime) -> list[str]:
        """The secrets that still sign beside ``secret`` at ``now`` (a rotation's overlap)."""
        until = self.previous_secret_until
        if self.previous_secret_encrypted and until and now < until:
            return [self.previous_secret]
        return []


class EventSequence(models.Model):
    """The firm's last event number. Emitting an event increments it in the emitting
    transaction, which holds the row's lock until it commits: concurrent emits take the
    numbers one after another, and a rolled-back emit gives its number back (no gaps)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.organization}: {self.last_number}"


class Event(TimeStampedModel):
    """One thing that happened, for the firm's CRM: its type, its data and its number.

    ``msg_id`` is the message's ``webhook-id``, the same for every endpoint, retry and
    replay, so receivers deduplicate on it. ``sequence`` is the firm's event number (None
    for a test event, which belongs to no sequence).
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="webhook_events"
    )
    msg_id = models.CharField(max_length=40, unique=True, editable=False)
    event_type = models.CharField(max_length=40, choices=EVENT_TYPE_CHOICES)
    sequence = models.PositiveBigIntegerField(null=True, blank=True)
    data = models.JSONField(encoder=StrictJSONEncoder, default=dict)
    occurred_at = models.DateTimeField()

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "sequence"], name="webhook_event_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} #{self.sequence}"


def new_msg_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class Delivery(TimeStampedModel):
    """One event to one endpoint, with its attempts. A replay starts a new round of
    attempts on the same delivery (``round`` counts them), with the same ``webhook-id``."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Delivered"
        FAILED = "failed", "Failed"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    round = models.PositiveSmallIntegerField(default=1)
    attempts_in_round = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhook_delivery_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint}"


class Attempt(models.Model):
    """One POST of a delivery: what came back and how long it took.

    ``number`` counts the attempts of the delivery's round (1 = first try); ``error`` is a
    code of ``AttemptError`` (empty on success).
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="webhook_attempts"
    )
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts")
    round = models.PositiveSmallIntegerField(default=1)
    number = models.PositiveSmallIntegerField()
    attempted_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=20, blank=True, choices=AttemptError.choices)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-attempted_at", "-pk"]
        indexes = [models.Index(fields=["organization", "-attempted_at"])]

    def __str__(self) -> str:
        return f"{self.delivery} attempt {self.number}"

    @property
    def ok(self) -> bool:
        return self.error == ""
