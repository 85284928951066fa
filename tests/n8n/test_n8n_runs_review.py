"""Runs of a real n8n reach the day-30 review both ways, each counted once (issue 16).

A team maps its n8n workflow into the app (the run log of tests/n8n/workflows.py, imported
as the future state with the app's own n8n import), creates the ingest URL and pastes the
data page's two snippets into its n8n, exactly as ``live_panel_get`` renders them for the
live server the test runs: "Mark the run start" after the trigger, the last step connected
to "Sign the run outcome", and the Error Trigger workflow chosen as the workflow's error
workflow. All are imported with ``n8n import:workflow``. The workflow then runs through
``n8n execute --id`` (three runs at once, one of them failing, and a later one) and every
run that reaches its end posts its outcome to the app's ingest API on the live server
(push). Then the app pulls the workflow's executions through n8n's public API with the key
the harness made (pull).

n8n 1.123.81's ``n8n execute`` does NOT run the error workflow: its save hook
(``hookFunctionsSave`` in dist/execution-lifecycle/execution-lifecycle-hooks.js) starts
``executeErrorWorkflow`` for a failed "cli" run without waiting for it, and the command
exits as soon as the run is saved, so the error workflow never gets an execution (the test
checks there is none). A failed CLI run is therefore never pushed: it reaches the review
through the pull. n8n's server does run the error workflow for a run it started from a
trigger, so a second test activates a copy of the workflow started by a webhook (public
API ``POST /api/v1/workflows/<id>/activate``), calls it twice, and finds the failed run
pushed by the error snippet and the other by the outcome snippet, a pull adding neither.

The workflows are deleted from the session's n8n afterwards (public API), since
test_n8n_exports.py's ``export:workflow --all`` expects only tests/n8n/workflows.py's.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from core.models import Membership
from tests.factories import MembershipFactory
from tests.n8n import workflows
from tests.n8n_server import CliRun, N8n, together
from workflows.data.selectors import review_frames
from workflows.ingest.n8n_runs import run_from_execution
from workflows.ingest.n8n_snippet import MARK_START, POST_OUTCOME, SIGN_OUTCOME
from workflows.ingest.pull import n8n_connection_save, n8n_executions_pull
from workflows.ingest.selectors import live_panel_get
from workflows.ingest.services import ingest_endpoint_create
from workflows.maps import services as map_services
from workflows.maps.exchange.n8n import map_from_n8n
from workflows.models import CandidateWorkflow, IngestedRun
from workflows.plans.services import plan_create

PUSHING_ID = "RunLogPushing001"  # the run log with the outcome snippet pasted in
ERRORS_ID = "RunLogErrors0001"  # the error snippet, the run log's error workflow
HOOKED_ID = "RunLogHooked0001"  # the same, started by a webhook in n8n's server
HOOK_PATH = "benchmark-run-log"
OUTCOMES = ("success", "error", "success")  # the runs made, in the order they were asked
SNIPPET_NODES = (MARK_START, SIGN_OUTCOME, POST_OUTCOME)  # pasted into the run log


def _to(*targets: str) -> list[dict]:
    return [{"node": t, "type": "main", "index": 0} for t in targets]


def with_snippets(outcome_snippet: str, error_snippet: str) -> list[dict]:
    """The run log as a team would leave it after following the data page: the outcome
    snippet's three nodes pasted in and connected, the error snippet imported on its own
    and chosen as the error workflow. n8n-format workflows with ids, ready to import."""
    outcome, errors = json.loads(outcome_snippet), json.loads(error_snippet)
    pasted = [n for n in outcome["nodes"] if n["name"] in SNIPPET_NODES]
    assert [n["name"] for n in pasted] == list(SNIPPET_NODES)
    run_log = json.loads(json.dumps(workflows.RUN_LOG))
    main = {
        "Start": [_to(MARK_START)],
        MARK_START: [_to("Fails this time?")],
        "Fails this time?": [_to("Stop"), _to("Done")],
        "Done": [_to(SIGN_OUTCOME)],
        SIGN_OUTCOME: [_to(POST_OUTCOME)],
    }
    pushing = {
        **run_log,
        "id": PUSHING_ID,
        "name": "Run log (pushing)",
        "nodes": run_log["nodes"] + pasted,
        "connections": {name: {"main": outputs} for name, outputs in main.items()},
        "settings": {**run_log["settings"], "errorWorkflow": ERRORS_ID},
    }
    webhook = {
        **run_log["nodes"][0],
        "type": "n8n-nodes-base.webhook",
        "typeVersion": 2,
        "parameters": {"httpMethod": "POST", "path": HOOK_PATH, "options": {}},
        "webhookId": "5e0b1c2d-0000-4000-8000-000000000016",
    }
    condition = json.loads(json.dumps(run_log["nodes"][1]))
    condition["parameters"]["conditions"]["conditions"][0]["leftValue"] = "={{ $json.body.fail }}"
    hooked = {
        **pushing,
        "id": HOOKED_ID,
        "name": "Run log (pushing, on a webhook)",
        "nodes": [webhook, condition, *pushing["nodes"][2:]],
    }
    return [{**errors, "id": ERRORS_ID, "active": False}, pushing, hooked]


@pytest.fixture
def mapped(settings, live_server):
    """A client's workflow mapped from the run log (future state), with its ingest URL on
    the live server, and its member."""
    settings.SITE_URL = live_server.url
    member = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    workflow = CandidateWorkflow.objects.create(organization=member.organization, name="Run log")
    imported = map_from_n8n(workflows.RUN_LOG, name=workflow.name)
    map_services.map_replace_steps(
        workflow_map=map_services.workflow_map_get_or_create(workflow=workflow, kind="future"),
        source=imported.map,
        carries=imported.carries,
    )
    ingest_endpoint_create(workflow=workflow, organization=member.organization)
    return workflow, member


def daily_rows(daily) -> list[tuple]:
    """The review's runs a day as (day, status, stopped_at_step, runs, steps_total,
    steps_succeeded, ai_steps), sorted."""
    columns = ["day", "status", "stopped_at_step", "runs", "steps_total", "steps_succeeded"]
    return sorted(tuple(row) for row in daily[[*columns, "ai_steps"]].itertuples(index=False))


def utc_moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture
def pasted(n8n: N8n, mapped, live_server) -> Iterator[None]:
    """The data page's snippets (as ``live_panel_get`` renders them, posting to the live
    server) in the session's n8n, through its CLI; deleted afterwards."""
    workflow, _member = mapped
    panel = live_panel_get(workflow=workflow, now=timezone.now())
    assert panel.runs_url.startswith(f"{live_server.url}/api/ingest/")
    n8n.import_workflows(with_snippets(panel.outcome_snippet, panel.error_snippet))
    yield
    for workflow_id in (HOOKED_ID, PUSHING_ID, ERRORS_ID):
        status, body = n8n.request(
            "DELETE", f"/api/v1/workflows/{workflow_id}", headers={"X-N8N-API-KEY": n8n.api_key}
        )
        assert status == 200, body


