"""The run-ingest API (django-ninja): runs and downstream events pushed by a workflow.

``POST /api/ingest/<key>/runs`` and ``POST /api/ingest/<key>/events``, where ``<key>`` is
the workflow's public ingest key (``IngestEndpoint.key``); the OpenAPI schema is published
at ``/api/ingest/openapi.json`` (no docs page: it would load its scripts from a CDN).

Authentication is the request's signature, per the Standard Webhooks specification
(``standardwebhooks``): ``webhook-id``, ``webhook-timestamp`` (within the library's
tolerance, 5 minutes) and ``webhook-signature`` (HMAC-SHA256 of "id.timestamp.body" under
the endpoint's secret, or the previous secret during a rotation's overlap). There are no
cookies, so CSRF does not apply: these views are CSRF-exempt by design (ninja's default
without cookie authentication), and the CSRF sweep checks exactly these names.

Answers: 201 a new run or event; 200 the same one again (nothing changed); every 4xx is an
RFC 9457 problem-details body (``application/problem+json``): 401 an unknown endpoint or a
bad signature (indistinguishable on purpose), 409 the same id with other content, 422 a
body that fails validation, 429 over ``RATELIMIT_INGEST`` (per endpoint and client address,
with Retry-After).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from functools import wraps
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from django_ratelimit.core import get_usage
from ninja import Field, NinjaAPI, Path, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import AwareDatetime
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from core.secrets import SecretUnreadable
from core.throttle import client_ip

from ..models import IngestedRun, IngestEndpoint
from .payloads import MAX_STEPS, RunRefused, run_check
from .problems import problem_response
from .services import (
    EventRecord,
    IngestConflict,
    Outcome,
    RunNotFound,
    event_ingest,
    ingest_secrets,
    run_ingest,
)

logger = logging.getLogger(__name__)


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


# The path's key is any string (a malformed one answers 401 like an unknown one, not an
# HTML 404); the schema says what a real one looks like.
IngestKey = Annotated[str, Path(description="The workflow's ingest key (a UUID)", max_length=64)]


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str


class RunIn(Schema):
    """One run of the workflow, sent when it ends."""

    run_id: str = Field(..., min_length=1, max_length=100, description="Unique per workflow")
    started_at: AwareDatetime
    finished_at: AwareDatetime | None = None
    status: Literal["succeeded", "failed", "running"]
    arm: Literal["orchestrated", "baseline"]
    steps_total: int = Field(..., ge=0, le=MAX_STEPS)
    steps_succeeded: int = Field(..., ge=0, le=MAX_STEPS)
    ai_steps: int = Field(..., ge=0, le=MAX_STEPS, description="AI-driven steps executed")
    stopped_at_step: str = Field("", max_length=200, description="Where it stopped, if it did")
    cost_usd: Decimal | None = Field(None, ge=0, lt=10**8, decimal_places=4)


class EventIn(Schema):
    """A downstream event (booked call, opportunity, closed-won) of a received run."""

    event_id: str = Field(..., min_length=1, max_length=100)
    kind: Literal["booked_call", "opportunity", "closed_won"]
    occurred_at: AwareDatetime
    run_id: str = Field(..., min_length=1, max_length=100)


class Received(Schema):
    id: str
    result: Literal["created", "unchanged"]


def _rate_limit(request: HttpRequest, key: str) -> None:
    rate = settings.RATELIMIT_INGEST
    if rate in ("", "off"):
        return
    try:
        usage = get_usage(
            request,
            group=f"ingest:{key}",
            key=lambda _group, req: client_ip(req),
            rate=rate,
            increment=True,
        )
    except Exception:  # the cache's own errors: an outage must not stop ingest
        logger.warning("ingest rate limit not checked: cache unavailable", exc_info=True)
        return
    if usage is not None and usage["should_limit"]:
        raise RateLimited(max(1, int(usage["time_left"])))


class SignedRequest:
    """ninja auth: rate limit, then find the endpoint of the URL's key and verify the
    Standard Webhooks signature of the raw body. Returns the endpoint (``request.auth``)."""

    def __call__(self, request: HttpRequest) -> IngestEndpoint | None:
        match = request.resolver_match
        key = str(match.kwargs.get("key", "")) if match else ""
        _rate_limit(request, key)
        try:
            endpoint = IngestEndpoint.objects.select_related("workflow").get(key=uuid.UUID(key))
        except (ValueError, IngestEndpoint.DoesNotExist):
            return None
        headers = {
            name: request.headers.get(name, "")
            for name in ("webhook-id", "webhook-timestamp", "webhook-signature")
        }
        try:
            secrets = ingest_secrets(endpoint=endpoint, now=timezone.now())
        except SecretUnreadable:
            logger.error("ingest endpoint %s: secret unreadable under the configured keys", key)
            return None
        for secret in secrets:
            try:
                Webhook(secret).verify(request.body, headers, json_parse=False)
            except (WebhookVerificationError, ValueError, UnicodeDecodeError):
                continue
            return endpoint
        return None


api = NinjaAPI(
    title="Run ingest",
    version="1",
    description=__doc__,
    urls_namespace="ingest-api",
    docs_url=None,
    auth=SignedRequest(),
)
ERRORS: dict[int | str, Any] = {401: Problem, 409: Problem, 422: Problem, 429: Problem}


def _received(ident: str, outcome: Outcome) -> Status:
    return Status(
        201 if outcome is Outcome.CREATED else 200, Received(id=ident, result=outcome.value)
    )


@api.post(
    "/{key}/runs",
    response={200: Received, 201: Received, **ERRORS},
    url_name="runs",
    summary="Record one run",
)
def post_run(request: HttpRequest, key: IngestKey, run: RunIn) -> Status:
    """Record a run of the workflow. Idempotent on ``run_id``."""
    endpoint: IngestEndpoint = request.auth  # type: ignore[attr-defined]
    record = run_check(
        run_id=run.run_id,
        started_at=run.started_at,
        ended_at=run.finished_at,
        status=run.status,
        arm=run.arm,
        steps_total=run.steps_total,
        steps_succeeded=run.steps_succeeded,
        ai_steps=run.ai_steps,
        stopped_at_step=run.stopped_at_step,
        cost_usd=run.cost_usd,
        latest=timezone.now() + timedelta(days=1),
    )
    outcome = run_ingest(
        workflow=endpoint.workflow,
        run=record,
        channel=IngestedRun.Channel.API,
        now=timezone.now(),
        message_id=request.headers.get("webhook-id", ""),
    )
    return _received(record.run_id, outcome)


@api.post(
    "/{key}/events",
    response={200: Received, 201: Received, **ERRORS},
    url_name="events",
    summary="Record a downstream event of a run",
)
def post_event(request: HttpRequest, key: IngestKey, event: EventIn) -> Status:
    """Record a booked call, opportunity or closed-won deal tied to a received run.
    Idempotent on ``event_id``; the run must have been received first (else 422)."""
    endpoint: IngestEndpoint = request.auth  # type: ignore[attr-defined]
    outcome = event_ingest(
        workflow=endpoint.workflow,
        event=EventRecord(
            event_id=event.event_id.strip(),
            kind=event.kind,
            occurred_at=event.occurred_at,
            run_id=event.run_id.strip(),
        ),
    )
    return _received(event.event_id.strip(), outcome)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(
        401,
        "Signature not accepted",
        "The endpoint is unknown, or the webhook-id, webhook-timestamp and "
        "webhook-signature headers do not verify (Standard Webhooks; a timestamp more than "
        "5 minutes away from now is refused).",
        kind="signature",
    )


@api.exception_handler(RateLimited)
def _too_many(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = problem_response(
        429, "Too many requests", f"Retry after {exc.retry_after} seconds.", kind="rate-limit"
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    return problem_response(
        422, "Invalid body", "The body does not match the schema.", kind="invalid", errors=errors
    )


@api.exception_handler(RunRefused)
def _refused(request: HttpRequest, exc: RunRefused) -> HttpResponse:
    return problem_response(
        422,
        "Invalid run",
        str(exc),
        kind="invalid",
        errors=[{"loc": ["body", "run", k], "msg": v} for k, v in exc.problems.items()],
    )


@api.exception_handler(IngestConflict)
def _conflict(request: HttpRequest, exc: IngestConflict) -> HttpResponse:
    return problem_response(409, "Conflict", exc.detail, kind="conflict")


@api.exception_handler(RunNotFound)
def _no_run(request: HttpRequest, exc: RunNotFound) -> HttpResponse:
    return problem_response(
        422,
        "Unknown run",
        f"No run {exc} was received for this workflow; send the run before its events.",
        kind="unknown-run",
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(404, "Not found", "There is nothing here.", kind="not-found")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code if 400 <= exc.status_code < 500 else 400
    return problem_response(status, "Bad request", str(exc), kind="bad-request")


def _problem_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ninja answers a method it does not route with a bare 405, and its root (no docs
    page) raises Http404: make both problem details too (keeping ``Allow``). ``wraps`` keeps
    the view's ``csrf_exempt`` mark."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return problem_response(404, "Not found", "There is nothing here.", kind="not-found")
        if response.status_code != 405 or response.get("Content-Type", "").startswith(
            "application/problem+json"
        ):
            return response
        allowed = response.get("Allow", "")
        problem = problem_response(
            405, "Method not allowed", f"This URL takes {allowed}.", kind="method"
        )
        problem["Allow"] = allowed
        return problem

    return wrapped


def ingest_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """``api.urls`` with every answer's 4xx as problem details (for ``include``)."""
    patterns, app_name, namespace = api.urls
    wrapped = [
        URLPattern(p.pattern, _problem_405(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern)
        else p
        for p in patterns
    ]
    return wrapped, app_name, namespace
