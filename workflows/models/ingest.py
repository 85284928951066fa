"""Runs that arrive live: the ingest endpoint of a workflow, each run it received, and the
n8n instance it pulls executions from (issue 16, "Runs pushed and pulled")."""

from __future__ import annotations

import uuid

from django.db import models

from core.models import Organization, TimeStampedModel
from core.scoping import OrgScopedQuerySet

from .maps import CandidateWorkflow


class RunSource(models.TextChoices):
    """Where a stored daily aggregate (``RunDay``) came from. The rule that decides which
    source a day counts is ``workflows.ingest.days`` (one source per day, live first)."""

    CSV = "csv", "CSV upload"
    LIVE = "live", "Live (pushed or pulled)"


class IngestEndpoint(TimeStampedModel):
    """A workflow's run-ingest URL (``/api/ingest/<key>/runs``) and its Standard Webhooks
    signing secret. ``key`` is public (it names the endpoint); the secret is the credential.
    Secrets are stored encrypted (``core.secrets``); after a rotation the previous secret
    still verifies until ``previous_valid_until`` (``INGEST_SECRET_OVERLAP_SECONDS``)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    workflow = models.OneToOneField(
        CandidateWorkflow, on_delete=models.CASCADE, related_name="ingest_endpoint"
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    secret_encrypted = models.TextField()
    previous_secret_encrypted = models.TextField(blank=True)
    previous_valid_until = models.DateTimeField(null=True, blank=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    objects = OrgScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Ingest endpoint of {self.workflow}"


class IngestedRun(models.Model):
    """One run received live, kept whole (run id included), so a resend is recognised and
    the daily aggregates (``RunDay`` rows of source LIVE) are derived from these rows.

    ``digest`` is the SHA-256 of the run's canonical fields (``workflows.ingest.payloads``):
    the same run id with another digest is a conflict, never an overwrite."""

    class Channel(models.TextChoices):
        API = "api", "Pushed to the ingest API"
        N8N = "n8n", "Pulled from n8n"

    workflow = models.ForeignKey(CandidateWorkflow, on_delete=models.CASCADE, related_name="+")
    run_id = models.CharField(max_length=100)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12)
    arm = models.CharField(max_length=12)
    steps_total = models.PositiveIntegerField()
    steps_succeeded = models.PositiveIntegerField()
    ai_steps = models.PositiveIntegerField()
    stopped_at_step = models.CharField(max_length=200, blank=True)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    digest = models.CharField(max_length=64)
    message_id = models.CharField(max_length=120, blank=True)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "run_id"], name="ingested_run_unique_id")
        ]
        indexes = [models.Index(fields=["workflow", "-received_at"])]

    def __str__(self) -> str:
        return f"Run {self.run_id}"


class N8nConnection(TimeStampedModel):
    """An n8n instance and workflow whose executions are pulled as runs.

    ``api_key_encrypted`` holds the API key under ``core.secrets`` (MultiFernet over
    ``SECRET_ENCRYPTION_KEYS``; re-encrypt with ``manage.py secrets_reencrypt``).
    ``cursor`` is the id of the newest n8n execution taken (n8n numbers executions in
    increasing order); a pull adds only executions with a higher id."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    workflow = models.OneToOneField(
        CandidateWorkflow, on_delete=models.CASCADE, related_name="n8n_connection"
    )
    base_url = models.URLField("n8n base URL", max_length=300)
    n8n_workflow_id = models.CharField("n8n workflow id", max_length=64)
    arm = models.CharField(max_length=12, default="orchestrated")
    api_key_encrypted = models.TextField()
    cursor = models.CharField(max_length=32, blank=True)
    last_pulled_at = models.DateTimeField(null=True, blank=True)
    last_added = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    objects = OrgScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"n8n workflow {self.n8n_workflow_id} for {self.workflow}"
