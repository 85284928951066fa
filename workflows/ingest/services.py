"""Writes of live runs: the ingest endpoint and its secret, a run, a downstream event.

The n8n pull is ``workflows.ingest.pull``; which source a day counts is ``days``.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from django.conf import settings
from django.db import IntegrityError, transaction

from core.models import Organization
from core.secrets import secret_decrypt, secret_encrypt

from ..models import CandidateWorkflow, DownstreamEvent, IngestedRun, IngestEndpoint
from .days import live_days_refresh
from .payloads import RunRecord, run_digest


class Outcome(Enum):
    CREATED = "created"
    UNCHANGED = "unchanged"


class IngestConflict(Exception):
    """The same id was received before with other content (or a message id was reused for
    another run); nothing was changed. ``detail`` says what, for the problem details."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class RunNotFound(Exception):
    """A downstream event names a run id this workflow never received."""


def secret_new() -> str:
    """A Standard Webhooks secret: "whsec_" + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def ingest_endpoint_create(
    *, workflow: CandidateWorkflow, organization: Organization
) -> IngestEndpoint:
    """The workflow's ingest endpoint, created with a new secret if it has none."""
    endpoint, _created = IngestEndpoint.objects.get_or_create(
        workflow=workflow,
        defaults={"organization": organization, "secret_encrypted": secret_encrypt(secret_new())},
    )
    return endpoint


def ingest_endpoint_rotate(*, endpoint: IngestEndpoint, now: datetime) -> None:
    """A new secret; the current one keeps verifying for INGEST_SECRET_OVERLAP_SECONDS, so
    senders can be switched over without losing runs (SECURITY.md: rotation with overlap)."""
    endpoint.previous_secret_encrypted = endpoint.secret_encrypted
    endpoint.previous_valid_until = now + timedelta(seconds=settings.INGEST_SECRET_OVERLAP_SECONDS)
    endpoint.secret_encrypted = secret_encrypt(secret_new())
    endpoint.rotated_at = now
    endpoint.save(
        update_fields=[
            "previous_secret_encrypted",
            "previous_valid_until",
            "secret_encrypted",
            "rotated_at",
            "updated_at",
        ]
    )


def ingest_secrets(*, endpoint: IngestEndpoint, now: datetime) -> list[str]:
    """The secrets a signature may be made with: the current one, and the previous one
    while its overlap lasts. Raises core.secrets.SecretUnreadable."""
    found = [secret_decrypt(endpoint.secret_encrypted)]
    if (
        endpoint.previous_secret_encrypted
        and endpoint.previous_valid_until
        and now < endpoint.previous_valid_until
    ):
        found.append(secret_decrypt(endpoint.previous_secret_encrypted))
    return found


def _lock(workflow: CandidateWorkflow) -> None:
    """Serialise live writes per workflow, so two runs of one day never derive its
    aggregates from views that miss each other."""
    CandidateWorkflow.objects.select_for_update().filter(pk=workflow.pk).first()


def _ingested_run(
    *,
    workflow: CandidateWorkflow,
    run: RunRecord,
    channel: str,
    now: datetime,
    message_id: str = "",
) -> IngestedRun:
    """The unsaved row of one received ``run`` (its content digest, the message id cut to
    the column's 120 characters)."""
    return IngestedRun(
        workflow=workflow,
        run_id=run.run_id,
        channel=channel,
        started_at=run.started_at,
        ended_at=run.ended_at,
        status=run.status,
        arm=run.arm,
        steps_total=run.steps_total,
        steps_succeeded=run.steps_succeeded,
        ai_steps=run.ai_steps,
        stopped_at_step=run.stopped_at_step,
        cost_usd=run.cost_usd,
        digest=run_digest(run),
        message_id=message_id[:120],
        received_at=now,
    )


def run_ingest(
    *,
    workflow: CandidateWorkflow,
    run: RunRecord,
    channel: str,
    now: datetime,
    message_id: str = "",
) -> Outcome:
    """Store one received run and derive its day's aggregates again. Idempotent on the run
    id: the same run again is UNCHANGED (nothing written); the same id with other content,
    or a message id already used for another run, raises IngestConflict."""
    digest = run_digest(run)
    with transaction.atomic():
        _lock(workflow)
        existing = IngestedRun.objects.filter(workflow=workflow, run_id=run.run_id).first()
        if existing is not None:
            if existing.digest == digest:
                return Outcome.UNCHANGED
            raise IngestConflict(
                f"Run {run.run_id} was received before with other values; it was not changed."
            )
        if (
            message_id
            and IngestedRun.objects.filter(workflow=workflow, message_id=message_id).exists()
        ):
            raise IngestConflict(f"Message id {message_id} was already used for another run.")
        try:
            with transaction.atomic():
                _ingested_run(
                    workflow=workflow, run=run, channel=channel, now=now, message_id=message_id
                ).save()
        except IntegrityError as exc:  # a concurrent insert on a database without the lock
            raise IngestConflict(f"Run {run.run_id} arrived twice at once; send it again.") from exc
        live_days_refresh(workflow=workflow, days=[run.started_at.date()])
    return Outcome.CREATED


@dataclass(frozen=True)
class EventRecord:
    """A downstream event tied to a run: ``kind`` booked_call | opportunity | closed_won,
    ``occurred_at`` aware."""

    event_id: str
    kind: str
    occurred_at: datetime
    run_id: str


def event_ingest(*, workflow: CandidateWorkflow, event: EventRecord) -> Outcome:
    """Store a downstream event of a received run, in the run's arm. Idempotent on the event
    id (the same event again: UNCHANGED; other content: IngestConflict). Raises RunNotFound
    when the workflow never received that run."""
    with transaction.atomic():
        _lock(workflow)
        run = IngestedRun.objects.filter(workflow=workflow, run_id=event.run_id).first()
        if run is None:
            raise RunNotFound(event.run_id)
        existing = DownstreamEvent.objects.filter(
            workflow=workflow, event_id=event.event_id
        ).first()
        if existing is not None:
            same = (existing.kind, existing.occurred_at, existing.run_id) == (
                event.kind,
                event.occurred_at,
                event.run_id,
            )
            if same:
                return Outcome.UNCHANGED
            raise IngestConflict(
                f"Event {event.event_id} was received before with other values; it was not changed."
            )
        DownstreamEvent.objects.create(
            workflow=workflow,
            event_id=event.event_id,
            occurred_at=event.occurred_at,
            kind=event.kind,
            arm=run.arm,
            run_id=event.run_id,
        )
    return Outcome.CREATED


def runs_ingest_new(
    *, workflow: CandidateWorkflow, runs: list[RunRecord], channel: str, now: datetime
) -> int:
    """Store the runs whose ids the workflow has not received yet (a known id is left as
    it is, whatever its content: a pulled execution that was also pushed stays the pushed
    run), derive their days' aggregates again, and return how many were added."""
    with transaction.atomic():
        _lock(workflow)
        ids = [run.run_id for run in runs]
        known = set(
            IngestedRun.objects.filter(workflow=workflow, run_id__in=ids).values_list(
                "run_id", flat=True
            )
        )
        fresh = {run.run_id: run for run in runs if run.run_id not in known}
        IngestedRun.objects.bulk_create(
            _ingested_run(workflow=workflow, run=run, channel=channel, now=now)
            for run in fresh.values()
        )
        live_days_refresh(workflow=workflow, days=[run.started_at.date() for run in fresh.values()])
    return len(fresh)
