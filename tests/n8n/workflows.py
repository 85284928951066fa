"""The workflows the real-n8n tests import into n8n with its CLI, in n8n's own workflow
format (``IWorkflowBase``: packages/workflow/src/interfaces.ts), node types and versions as
n8n 1.123 ships them.

- LEAD_ROUTING: a team's inbound-lead workflow with every feature the map import reads: a
  webhook trigger, retries (one within n8n's limits, one beyond them), a disabled node on
  the path, an AI agent with an attached chat model, an IF branch, an error output
  (``onError: continueErrorOutput``) leading to a logging node, a sticky note, an error
  workflow and the time saved per run in its settings.
- FAILURE_ALERTS: the error workflow LEAD_ROUTING names (an Error Trigger posting to Slack).
- RUN_LOG: a manual workflow to execute from the CLI; a run fails (a Stop and Error node)
  when the variable RUN_FAILS is "yes" in the environment of ``n8n execute``, and
  succeeds otherwise.
- OUTSIDE_CALL: an HTTP Request to a host outside this machine (under ``.example``, a
  name reserved never to resolve), which the tests' loopback guard must refuse.
"""

from __future__ import annotations

from typing import Any

LEAD_ROUTING_ID = "LeadRouting00001"
FAILURE_ALERTS_ID = "FailureAlerts001"
RUN_LOG_ID = "RunLogWorkflow01"
OUTSIDE_CALL_ID = "OutsideCall00001"
OUTSIDE_HOST = "n8n-outside-probe.example"
RUN_FAILS = "BENCHMARK_RUN_FAILS"  # the environment variable RUN_LOG reads


def _node(name: str, node_type: str, version: float, x: int, y: int = 0, **extra: Any) -> dict:
    key = "".join(c for c in name.lower() if c.isalnum())
    return {
        "id": f"{key[:8]:0<8}-0000-4000-8000-000000000000",
        "name": name,
        "type": node_type,
        "typeVersion": version,
        "position": [x, y],
        "parameters": extra.pop("parameters", {}),
        **extra,
    }


def _main(*outputs: tuple[str, ...]) -> dict:
    """A node's "main" connections: one list of target nodes per output index."""
    return {"main": [[{"node": t, "type": "main", "index": 0} for t in out] for out in outputs]}


def _condition(left: str, right: str) -> dict:
    """IF v2 parameters: one string-equals condition."""
    return {
        "conditions": {
            "options": {"caseSensitive": True, "leftValue": "", "typeValidation": "loose"},
            "conditions": [
                {
                    "id": "3f1c2d4e-0000-4000-8000-000000000001",
                    "leftValue": left,
                    "rightValue": right,
                    "operator": {"type": "string", "operation": "equals"},
                }
            ],
            "combinator": "and",
        },
        "options": {},
    }


