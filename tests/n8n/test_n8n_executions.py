"""Runs made with ``n8n execute --id``, read back through n8n's public API with an API key:
what the n8n pull (issue 16, "n8n pulled") relies on.

The shape n8n 1.123.81 serves (seen in these tests; the handler is
packages/cli/src/public-api/v1/handlers/executions/executions.handler.ts):

``GET /api/v1/executions?workflowId=<id>&limit=<n>[&cursor=<nextCursor>][&status=<s>]``
with the header ``X-N8N-API-KEY`` (scope ``execution:list``; a missing or wrong key is 401)
answers 200::

    {"data": [
        {"id": "3", "finished": false, "mode": "cli", "retryOf": null,
         "retrySuccessId": null, "status": "error",
         "startedAt": "2026-12-01T14:55:14.464Z", "stoppedAt": "2026-12-01T14:55:14.908Z",
         "workflowId": "RunLogWorkflow01", "waitTill": null},
        ...],
     "nextCursor": "eyJsYXN0SWQiOiIyIiwibGltaXQiOjF9"}

- ``id`` is a string of digits; n8n numbers runs in increasing order across the instance,
  and lists them newest first (``ORDER BY id DESC``).
- ``status`` is "success" or "error" for a finished CLI run (also "running", "waiting",
  "canceled", "crashed", "new" in n8n's ExecutionStatus); ``finished`` is true only for
  success. Runs still going are left out unless ``status=running`` is asked for.
- ``startedAt``/``stoppedAt`` are ISO 8601 in UTC with milliseconds and "Z".
- ``nextCursor`` is null on the last page, else base64 of ``{"lastId": "<id of the last
  run on this page>", "limit": <n>}``: passed back as ``cursor`` it gives the older runs
  (ids below lastId), so a pull that keeps the newest id it took pages down until it
  meets that id.
- ``includeData=true`` (on the list, or ``GET /api/v1/executions/<id>``, scope
  ``execution:read``) adds ``data`` and ``workflowData`` (the workflow as it ran:
  ``nodes`` with ``name`` and ``type``). ``data.resultData`` holds ``runData`` (node name
  -> a list of that node's runs, each with ``executionStatus`` "success" or "error", and
  ``error`` when it failed; only nodes that ran), ``lastNodeExecuted`` (the step where a
  failed run stopped) and, for a failed run, ``error.message``.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta

import pytest

from tests.n8n import workflows
from tests.n8n_server import CliRun, N8n, together

OUTCOMES = ("success", "error", "success")  # the runs made, in the order they were asked


@pytest.fixture(scope="module")
def runs(n8n_workflows: N8n) -> list[CliRun]:
    """RUN_LOG executed three times at once through the CLI, the second run failing."""

    def run(outcome: str) -> CliRun:
        fails = {workflows.RUN_FAILS: "yes" if outcome == "error" else "no"}
        return n8n_workflows.execute(workflows.RUN_LOG_ID, env=fails)

    return together(*(lambda outcome=outcome: run(outcome) for outcome in OUTCOMES))


def listed(n8n: N8n, **params: str | int) -> dict:
    return n8n.api_get("/executions", workflowId=workflows.RUN_LOG_ID, **params)


def test_the_cli_says_which_runs_failed(runs):
    assert [run.returncode for run in runs] == [0, 1, 0], [run.describe() for run in runs]
    assert "The run failed on purpose" in runs[1].stdout + runs[1].stderr


def test_the_runs_are_listed_newest_first_with_their_outcome_and_times(n8n_workflows, runs):
    page = listed(n8n_workflows)
    assert page["nextCursor"] is None
    data = page["data"]
    ids = [int(run["id"]) for run in data]
    assert len(ids) == len(OUTCOMES) and ids == sorted(ids, reverse=True)
    assert sorted(run["status"] for run in data) == sorted(OUTCOMES)
    for run in data:
        assert set(run) == {
            "id",
            "finished",
            "mode",
            "retryOf",
            "retrySuccessId",
            "status",
            "startedAt",
            "stoppedAt",
            "workflowId",
            "waitTill",
        }
        assert (run["workflowId"], run["mode"]) == (workflows.RUN_LOG_ID, "cli")
        assert run["finished"] is (run["status"] == "success")
        started, stopped = (datetime.fromisoformat(run[k]) for k in ("startedAt", "stoppedAt"))
        assert run["startedAt"].endswith("Z") and started.utcoffset() == timedelta(0)
        assert started <= stopped


def test_a_cursor_pages_down_through_older_runs(n8n_workflows, runs):
    everything = [run["id"] for run in listed(n8n_workflows)["data"]]
    seen: list[str] = []
    page = listed(n8n_workflows, limit=2)
    while True:
        seen.extend(run["id"] for run in page["data"])
        if page["nextCursor"] is None:
            break
        cursor = json.loads(base64.b64decode(page["nextCursor"]))
        assert cursor == {"lastId": page["data"][-1]["id"], "limit": 2}
        page = listed(n8n_workflows, cursor=page["nextCursor"])
    assert seen == everything


def test_the_failed_run_says_where_it_stopped_and_why(n8n_workflows, runs):
    (failed,) = listed(n8n_workflows, status="error")["data"]
    detail = n8n_workflows.api_get(f"/executions/{failed['id']}", includeData="true")
    result = detail["data"]["resultData"]
    assert result["lastNodeExecuted"] == "Stop"
    assert result["error"]["message"] == "The run failed on purpose"


def test_with_its_data_each_run_says_which_steps_ran_and_which_failed(n8n_workflows, runs):
    for run in listed(n8n_workflows, includeData="true")["data"]:
        nodes = {node["name"]: node["type"] for node in run["workflowData"]["nodes"]}
        assert nodes["Stop"] == "n8n-nodes-base.stopAndError"
        ran = run["data"]["resultData"]["runData"]
        statuses = {
            name: [task["executionStatus"] for task in tasks] for name, tasks in ran.items()
        }
        last = run["data"]["resultData"]["lastNodeExecuted"]
        if run["status"] == "error":
            assert statuses == {
                "Start": ["success"],
                "Fails this time?": ["success"],
                "Stop": ["error"],
            }
            assert (last, ran["Stop"][0]["error"]["message"]) == (
                "Stop",
                "The run failed on purpose",
            )
        else:
            assert statuses == {
                "Start": ["success"],
                "Fails this time?": ["success"],
                "Done": ["success"],
            }
            assert last == "Done"


@pytest.mark.parametrize("key", ["", "not-a-key"], ids=["missing", "wrong"])
def test_the_api_refuses_a_request_without_the_key(n8n_workflows, key):
    headers = {"X-N8N-API-KEY": key} if key else {}
    status, _ = n8n_workflows.request("GET", "/api/v1/executions", headers=headers)
    assert status == 401


def test_the_key_reads_the_workflow_and_community_n8n_does_not_hold_it_to_its_scopes(
    n8n_workflows,
):
    """n8n checks an API key's scopes only where its license has the feature
    (``License.isApiKeyScopesEnabled``, in global.middleware.ts); the community edition lets
    a key do whatever its user may. So a key the app stores is as strong as its n8n user."""
    workflow = n8n_workflows.api_get(f"/workflows/{workflows.RUN_LOG_ID}")
    assert (workflow["id"], workflow["name"]) == (workflows.RUN_LOG_ID, "Run log")
    listing = n8n_workflows.api_get("/workflows")  # needs workflow:list, which it lacks
    assert workflows.RUN_LOG_ID in {w["id"] for w in listing["data"]}