@pytest.mark.django_db(transaction=True)  # the live server reads what the test wrote
def test_pushed_and_pulled_runs_reach_the_review_once_each(n8n: N8n, mapped, pasted, client):
    workflow, member = mapped

    def run(outcome: str) -> CliRun:
        fails = {workflows.RUN_FAILS: "yes" if outcome == "error" else "no"}
        return n8n.execute(PUSHING_ID, env=fails)

    # 1. Three runs at once, the second failing: the two that end push their outcome.
    runs = together(*(lambda outcome=outcome: run(outcome) for outcome in OUTCOMES))
    assert [r.returncode for r in runs] == [0, 1, 0], [r.describe() for r in runs]
    executions = {e["id"]: e for e in n8n.api_get("/executions", workflowId=PUSHING_ID)["data"]}
    assert sorted(e["status"] for e in executions.values()) == ["error", "success", "success"]
    (failed_id,) = [i for i, e in executions.items() if e["status"] == "error"]
    succeeded_ids = sorted(set(executions) - {failed_id})
    assert n8n.api_get("/executions", workflowId=ERRORS_ID)["data"] == []  # see the docstring
    stored = {r.run_id: r for r in IngestedRun.objects.filter(workflow=workflow)}
    assert set(stored) == {f"n8n-{i}" for i in succeeded_ids}
    assert {r.channel for r in stored.values()} == {IngestedRun.Channel.API}

    # 2. The pull takes the failed run and leaves the pushed ones as they are.
    connection = n8n_connection_save(
        workflow=workflow,
        base_url=n8n.base_url,
        n8n_workflow_id=PUSHING_ID,
        arm="orchestrated",
        api_key=n8n.api_key,
    )
    first = n8n_executions_pull(connection=connection)
    assert (first.error, first.added, first.known) == ("", 1, 2)
    assert first.cursor == max(executions, key=int)
    again = n8n_executions_pull(connection=connection)  # nothing new: the cursor stops it
    assert (again.error, again.added, again.known, again.cursor) == ("", 0, 0, first.cursor)

    stored = {r.run_id: r for r in IngestedRun.objects.filter(workflow=workflow)}
    assert set(stored) == {f"n8n-{i}" for i in executions}
    channels = {run_id: r.channel for run_id, r in stored.items()}
    assert channels == {
        **{f"n8n-{i}": IngestedRun.Channel.API for i in succeeded_ids},
        f"n8n-{failed_id}": IngestedRun.Channel.N8N,
    }
    for execution_id, execution in executions.items():
        got = stored[f"n8n-{execution_id}"]
        started, stopped = (utc_moment(execution[k]) for k in ("startedAt", "stoppedAt"))
        # A pushed run starts at "Mark the run start" and ends at "Sign the run outcome",
        # inside n8n's own times; a pulled run has n8n's times.
        assert started <= got.started_at <= got.ended_at <= stopped
    failed = stored[f"n8n-{failed_id}"]
    # Pulled: the nodes that ran, the trigger counted and the snippet's nodes not.
    assert (failed.status, failed.stopped_at_step) == ("failed", "Stop")
    assert (failed.steps_total, failed.steps_succeeded, failed.ai_steps) == (3, 2, 0)
    for run_id in (f"n8n-{i}" for i in succeeded_ids):
        # Pushed: the future-state map's three steps, as the outcome snippet was built.
        assert (stored[run_id].status, stored[run_id].stopped_at_step) == ("succeeded", "")
        assert (stored[run_id].steps_total, stored[run_id].steps_succeeded) == (3, 3)

    # 3. The day-30 review's runs a day: exactly those runs, each once, on its UTC day.
    daily = review_frames(workflow=workflow).runs_daily
    assert set(daily["arm"]) == {"orchestrated"}
    expected = Counter(
        (r.started_at.date(), r.status, r.stopped_at_step, r.steps_total, r.steps_succeeded)
        for r in stored.values()
    )
    assert daily_rows(daily) == sorted(
        (day, status, stop, n, total * n, succeeded * n, 0)
        for (day, status, stop, total, succeeded), n in expected.items()
    )
    assert daily["runs"].sum() == len(OUTCOMES)

    # 4. A later run is pushed; the next pull meets it and adds nothing.
    later = run("success")
    assert later.returncode == 0, later.describe()
    third = n8n_executions_pull(connection=connection)
    assert (third.error, third.added, third.known) == ("", 0, 1)
    assert int(third.cursor) > int(first.cursor)
    assert IngestedRun.objects.get(run_id=f"n8n-{third.cursor}").channel == "api"
    assert review_frames(workflow=workflow).runs_daily["runs"].sum() == len(OUTCOMES) + 1

    # 5. The data page lists each run once; the day-30 review page counts them.
    client.force_login(member.user)
    base = f"/orgs/{member.organization.slug}/workflows/{workflow.pk}"
    html = client.get(f"{base}/data/").content.decode()
    for run_id in IngestedRun.objects.filter(workflow=workflow).values_list("run_id", flat=True):
        assert html.count(f"<td>{run_id}</td>") == 1
    assert html.count("<td>Stop</td>") == 1
    # A plan started 31 days ago went live 17 days ago: today is inside the day-30 window.
    started = timezone.localdate() - timedelta(days=31)
    plan_create(workflow=workflow, start_date=started, timezone="UTC", owner=member.user)
    review = client.get(f"{base}/reviews/30/").content.decode()
    assert f"Only {len(OUTCOMES) + 1} orchestrated runs" in review
    assert "<li>Stop: 1 run</li>" in review
    assert n8n.outside_attempts() == []


