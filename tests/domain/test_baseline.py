"""The baseline: whole weeks before go-live, too short under 4 weeks."""

from datetime import date, timedelta

import pandas as pd
import pytest

from workflows.reviews.metrics.baseline import compute_baseline

GO_LIVE = date(2026, 3, 2)  # a Monday


def run_log(first_day, days, *, arm="baseline"):
    rows = []
    for d in range(days):
        day = first_day + timedelta(days=d)
        rows.append((day, arm, "succeeded", "", 2, 0, 8, 8))
        if day.weekday() == 0:
            rows.append((day, arm, "failed", "Look up", 1, 0, 4, 2))
    columns = [
        "day",
        "arm",
        "status",
        "stopped_at_step",
        "runs",
        "ai_steps",
        "steps_total",
        "steps_succeeded",
    ]
    return pd.DataFrame(rows, columns=columns)


def booked_on_mondays(first_day, days):
    stamps = [
        pd.Timestamp(first_day + timedelta(days=d), tz="UTC") + pd.Timedelta(hours=10)
        for d in range(days)
        if (first_day + timedelta(days=d)).weekday() == 0
    ]
    return pd.DataFrame({"occurred_at": stamps, "kind": "booked_call", "arm": "baseline"})


def test_it_summarizes_four_whole_weeks_by_hand():
    first = GO_LIVE - timedelta(days=30)  # 4 whole weeks and 2 days: the 2 days are dropped
    runs = pd.concat([run_log(first, 30), run_log(GO_LIVE, 10, arm="orchestrated")])
    result = compute_baseline(runs, booked_on_mondays(first, 30), go_live=GO_LIVE)
    assert (result.start, result.end, result.weeks) == (date(2026, 2, 2), date(2026, 3, 1), 4)
    # 28 days x 2 succeeded + 4 Mondays x 1 failed = 60 runs; 4 booked calls (Mondays).
    assert result.runs == 60
    assert result.runs_per_week == 15
    assert result.completion_rate == pytest.approx(56 / 60)
    assert result.conversion["booked_call"] == pytest.approx(4 / 60)
    assert result.weekday_runs == (3, 2, 2, 2, 2, 2, 2)
    assert result.weekday_per_run[0] == pytest.approx(1 / 3)
    assert result.weekday_per_run[1] == 0
    assert not result.too_short and result.reason == ""
    assert list(result.weekly["runs"]) == [15, 15, 15, 15]


def test_under_four_weeks_is_too_short_to_defend():
    first = GO_LIVE - timedelta(days=21)
    result = compute_baseline(run_log(first, 21), booked_on_mondays(first, 21), go_live=GO_LIVE)
    assert result.weeks == 3 and result.too_short
    assert "only 3 weeks" in result.reason


def test_it_uses_at_most_twelve_weeks():
    first = GO_LIVE - timedelta(days=200)
    result = compute_baseline(run_log(first, 200), booked_on_mondays(first, 200), go_live=GO_LIVE)
    assert result.weeks == 12 and result.start == GO_LIVE - timedelta(days=84)


def test_no_runs_before_go_live_is_no_baseline():
    runs = run_log(GO_LIVE, 10, arm="orchestrated")
    result = compute_baseline(runs, booked_on_mondays(GO_LIVE, 10), go_live=GO_LIVE)
    assert result.weeks == 0 and result.too_short and result.runs_per_week is None
    assert "No runs before go-live" in result.reason
    assert result.as_json()["weekly"] == []