LEAD_ROUTING: dict[str, Any] = {
    "id": LEAD_ROUTING_ID,
    "name": "Inbound lead routing",
    "active": False,
    "nodes": [
        _node(
            "Inbound lead notes",
            "n8n-nodes-base.stickyNote",
            1,
            -300,
            -260,
            parameters={
                "content": "## Inbound lead\nDemo form -> HubSpot -> AI draft -> reply",
                "height": 200,
                "width": 400,
            },
        ),
        _node(
            "Demo request",
            "n8n-nodes-base.webhook",
            2,
            0,
            parameters={"httpMethod": "POST", "path": "demo-request", "options": {}},
            webhookId="7d1e1a52-0000-4000-8000-000000000001",
        ),
        _node(
            "Find contact",
            "n8n-nodes-base.hubspot",
            2.1,
            220,
            parameters={"operation": "search"},
            retryOnFail=True,
            maxTries=4,
            waitBetweenTries=2000,
        ),
        _node("Enrich company", "n8n-nodes-base.clearbit", 1, 440, disabled=True),
        _node(
            "Draft reply",
            "@n8n/n8n-nodes-langchain.agent",
            1.7,
            660,
            parameters={"promptType": "define", "text": "={{ $json.message }}"},
        ),
        _node(
            "OpenAI chat model",
            "@n8n/n8n-nodes-langchain.lmChatOpenAi",
            1.2,
            660,
            200,
            parameters={"model": {"__rl": True, "mode": "list", "value": "gpt-4o-mini"}},
        ),
        _node(
            "Asks about pricing?",
            "n8n-nodes-base.if",
            2.2,
            880,
            parameters=_condition("={{ $json.topic }}", "pricing"),
        ),
        _node(
            "Alert SDR",
            "n8n-nodes-base.slack",
            2.3,
            1100,
            -100,
            parameters={"select": "channel", "text": "Pricing question"},
            retryOnFail=True,
            maxTries=7,
            waitBetweenTries=9000,
        ),
        _node(
            "Send reply",
            "n8n-nodes-base.gmail",
            2.1,
            1100,
            100,
            parameters={"sendTo": "={{ $json.email }}", "subject": "Your demo"},
            onError="continueErrorOutput",
        ),
        _node(
            "Log failed send",
            "n8n-nodes-base.set",
            3.4,
            1320,
            200,
            parameters={"assignments": {"assignments": []}, "options": {}},
        ),
    ],
    "connections": {
        "Demo request": _main(("Find contact",)),
        "Find contact": _main(("Enrich company",)),
        "Enrich company": _main(("Draft reply",)),
        "OpenAI chat model": {
            "ai_languageModel": [[{"node": "Draft reply", "type": "ai_languageModel", "index": 0}]]
        },
        "Draft reply": _main(("Asks about pricing?",)),
        "Asks about pricing?": _main(("Alert SDR",), ("Send reply",)),
        "Send reply": _main((), ("Log failed send",)),
    },
    "settings": {
        "executionOrder": "v1",
        "errorWorkflow": FAILURE_ALERTS_ID,
        "timeSavedPerExecution": 12,
    },
    "pinData": {},
    "tags": [],
}

FAILURE_ALERTS: dict[str, Any] = {
    "id": FAILURE_ALERTS_ID,
    "name": "Failure alerts",
    "active": False,
    "nodes": [
        _node("Run failed", "n8n-nodes-base.errorTrigger", 1, 0),
        _node(
            "Post failure",
            "n8n-nodes-base.slack",
            2.3,
            220,
            parameters={"select": "channel", "text": "={{ $json.execution.url }}"},
        ),
    ],
    "connections": {"Run failed": _main(("Post failure",))},
    "settings": {"executionOrder": "v1"},
}

RUN_LOG: dict[str, Any] = {
    "id": RUN_LOG_ID,
    "name": "Run log",
    "active": False,
    "nodes": [
        _node("Start", "n8n-nodes-base.manualTrigger", 1, 0),
        _node(
            "Fails this time?",
            "n8n-nodes-base.if",
            2.2,
            220,
            parameters=_condition(f"={{{{ $env.{RUN_FAILS} }}}}", "yes"),
        ),
        _node(
            "Stop",
            "n8n-nodes-base.stopAndError",
            1,
            440,
            -100,
            parameters={"errorMessage": "The run failed on purpose"},
        ),
        _node("Done", "n8n-nodes-base.noOp", 1, 440, 100),
    ],
    "connections": {
        "Start": _main(("Fails this time?",)),
        "Fails this time?": _main(("Stop",), ("Done",)),
    },
    "settings": {"executionOrder": "v1"},
}

OUTSIDE_CALL: dict[str, Any] = {
    "id": OUTSIDE_CALL_ID,
    "name": "Outside call",
    "active": False,
    "nodes": [
        _node("Start", "n8n-nodes-base.manualTrigger", 1, 0),
        _node(
            "Call outside",
            "n8n-nodes-base.httpRequest",
            4.2,
            220,
            parameters={"url": f"http://{OUTSIDE_HOST}/ping", "options": {"timeout": 5000}},
        ),
    ],
    "connections": {"Start": _main(("Call outside",))},
    "settings": {"executionOrder": "v1"},
}

ALL = (LEAD_ROUTING, FAILURE_ALERTS, RUN_LOG, OUTSIDE_CALL)
