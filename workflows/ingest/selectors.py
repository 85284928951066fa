"""Reads for the data page's live-runs panel: the endpoint, recent runs, day sources, the
n8n connection and the snippets. A fixed number of queries, whatever the runs stored."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from core.links import absolute_url
from core.secrets import SecretUnreadable, secret_decrypt

from ..models import CandidateWorkflow, IngestedRun, IngestEndpoint, N8nConnection, Step
from .days import DaySource, day_sources
from .n8n_snippet import error_workflow, outcome_workflow

RECENT_RUNS = 20


@dataclass(frozen=True)
class LivePanel:
    """What the data page shows of live runs. ``secret`` is "" when there is no endpoint
    or its secret cannot be read; the snippets are JSON text ("" without an endpoint)."""

    endpoint: IngestEndpoint | None
    runs_url: str
    events_url: str
    secret: str
    previous_valid_until: datetime | None
    recent_runs: list[IngestedRun]
    days: list[DaySource]
    connection: N8nConnection | None
    outcome_snippet: str
    error_snippet: str


def _readable_secret(endpoint: IngestEndpoint | None) -> str:
    """The endpoint's current secret, or "" without one or when no key decrypts it."""
    if endpoint is None:
        return ""
    try:
        return secret_decrypt(endpoint.secret_encrypted)
    except SecretUnreadable:
        return ""


def live_panel_get(*, workflow: CandidateWorkflow, now: datetime) -> LivePanel:
    endpoint = IngestEndpoint.objects.filter(workflow=workflow).first()
    connection = N8nConnection.objects.filter(workflow=workflow).first()
    recent = list(IngestedRun.objects.filter(workflow=workflow)[:RECENT_RUNS])
    days = day_sources(workflow=workflow)
    runs_url = events_url = outcome = errors = ""
    shown_secret = _readable_secret(endpoint)
    previous = None
    if endpoint is not None:
        runs_url = absolute_url(reverse("ingest-api:runs", kwargs={"key": endpoint.key}))
        events_url = absolute_url(reverse("ingest-api:events", kwargs={"key": endpoint.key}))
        if endpoint.previous_valid_until and endpoint.previous_valid_until > now:
            previous = endpoint.previous_valid_until
        steps = list(
            Step.objects.filter(map__workflow=workflow, map__kind="future")
            .order_by("position")
            .values_list("name", "actor")
        )
        ai = sum(actor == Step.Actor.AI for _name, actor in steps)
        names = [name for name, _actor in steps]
        outcome = json.dumps(
            outcome_workflow(
                runs_url=runs_url,
                secret=shown_secret,
                arm="orchestrated",
                steps_total=len(names),
                ai_steps=ai,
            ),
            indent=2,
        )
        errors = json.dumps(
            error_workflow(
                runs_url=runs_url,
                secret=shown_secret,
                arm="orchestrated",
                step_names=names,
                ai_steps=ai,
            ),
            indent=2,
        )
    return LivePanel(
        endpoint=endpoint,
        runs_url=runs_url,
        events_url=events_url,
        secret=shown_secret,
        previous_valid_until=previous,
        recent_runs=recent,
        days=days,
        connection=connection,
        outcome_snippet=outcome,
        error_snippet=errors,
    )
