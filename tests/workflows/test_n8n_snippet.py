"""The n8n snippets the data page offers: valid n8n workflow JSON our own n8n importer
reads, built from the workflow's ingest URL, and a Code node whose signature verifies."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from standardwebhooks import Webhook

from workflows.ingest.n8n_snippet import error_workflow, outcome_workflow
from workflows.ingest.selectors import live_panel_get
from workflows.ingest.services import ingest_endpoint_create
from workflows.maps.exchange.n8n import map_from_n8n
from workflows.models import IngestedRun

URL = "https://app.example.com/api/ingest/5f0c6f1e-0000-4000-8000-000000000001/runs"
SECRET = "whsec_" + "c2VjcmV0LWJ5dGVzLWZvci10ZXN0aW5nLTEyMzQ1Ng=="
STEPS = ["Webhook", "Enrich the lead", "Draft reply", "Send SMS"]
NODE = shutil.which("node")


def outcome():
    return outcome_workflow(
        runs_url=URL, secret=SECRET, arm="orchestrated", steps_total=4, ai_steps=2
    )


def errors():
    return error_workflow(
        runs_url=URL, secret=SECRET, arm="orchestrated", step_names=STEPS, ai_steps=2
    )


def node_named(workflow, name):
    return next(n for n in workflow["nodes"] if n["name"] == name)


def test_the_outcome_snippet_is_an_n8n_workflow_our_importer_reads():
    snippet = json.loads(json.dumps(outcome()))  # as pasted: plain JSON
    imported = map_from_n8n(snippet)
    assert [s.name for s in imported.map.steps] == [
        "Mark the run start",
        "Your workflow's steps",
        "Sign the run outcome",
        "Post the run outcome",
    ]
    post = node_named(snippet, "Post the run outcome")
    assert post["type"] == "n8n-nodes-base.httpRequest"
    assert post["parameters"]["method"] == "POST"
    assert json.dumps(URL) in node_named(snippet, "Sign the run outcome")["parameters"]["jsCode"]


def test_the_error_snippet_starts_from_an_error_trigger_and_posts_the_failed_run():
    snippet = json.loads(json.dumps(errors()))
    imported = map_from_n8n(snippet)
    assert "Error Trigger" in imported.map.trigger
    assert [s.name for s in imported.map.steps] == ["Sign the failed run", "Post the failed run"]


def run_code_node(code: str, *, json_input: dict) -> dict:
    """Run a Code node's JavaScript with node, standing in for n8n's ``$execution`` and
    ``$input`` (as n8n's Code node provides them), and return its first item's json."""
    harness = f"""
const store = {{ run_started_at: '2026-03-02T09:00:00.000Z' }};
const $execution = {{ id: '42', customData: {{ get: k => store[k], set: (k, v) => {{ store[k] = v; }} }} }};
const $input = {{ first: () => ({{ json: {json.dumps(json_input)} }}), all: () => [] }};
const out = (function () {{ {code} }})();
process.stdout.write(JSON.stringify(out[0].json));
"""
    done = subprocess.run(
        [NODE, "-e", harness], capture_output=True, text=True, timeout=30, check=True
    )
    return json.loads(done.stdout)


@pytest.mark.skipif(NODE is None, reason="node is not installed: the Code node's JS is not run")
@pytest.mark.parametrize("which", ["outcome", "errors"])
def test_the_code_nodes_signature_verifies_with_standard_webhooks(which):
    if which == "outcome":
        code = node_named(outcome(), "Sign the run outcome")["parameters"]["jsCode"]
        item = run_code_node(code, json_input={})
    else:
        code = node_named(errors(), "Sign the failed run")["parameters"]["jsCode"]
        failed = {"execution": {"id": "42", "lastNodeExecuted": "Draft reply"}}
        item = run_code_node(code, json_input=failed)
    headers = {
        "webhook-id": item["webhook_id"],
        "webhook-timestamp": item["webhook_timestamp"],
        "webhook-signature": item["webhook_signature"],
    }
    body = Webhook(SECRET).verify(item["body"], headers)
    assert item["url"] == URL
    assert body["run_id"] == "n8n-42"  # as the pull names the same execution
    if which == "outcome":
        assert (body["status"], body["steps_succeeded"], body["started_at"]) == (
            "succeeded",
            4,
            "2026-03-02T09:00:00.000Z",
        )
    else:
        assert (body["status"], body["stopped_at_step"], body["steps_succeeded"]) == (
            "failed",
            "Draft reply",
            2,
        )
    assert datetime.fromisoformat(body["finished_at"]).tzinfo is not None
    assert abs(datetime.now(tz=UTC).timestamp() - int(item["webhook_timestamp"])) < 300


@pytest.mark.skipif(NODE is None, reason="node is not installed: the Code node's JS is not run")
@pytest.mark.django_db
def test_what_the_pages_snippet_posts_is_accepted_by_the_ingest_api(workflow):
    ingest_endpoint_create(workflow=workflow, organization=workflow.organization)
    panel = live_panel_get(workflow=workflow, now=timezone.now())
    snippet = json.loads(panel.error_snippet)
    item = run_code_node(
        node_named(snippet, "Sign the failed run")["parameters"]["jsCode"],
        json_input={"execution": {"id": "7", "lastNodeExecuted": "Send SMS"}},
    )
    assert item["url"] == panel.runs_url
    reply = Client().post(
        urlsplit(item["url"]).path,
        item["body"],
        content_type="application/json",
        headers={
            "webhook-id": item["webhook_id"],
            "webhook-timestamp": item["webhook_timestamp"],
            "webhook-signature": item["webhook_signature"],
        },
    )
    assert reply.status_code == 201, reply.content
    assert IngestedRun.objects.get().run_id == "n8n-7"
