"""An n8n execution, as n8n's public API lists it, read as a run.

Pure module: standard library only. The shape is n8n's (github.com/n8n-io/n8n,
packages/cli/src/public-api/v1/handlers/executions/spec/schemas/execution.yml and
executionList.yml; the handler ``getExecutions`` in executions.handler.ts):
``GET /api/v1/executions?workflowId=&includeData=true`` answers
``{"data": [execution, ...], "nextCursor": str | null}``, newest first (id descending),
leaving out executions still running. An execution has ``id`` (a number, sent as a
string by n8n 1.x), ``status`` (canceled, crashed, error, new, running, success, unknown,
waiting), ``startedAt``/``stoppedAt`` (ISO date-times), and with ``includeData`` its
``data`` (``resultData.runData``: node name -> the node's runs, each with
``executionStatus`` and, when it failed, ``error``; ``resultData.lastNodeExecuted``) and
``workflowData`` (the workflow's ``nodes`` with their ``type``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from workflows.maps.exchange.n8n_graph import Node

from .n8n_snippet import SNIPPET_NODE_NAMES
from .payloads import RunRecord, run_check

# n8n status -> ours. The others (new, running, waiting, unknown) are not finished: they
# are left for a later pull.
N8N_STATUS = {"success": "succeeded", "error": "failed", "crashed": "failed", "canceled": "failed"}
RUN_ID_PREFIX = "n8n-"


def n8n_run_id(execution_id: object) -> str:
    """The run id of an n8n execution: "n8n-<id>", as the pushed snippet sends it too, so
    a run both pushed and pulled is one run."""
    return f"{RUN_ID_PREFIX}{execution_id}"


def execution_number(execution: Mapping[str, Any]) -> int:
    """The execution's id as a number (n8n ids increase); ValueError when it has none."""
    return int(str(execution.get("id", "")).strip())


def is_finished(execution: Mapping[str, Any]) -> bool:
    return str(execution.get("status", "")) in N8N_STATUS


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def run_from_execution(
    execution: Mapping[str, Any], *, arm: str, latest: datetime | None = None
) -> RunRecord:
    """The run of a finished execution (``is_finished``). Steps are the nodes that ran
    (``runData``'s keys), except the nodes of the data page's snippets
    (``SNIPPET_NODE_NAMES``: the app's measuring, which a workflow that also pushes holds,
    not the team's steps); a step succeeded when none of its runs failed; AI-driven steps
    are those whose node type names an AI model or agent (as the n8n map import judges,
    ``Node.is_ai``); the stop step is ``lastNodeExecuted`` for a run that did not succeed.
    ``latest`` bounds the times as ``run_check`` does. Raises ValueError (RunRefused
    included) on an execution without the fields a run needs.
    """
    status = N8N_STATUS[str(execution.get("status"))]
    started_at = _moment(execution.get("startedAt"))
    if started_at is None:
        raise ValueError("the execution has no startedAt")
    data = execution.get("data") or {}
    result = data.get("resultData") or {} if isinstance(data, dict) else {}
    run_data = result.get("runData") or {}
    if not isinstance(run_data, dict):
        run_data = {}
    types = {}
    workflow_data = execution.get("workflowData") or {}
    for raw in workflow_data.get("nodes") or [] if isinstance(workflow_data, dict) else []:
        if isinstance(raw, dict) and isinstance(raw.get("name"), str):
            types[raw["name"]] = str(raw.get("type", ""))
    succeeded = ai = 0
    run_data = {k: v for k, v in run_data.items() if k not in SNIPPET_NODE_NAMES}
    for name, runs in run_data.items():
        tasks = runs if isinstance(runs, list) else []
        failed = any(
            isinstance(t, dict) and (t.get("error") or t.get("executionStatus") == "error")
            for t in tasks
        )
        succeeded += not failed
        ai += Node(name=str(name), type=types.get(str(name), ""), x=0, raw={}).is_ai
    last = result.get("lastNodeExecuted")
    return run_check(
        run_id=n8n_run_id(execution_number(execution)),
        started_at=started_at,
        ended_at=_moment(execution.get("stoppedAt")),
        status=status,
        arm=arm,
        steps_total=len(run_data),
        steps_succeeded=succeeded,
        ai_steps=ai,
        stopped_at_step=str(last)[:200] if status != "succeeded" and last else "",
        latest=latest,
    )