@pytest.mark.django_db(transaction=True)
def test_a_run_its_trigger_started_posts_its_failure_through_the_error_workflow(
    n8n: N8n, mapped, pasted
):
    """n8n's server runs the error workflow for a run it started from a trigger: the
    failed run is pushed by the error snippet, the other by the outcome snippet."""
    workflow, _member = mapped
    key = {"X-N8N-API-KEY": n8n.api_key}
    status, body = n8n.request("POST", f"/api/v1/workflows/{HOOKED_ID}/activate", headers=key)
    assert status == 200, body
    for fail in ("yes", "no"):
        status, body = n8n.request("POST", f"/webhook/{HOOK_PATH}", {"fail": fail})
        assert status == 200, body
    deadline = time.monotonic() + 90  # the runs go on after n8n answered the webhook
    while IngestedRun.objects.filter(workflow=workflow).count() < 2:
        assert time.monotonic() < deadline, n8n.log_tail()
        time.sleep(0.5)
    executions = n8n.api_get("/executions", workflowId=HOOKED_ID)["data"]
    by_status = {e["status"]: f"n8n-{e['id']}" for e in executions}
    assert sorted(by_status) == ["error", "success"]
    stored = {r.run_id: r for r in IngestedRun.objects.filter(workflow=workflow)}
    assert set(stored) == set(by_status.values())
    failed, succeeded = stored[by_status["error"]], stored[by_status["success"]]
    assert {failed.channel, succeeded.channel} == {IngestedRun.Channel.API}
    # The error snippet: stopped at "Stop", the map's steps before it succeeded.
    assert (failed.status, failed.stopped_at_step) == ("failed", "Stop")
    assert (failed.steps_total, failed.steps_succeeded) == (3, 1)
    assert (succeeded.status, succeeded.steps_total) == ("succeeded", 3)

    connection = n8n_connection_save(
        workflow=workflow,
        base_url=n8n.base_url,
        n8n_workflow_id=HOOKED_ID,
        arm="orchestrated",
        api_key=n8n.api_key,
    )
    pulled = n8n_executions_pull(connection=connection)
    assert (pulled.error, pulled.added, pulled.known) == ("", 0, 2)
    daily = review_frames(workflow=workflow).runs_daily
    assert daily["runs"].sum() == 2
    assert daily.loc[daily.status == "failed", "stopped_at_step"].tolist() == ["Stop"]


def test_a_pulled_run_does_not_count_the_snippets_nodes_as_steps():
    """Without n8n too: an execution of a workflow that pushes, read as a run."""
    ran = ["Start", "Mark the run start", "Fails this time?", "Stop"]
    run_data = {name: [{"executionStatus": "success"}] for name in ran}
    run_data["Stop"] = [{"executionStatus": "error", "error": {"message": "on purpose"}}]
    execution = {
        "id": "7",
        "status": "error",
        "startedAt": "2026-03-02T09:00:00.000Z",
        "stoppedAt": "2026-03-02T09:00:01.000Z",
        "data": {"resultData": {"runData": run_data, "lastNodeExecuted": "Stop"}},
        "workflowData": {"nodes": [{"name": n, "type": "n8n-nodes-base.code"} for n in ran]},
    }
    run = run_from_execution(execution, arm="orchestrated")
    assert (run.steps_total, run.steps_succeeded, run.stopped_at_step) == (3, 2, "Stop")
