"""The n8n workflows the data page offers, built from the workflow's own ingest URL.

Pure module: standard library only. n8n's HTTP Request node cannot sign a request, so a
Code node computes the Standard Webhooks signature (HMAC-SHA256 over "id.timestamp.body"
with the secret's base64-decoded bytes, base64 "v1,<mac>") with Node's ``crypto`` module,
which n8n's Code node may require once ``NODE_FUNCTION_ALLOW_BUILTIN=crypto`` is set (n8n
docs, "Enable modules in Code node"); the HTTP Request node then posts the exact body the
Code node signed, as raw JSON, with the three headers.

- ``outcome_workflow``: "Mark the run start" (a Code node to put right after the trigger:
  it keeps the start time in the execution's custom data) and "Sign the run outcome" plus
  "Post the run outcome" (to connect after the last step). It comes as a whole workflow
  with a Manual Trigger and a placeholder step, so it imports on its own; paste its nodes
  into the real workflow and connect them.
- ``error_workflow``: an Error Trigger workflow that posts the failed run (stopped at the
  execution's ``lastNodeExecuted``; the steps before it in the future-state map count as
  succeeded); set it as the workflow's error workflow in n8n. The Error Trigger does not
  carry the failed execution's start, so that run starts and ends when the error workflow
  runs; the pull path reads the real times (a run id already pushed is not pulled again).

Both send ``run_id`` "n8n-<execution id>", as the pull path names runs, so a run that is
both pushed and pulled is one run.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from typing import Any

MARK_START = "Mark the run start"
SIGN_OUTCOME = "Sign the run outcome"
POST_OUTCOME = "Post the run outcome"
SIGN_FAILED = "Sign the failed run"
POST_FAILED = "Post the failed run"
# The nodes these snippets add to a team's n8n: the app's measuring, not the workflow's
# steps, so a pulled execution does not count them (workflows.ingest.n8n_runs).
SNIPPET_NODE_NAMES = frozenset({MARK_START, SIGN_OUTCOME, POST_OUTCOME, SIGN_FAILED, POST_FAILED})

SIGN_JS = """const crypto = require('crypto');
function signed(body) {
  const id = 'msg_' + crypto.randomUUID();
  const timestamp = Math.floor(Date.now() / 1000).toString();
  const key = Buffer.from(SECRET.replace(/^whsec_/, ''), 'base64');
  const mac = crypto.createHmac('sha256', key)
    .update(id + '.' + timestamp + '.' + body).digest('base64');
  return { url: URL, body, webhook_id: id, webhook_timestamp: timestamp,
           webhook_signature: 'v1,' + mac };
}
"""

OUTCOME_JS = """// Posts this run's outcome to the benchmark's run log, signed (Standard Webhooks).
const URL = {url};
const SECRET = {secret};
const ARM = {arm};
const STEPS_TOTAL = {steps_total};
const AI_STEPS = {ai_steps};
{sign}
const finished = new Date().toISOString();
const body = JSON.stringify({{
  run_id: 'n8n-' + $execution.id,
  started_at: $execution.customData.get('run_started_at') || finished,
  finished_at: finished,
  status: 'succeeded',
  arm: ARM,
  steps_total: STEPS_TOTAL,
  steps_succeeded: STEPS_TOTAL,
  ai_steps: AI_STEPS,
  stopped_at_step: '',
}});
return [{{ json: signed(body) }}];
"""

ERROR_JS = """// Posts a failed run to the benchmark's run log (Standard Webhooks signature).
const URL = {url};
const SECRET = {secret};
const ARM = {arm};
const STEP_NAMES = {step_names};
const AI_STEPS = {ai_steps};
{sign}
const failed = $input.first().json.execution || {{}};
const now = new Date().toISOString();
const stopped = String(failed.lastNodeExecuted || '').slice(0, 200);
const reached = STEP_NAMES.indexOf(stopped);
const body = JSON.stringify({{
  run_id: 'n8n-' + failed.id,
  started_at: now,
  finished_at: now,
  status: 'failed',
  arm: ARM,
  steps_total: STEP_NAMES.length,
  steps_succeeded: reached > 0 ? reached : 0,
  ai_steps: Math.min(AI_STEPS, STEP_NAMES.length),
  stopped_at_step: stopped,
}});
return [{{ json: signed(body) }}];
"""

MARK_START_JS = """// Keeps the run's start time for "Sign the run outcome".
$execution.customData.set('run_started_at', new Date().toISOString());
return $input.all();
"""


def _code_node(name: str, code: str, x: int) -> dict[str, Any]:
    return {
        "parameters": {"jsCode": code},
        "name": name,
        "type": "n8n-nodes-base.code",
        "typeVersion": 2,
        "position": [x, 300],
        "id": name.lower().replace(" ", "-"),
    }


def _post_node(name: str, x: int) -> dict[str, Any]:
    """An HTTP Request node posting the signed body the previous Code node made."""
    header = [
        {"name": "webhook-id", "value": "={{ $json.webhook_id }}"},
        {"name": "webhook-timestamp", "value": "={{ $json.webhook_timestamp }}"},
        {"name": "webhook-signature", "value": "={{ $json.webhook_signature }}"},
    ]
    return {
        "parameters": {
            "method": "POST",
            "url": "={{ $json.url }}",
            "sendHeaders": True,
            "headerParameters": {"parameters": header},
            "sendBody": True,
            "contentType": "raw",
            "rawContentType": "application/json",
            "body": "={{ $json.body }}",
            "options": {},
        },
        "name": name,
        "type": "n8n-nodes-base.httpRequest",
        "typeVersion": 4.2,
        "position": [x, 300],
        "id": name.lower().replace(" ", "-"),
        "retryOnFail": True,
        "maxTries": 3,
        "waitBetweenTries": 2000,
    }


def _workflow(name: str, nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """An n8n workflow export named ``name`` whose ``nodes`` run one after another."""
    return {
        "name": name,
        "nodes": nodes,
        "connections": _chain([n["name"] for n in nodes]),
        "settings": {"executionOrder": "v1"},
    }


def _chain(names: Sequence[str]) -> dict[str, Any]:
    return {
        a: {"main": [[{"node": b, "type": "main", "index": 0}]]}
        for a, b in itertools.pairwise(names)
    }


def outcome_workflow(
    *, runs_url: str, secret: str, arm: str, steps_total: int, ai_steps: int
) -> dict[str, Any]:
    """The "post the run's outcome at the end" workflow (see the module docstring)."""
    code = OUTCOME_JS.format(
        url=json.dumps(runs_url),
        secret=json.dumps(secret),
        arm=json.dumps(arm),
        steps_total=int(steps_total),
        ai_steps=int(ai_steps),
        sign=SIGN_JS,
    )
    nodes = [
        {
            "parameters": {},
            "name": "Start",
            "type": "n8n-nodes-base.manualTrigger",
            "typeVersion": 1,
            "position": [0, 300],
            "id": "start",
        },
        _code_node(MARK_START, MARK_START_JS, 220),
        {
            "parameters": {},
            "name": "Your workflow's steps",
            "type": "n8n-nodes-base.noOp",
            "typeVersion": 1,
            "position": [440, 300],
            "id": "your-steps",
        },
        _code_node(SIGN_OUTCOME, code, 660),
        _post_node(POST_OUTCOME, 880),
    ]
    return _workflow("Run log: post the outcome", nodes)


def error_workflow(
    *, runs_url: str, secret: str, arm: str, step_names: Sequence[str], ai_steps: int
) -> dict[str, Any]:
    """The Error Trigger workflow that posts failed runs (see the module docstring)."""
    code = ERROR_JS.format(
        url=json.dumps(runs_url),
        secret=json.dumps(secret),
        arm=json.dumps(arm),
        step_names=json.dumps(list(step_names)),
        ai_steps=int(ai_steps),
        sign=SIGN_JS,
    )
    nodes = [
        {
            "parameters": {},
            "name": "Error Trigger",
            "type": "n8n-nodes-base.errorTrigger",
            "typeVersion": 1,
            "position": [0, 300],
            "id": "error-trigger",
        },
        _code_node(SIGN_FAILED, code, 220),
        _post_node(POST_FAILED, 440),
    ]
    return _workflow("Run log: post failed runs", nodes)
