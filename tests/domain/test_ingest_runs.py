"""Runs as the ingest API and the n8n pull read them (pure: no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflows.ingest.n8n_runs import is_finished, run_from_execution
from workflows.ingest.payloads import RunRefused, run_check, run_digest

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def a_run(**changes):
    values = {
        "run_id": "r-1",
        "started_at": START,
        "ended_at": START + timedelta(seconds=9),
        "status": "succeeded",
        "arm": "orchestrated",
        "steps_total": 4,
        "steps_succeeded": 4,
        "ai_steps": 3,
    }
    values.update(changes)
    return run_check(**values)


@given(offset=st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_one_instant_in_any_zone_is_the_same_run(offset):
    zone = timezone(timedelta(minutes=offset))
    moved = a_run(
        started_at=START.astimezone(zone), ended_at=(START + timedelta(seconds=9)).astimezone(zone)
    )
    assert run_digest(moved) == run_digest(a_run())
    assert moved.day == "2026-03-02"  # the UTC date, as a CSV counts it


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "failed"},
        {"steps_succeeded": 3},
        {"stopped_at_step": "Draft"},
        {"cost_usd": Decimal("0.01")},
    ],
)
def test_any_other_value_is_another_run(changes):
    assert run_digest(a_run(**changes)) != run_digest(a_run())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"run_id": " "}, "run_id"),
        ({"started_at": datetime(2026, 3, 2, 9)}, "started_at"),
        ({"ended_at": START - timedelta(seconds=1)}, "ended_at"),
        ({"arm": "control"}, "arm"),
        ({"steps_total": 10_001}, "steps_total"),
        ({"ai_steps": 5}, "ai_steps"),
        ({"cost_usd": Decimal("NaN")}, "cost_usd"),
        ({"started_at": datetime(1999, 12, 31, tzinfo=UTC)}, "started_at"),
        ({"latest": START - timedelta(days=1)}, "started_at"),
    ],
)
def test_contradictions_are_refused_by_field(changes, field):
    with pytest.raises(RunRefused) as refused:
        a_run(**changes)
    assert field in refused.value.problems


def test_aliases_read_as_the_run_logs_spellings():
    run = a_run(status="Success", arm="base")
    assert (run.status, run.arm) == ("succeeded", "baseline")


def execution(status, *, run_data=None, last="Send SMS"):
    return {
        "id": "17",
        "status": status,
        "startedAt": "2026-03-02T09:00:00.000Z",
        "stoppedAt": "2026-03-02T09:00:09.000Z",
        "data": {"resultData": {"runData": run_data or {}, "lastNodeExecuted": last}},
        "workflowData": {"nodes": [{"name": "Draft", "type": "@n8n/n8n-nodes-langchain.agent"}]},
    }


@pytest.mark.parametrize(
    ("status", "ours"),
    [("success", "succeeded"), ("error", "failed"), ("crashed", "failed"), ("canceled", "failed")],
)
def test_a_finished_execution_is_a_run(status, ours):
    run_data = {
        "Webhook": [{"executionStatus": "success"}],
        "Draft": [{"executionStatus": "success"}],
        "Send SMS": [{"executionStatus": "error", "error": {"message": "x"}}],
    }
    run = run_from_execution(execution(status, run_data=run_data), arm="orchestrated")
    assert (run.run_id, run.status, run.steps_total, run.steps_succeeded, run.ai_steps) == (
        "n8n-17",
        ours,
        3,
        2,
        1,
    )
    assert run.stopped_at_step == ("" if ours == "succeeded" else "Send SMS")
    assert run.ended_at - run.started_at == timedelta(seconds=9)


@pytest.mark.parametrize("status", ["new", "running", "waiting", "unknown"])
def test_an_unfinished_execution_waits_for_a_later_pull(status):
    assert not is_finished(execution(status))


def test_an_execution_without_a_start_is_refused():
    with pytest.raises(ValueError):
        run_from_execution({**execution("success"), "startedAt": None}, arm="orchestrated")


@pytest.mark.parametrize(
    "trigger_type", ["n8n-nodes-base.webhook", "n8n-nodes-base.scheduleTrigger"]
)
def test_the_trigger_is_not_counted_as_a_step(trigger_type):
    """The map import makes the trigger the map's trigger, not a step; a pulled run counts
    the same steps, so that its steps compare with the map's and with a pushed run's."""
    data = execution(
        "error",
        run_data={
            "Start": [{"executionStatus": "success"}],
            "Draft": [{"executionStatus": "success"}],
            "Send SMS": [{"executionStatus": "error", "error": {"message": "x"}}],
        },
    )
    data["workflowData"]["nodes"].append({"name": "Start", "type": trigger_type})
    run = run_from_execution(data, arm="orchestrated")
    assert (run.steps_total, run.steps_succeeded, run.ai_steps) == (2, 1, 1)
