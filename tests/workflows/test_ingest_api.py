"""The run-ingest API: signed, idempotent on the run id, conflicts reported, rate-limited,
and every refusal an RFC 9457 problem-details body."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from core.secrets import secret_decrypt
from workflows.data.selectors import review_frames
from workflows.ingest.services import ingest_endpoint_create, ingest_endpoint_rotate
from workflows.models import DownstreamEvent, IngestedRun, RunDay

from .ingest_helpers import post_signed, run_body, signed_headers

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(workflow):
    return ingest_endpoint_create(workflow=workflow, organization=workflow.organization)


def assert_problem(reply, status):
    assert reply.status_code == status, reply.content
    assert reply["Content-Type"] == "application/problem+json"
    body = reply.json()
    assert body["status"] == status and body["title"] and body["type"] and body["detail"]
    return body


def test_a_signed_run_is_stored_and_counted_in_the_review(endpoint):
    reply = post_signed(endpoint, "runs", run_body("r-1", status="failed", stopped_at_step="Draft"))
    assert reply.status_code == 201
    assert reply.json() == {"id": "r-1", "result": "created"}
    run = IngestedRun.objects.get()
    assert (run.run_id, run.status, run.stopped_at_step, run.channel) == (
        "r-1",
        "failed",
        "Draft",
        "api",
    )
    runs = review_frames(workflow=endpoint.workflow).runs_daily
    assert runs[["status", "runs", "stopped_at_step"]].to_dict("records") == [
        {"status": "failed", "runs": 1, "stopped_at_step": "Draft"}
    ]


def test_a_resend_changes_nothing(endpoint):
    body = run_body("r-1")
    assert post_signed(endpoint, "runs", body).status_code == 201
    again = post_signed(endpoint, "runs", body)
    assert again.status_code == 200 and again.json()["result"] == "unchanged"
    assert IngestedRun.objects.count() == 1
    assert sum(RunDay.objects.values_list("runs", flat=True)) == 1


def test_the_same_run_id_with_another_body_is_a_conflict(endpoint):
    assert post_signed(endpoint, "runs", run_body("r-1")).status_code == 201
    reply = post_signed(endpoint, "runs", run_body("r-1", status="failed", steps_succeeded=1))
    body = assert_problem(reply, 409)
    assert "r-1" in body["detail"]
    assert IngestedRun.objects.get().status == "succeeded"


def test_a_reused_message_id_for_another_run_is_a_conflict(endpoint):
    assert post_signed(endpoint, "runs", run_body("r-1"), msg_id="msg_1").status_code == 201
    assert_problem(post_signed(endpoint, "runs", run_body("r-2"), msg_id="msg_1"), 409)
    assert IngestedRun.objects.count() == 1


@pytest.mark.parametrize(
    "tamper",
    ["unsigned", "wrong secret", "body changed", "too old", "too new", "garbage signature"],
)
def test_a_request_that_does_not_verify_is_refused(endpoint, tamper):
    raw = json.dumps(run_body()).encode()
    secret = secret_decrypt(endpoint.secret_encrypted)
    now = datetime.now(tz=UTC)
    headers = signed_headers(secret, raw)
    if tamper == "unsigned":
        headers = {}
    elif tamper == "wrong secret":
        headers = signed_headers("whsec_" + "QUJD" * 8, raw)
    elif tamper == "body changed":
        raw = raw.replace(b'"orchestrated"', b'"baseline"')
    elif tamper == "too old":
        headers = signed_headers(secret, raw, at=now - timedelta(minutes=6))
    elif tamper == "too new":
        headers = signed_headers(secret, raw, at=now + timedelta(minutes=6))
    else:
        headers["webhook-signature"] = "v1"
    reply = Client().post(
        f"/api/ingest/{endpoint.key}/runs", raw, content_type="application/json", headers=headers
    )
    assert_problem(reply, 401)
    assert not IngestedRun.objects.exists()


@pytest.mark.parametrize("key", ["00000000-0000-4000-8000-000000000000", "not-a-key"])
def test_an_unknown_endpoint_answers_as_a_bad_signature(endpoint, key):
    raw = json.dumps(run_body()).encode()
    headers = signed_headers(secret_decrypt(endpoint.secret_encrypted), raw)
    reply = Client().post(
        f"/api/ingest/{key}/runs",
        raw,
        content_type="application/json",
        headers=headers,
    )
    assert_problem(reply, 401)


def test_after_a_rotation_the_old_secret_works_during_the_overlap_only(endpoint):
    old = secret_decrypt(endpoint.secret_encrypted)
    ingest_endpoint_rotate(endpoint=endpoint, now=timezone.now())
    endpoint.refresh_from_db()
    assert secret_decrypt(endpoint.secret_encrypted) != old
    assert post_signed(endpoint, "runs", run_body("r-old"), secret=old).status_code == 201
    assert post_signed(endpoint, "runs", run_body("r-new")).status_code == 201
    ingest_endpoint_rotate(endpoint=endpoint, now=timezone.now() - timedelta(days=2))
    endpoint.refresh_from_db()
    # The overlap of that rotation ended a day ago: the secret before it is refused.
    previous = secret_decrypt(endpoint.previous_secret_encrypted)
    assert_problem(post_signed(endpoint, "runs", run_body("r-late"), secret=previous), 401)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"steps_succeeded": 5}, "steps_succeeded"),
        ({"ai_steps": 9}, "ai_steps"),
        ({"status": "maybe"}, "status"),
        ({"started_at": "2026-03-02T09:00:00"}, "started_at"),
        ({"finished_at": "2000-01-01T00:00:00Z"}, "ended_at"),
        ({"cost_usd": -1}, "cost_usd"),
    ],
)
def test_an_invalid_run_is_refused_with_its_field_named(endpoint, changes, field):
    body = assert_problem(post_signed(endpoint, "runs", run_body(**changes)), 422)
    assert any(field in ".".join(e["loc"]) for e in body["errors"]), body
    assert not IngestedRun.objects.exists()


def test_a_body_that_is_not_json_is_a_problem_not_a_500(endpoint):
    assert_problem(post_signed(endpoint, "runs", b"{not json"), 400)


@override_settings(RATELIMIT_INGEST="3/m")
def test_the_ingest_is_rate_limited(endpoint):
    replies = [post_signed(endpoint, "runs", run_body(f"r-{i}")) for i in range(4)]
    assert [r.status_code for r in replies[:3]] == [201, 201, 201]
    assert_problem(replies[3], 429)
    assert int(replies[3]["Retry-After"]) >= 1


def test_a_downstream_event_is_tied_to_its_run_and_its_arm(endpoint):
    post_signed(endpoint, "runs", run_body("r-1", arm="baseline"))
    event = {
        "event_id": "e-1",
        "kind": "booked_call",
        "occurred_at": timezone.now().isoformat(),
        "run_id": "r-1",
    }
    assert post_signed(endpoint, "events", event).status_code == 201
    assert post_signed(endpoint, "events", event).json()["result"] == "unchanged"
    stored = DownstreamEvent.objects.get()
    assert (stored.kind, stored.arm, stored.run_id) == ("booked_call", "baseline", "r-1")
    assert_problem(post_signed(endpoint, "events", {**event, "kind": "opportunity"}), 409)
    assert_problem(
        post_signed(endpoint, "events", {**event, "event_id": "e-2", "run_id": "x"}), 422
    )


def test_the_openapi_schema_is_published(client):
    schema = client.get("/api/ingest/openapi.json").json()
    assert {"/api/ingest/{key}/runs", "/api/ingest/{key}/events"} <= set(schema["paths"])


@pytest.mark.parametrize(
    ("method", "path"), [("get", "/api/ingest/"), ("get", "/api/ingest/k/runs")]
)
def test_the_apis_other_answers_are_problem_details_too(client, method, path):
    reply = getattr(client, method)(path)
    assert_problem(reply, 404 if path == "/api/ingest/" else 405)
