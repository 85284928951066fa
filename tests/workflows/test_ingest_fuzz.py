"""Fuzz the run-ingest API from its own OpenAPI schema with schemathesis: no 500, and every
4xx is an RFC 9457 problem-details body.

A ``before_call`` hook signs each generated request (Standard Webhooks, over the exact body
sent) for a real endpoint, or schemathesis would only ever meet 401. Rate limits are off for
this run (RATELIMIT_INGEST "off"). Bounded (max_examples) and derandomized, so the run is
quick and the same every time; a failure prints the case to reproduce it.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.core import NotSet

from core.secrets import secret_decrypt
from tests.workflows.ingest_helpers import signed_headers
from workflows.ingest.services import ingest_endpoint_create
from workflows.models import CandidateWorkflow

# The endpoint the hook signs for (set by the fixture of the test that runs).
SIGNING: dict[str, str] = {}


@schemathesis.hook
def before_call(context, case, kwargs):
    """Point the request at the test's endpoint and sign the body it will send."""
    if not SIGNING:
        return
    case.path_parameters = {**(case.path_parameters or {}), "key": SIGNING["key"]}
    body = b""
    if isinstance(case.body, bytes):  # a negative case: raw bytes, sent as they are
        body = case.body
        kwargs["data"] = body
    elif not isinstance(case.body, NotSet):
        body = json.dumps(case.body).encode()
        kwargs["data"] = body
        case.headers = {**(case.headers or {}), "Content-Type": "application/json"}
    case.headers = {**(case.headers or {}), **signed_headers(SIGNING["secret"], body)}


@schemathesis.check
def problem_details_on_4xx(ctx, response, case):
    """Every 4xx answers application/problem+json with type, title, status and detail."""
    if not 400 <= response.status_code < 500:
        return None
    content_type = {k.lower(): v for k, v in response.headers.items()}.get("content-type", [""])
    assert content_type[0].startswith("application/problem+json"), (
        f"{response.status_code} without a problem-details body"
    )
    body = json.loads(response.content)
    assert body["status"] == response.status_code
    assert all(isinstance(body[k], str) and body[k] for k in ("type", "title", "detail"))
    return None


# The schema as the app publishes it (no database needed to serve it).
schema = schemathesis.openapi.from_wsgi("/api/ingest/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go through Django's WSGI handler, not its test client: keep the test's
    database connection open across them, as the test client does (it disconnects
    ``close_old_connections`` from the request signals the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def signing_endpoint(db, settings, keep_the_test_connection):
    settings.RATELIMIT_INGEST = "off"
    from core.models import Organization

    organization = Organization.objects.create(name="Fuzz", slug="fuzz")
    workflow = CandidateWorkflow.objects.create(organization=organization, name="Fuzzed")
    endpoint = ingest_endpoint_create(workflow=workflow, organization=organization)
    SIGNING.update(key=str(endpoint.key), secret=secret_decrypt(endpoint.secret_encrypted))
    yield
    SIGNING.clear()


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_ingest_api_never_fails_and_always_explains_a_refusal(case):
    response = case.call()
    case.validate_response(
        response,
        checks=[schemathesis.checks.not_a_server_error, problem_details_on_4xx],
    )
