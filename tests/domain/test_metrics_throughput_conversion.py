"""Review metrics, days 30 and 60: throughput and conversion by hand-computed cases, intervals against scipy."""

import math
from datetime import date

import pandas as pd
import pytest

from tests.domain.metrics_helpers import (
    END,
    START,
    Z,
    events_frame,
    interval_tuple,
    newcombe,
    run_rows,
    standard_events,
    standard_runs,
    wald_log_ratio,
)
from workflows.reviews.metrics import (
    conversion,
    throughput,
)

# --- Day 30: throughput ----------------------------------------------------------------


def test_throughput_counts_runs_a_week_per_arm():
    result = throughput(standard_runs(), start=START, end=END)
    assert result.days == 14
    assert result.weeks == 2
    # 50 runs / 2 weeks = 25; 20 / 2 = 10.
    assert (result.orchestrated.runs, result.orchestrated.runs_per_week) == (50, 25)
    assert (result.baseline.runs, result.baseline.runs_per_week) == (20, 10)
    assert result.orchestrated.running == 2


def test_throughput_completion_rate_leaves_out_running_runs():
    result = throughput(standard_runs(), start=START, end=END)
    # 40 / (40 + 8) = 0.8333; 15 / (15 + 5) = 0.75.
    assert result.orchestrated.completion_rate == pytest.approx(40 / 48)
    assert result.baseline.completion_rate == pytest.approx(0.75)


def test_throughput_ratio_is_orchestrated_over_baseline_with_a_log_wald_interval():
    result = throughput(standard_runs(), start=START, end=END)
    # 25 / 10 = 2.5; exp(ln 2.5 -/+ 1.96 sqrt(1/50 + 1/20)) = 1.4884 .. 4.1990.
    assert result.ratio.estimate == pytest.approx(2.5)
    assert result.ratio.lower == pytest.approx(1.4884466, abs=1e-6)
    assert result.ratio.upper == pytest.approx(4.1990086, abs=1e-6)
    assert "log rate ratio" in result.ratio.method
    assert result.ratio_reason == ""


@pytest.mark.parametrize(("orchestrated", "baseline"), [(50, 20), (1, 1), (7, 300), (4000, 3)])
def test_throughput_interval_matches_scipy(orchestrated, baseline):
    runs = run_rows(
        (START, "orchestrated", "succeeded", "", orchestrated, 0),
        (START, "baseline", "succeeded", "", baseline, 0),
    )
    result = throughput(runs, start=START, end=END)
    expected = wald_log_ratio(orchestrated, 2, baseline, 2)
    assert interval_tuple(result.ratio) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("orchestrated", "baseline", "reason"),
    [
        (0, 5, "No orchestrated runs in the window"),
        (5, 0, "No baseline runs in the window"),
        (0, 0, "No orchestrated and baseline runs in the window"),
    ],
)
def test_throughput_ratio_is_none_with_a_reason_on_zero_runs(orchestrated, baseline, reason):
    runs = run_rows(
        (START, "orchestrated", "succeeded", "", orchestrated, 0),
        (START, "baseline", "succeeded", "", baseline, 0),
    )
    result = throughput(runs, start=START, end=END)
    assert result.ratio is None
    assert result.ratio_reason.startswith(reason)


def test_throughput_stop_steps_rank_by_runs_then_name():
    result = throughput(standard_runs(), start=START, end=END)
    # Send SMS 5 and Copy to CRM 5 tie: the name decides.
    assert result.stop_steps == (("Copy to CRM", 5), ("Send SMS", 5), ("Enrich lead", 3))
    assert dict(result.stop_steps_by_arm)["baseline"] == (("Copy to CRM", 5),)


def test_throughput_keeps_the_top_five_stop_steps():
    runs = run_rows(
        *(
            (START, "orchestrated", "failed", step, count, 0)
            for step, count in [("A", 1), ("B", 6), ("C", 3), ("D", 3), ("E", 2), ("F", 9)]
        )
    )
    result = throughput(runs, start=START, end=END)
    assert result.stop_steps == (("F", 9), ("B", 6), ("C", 3), ("D", 3), ("E", 2))


def test_throughput_weekly_series_has_every_week_and_arm():
    result = throughput(standard_runs(), start=START, end=date(2026, 3, 16))
    # 15 days: weeks from 2 and 9 March, and a 1-day week from 16 March (the 99 runs).
    expected = pd.DataFrame(
        {
            "week_start": [date(2026, 3, d) for d in (2, 2, 9, 9, 16, 16)],
            "arm": ["orchestrated", "baseline"] * 3,
            "runs": [30, 15, 20, 5, 99, 0],
            "days": [7, 7, 7, 7, 1, 1],
        }
    )
    pd.testing.assert_frame_equal(result.weekly, expected, check_dtype=False)


def test_throughput_takes_datetime64_days_as_well_as_dates():
    runs = standard_runs()
    runs["day"] = pd.to_datetime(runs["day"])
    assert throughput(runs, start=START, end=END) == throughput(
        standard_runs(), start=START, end=END
    )


def test_throughput_completion_rate_is_none_without_finished_runs():
    runs = run_rows((START, "orchestrated", "running", "", 3, 0))
    assert throughput(runs, start=START, end=END).orchestrated.completion_rate is None


def test_throughput_rejects_an_unknown_arm():
    with pytest.raises(ValueError, match="Unknown arm: control"):
        throughput(run_rows((START, "control", "succeeded", "", 1, 0)), start=START, end=END)


# --- Day 60: conversion ----------------------------------------------------------------


def test_conversion_counts_events_per_run_by_arm():
    result = conversion(
        standard_runs(), standard_events(), kind="booked_call", start=START, end=END
    )
    # 10 / 50 = 0.2 per run; 2 / 20 = 0.1 per run.
    assert (result.orchestrated.events, result.orchestrated.runs) == (10, 50)
    assert (result.baseline.events, result.baseline.runs) == (2, 20)
    assert result.orchestrated.per_run == pytest.approx(0.2)
    assert result.baseline.per_run == pytest.approx(0.1)


def test_conversion_ratio_and_difference_match_scipy():
    result = conversion(
        standard_runs(), standard_events(), kind="booked_call", start=START, end=END
    )
    # 0.2 / 0.1 = 2; exp(ln 2 -/+ 1.96 sqrt(1/10 + 1/2)) = 0.4382 .. 9.1278.
    assert interval_tuple(result.ratio) == pytest.approx(wald_log_ratio(10, 50, 2, 20), abs=1e-6)
    assert result.ratio.lower == pytest.approx(0.4382, abs=1e-4)
    assert result.ratio.upper == pytest.approx(9.1278, abs=1e-4)
    # 0.2 - 0.1 = 0.1, Newcombe from the two Wilson intervals.
    assert interval_tuple(result.difference) == pytest.approx(newcombe(10, 50, 2, 20), abs=1e-6)
    assert "Newcombe" in result.difference.method


@pytest.mark.parametrize(("k1", "n1", "k0", "n0"), [(0, 10, 0, 10), (10, 10, 3, 40), (1, 2, 7, 9)])
def test_conversion_difference_matches_newcombe_at_the_edges(k1, n1, k0, n0):
    runs = run_rows(
        (START, "orchestrated", "succeeded", "", n1, 0), (START, "baseline", "failed", "", n0, 0)
    )
    events = events_frame(
        *[("2026-03-03T10:00:00Z", "opportunity", "orchestrated")] * k1,
        *[("2026-03-03T10:00:00Z", "opportunity", "baseline")] * k0,
    )
    result = conversion(runs, events, kind="opportunity", start=START, end=END)
    assert interval_tuple(result.difference) == pytest.approx(newcombe(k1, n1, k0, n0), abs=1e-6)


def test_conversion_difference_uses_poisson_wald_when_events_outnumber_runs():
    runs = run_rows(
        (START, "orchestrated", "succeeded", "", 4, 0), (START, "baseline", "succeeded", "", 5, 0)
    )
    events = events_frame(
        *[("2026-03-03T10:00:00Z", "booked_call", "orchestrated")] * 6,
        *[("2026-03-03T10:00:00Z", "booked_call", "baseline")] * 2,
    )
    result = conversion(runs, events, kind="booked_call", start=START, end=END)
    # 6/4 - 2/5 = 1.1; half-width 1.96 sqrt(6/16 + 2/25).
    half = Z * math.sqrt(6 / 16 + 2 / 25)
    assert interval_tuple(result.difference) == pytest.approx((1.1, 1.1 - half, 1.1 + half))
    assert "Poisson" in result.difference.method


def test_conversion_ratio_is_none_without_baseline_events():
    events = events_frame(("2026-03-03T10:00:00Z", "closed_won", "orchestrated"))
    result = conversion(standard_runs(), events, kind="closed_won", start=START, end=END)
    assert result.ratio is None
    assert result.ratio_reason.startswith("No closed-won deals in the baseline arm")
    assert result.difference is not None


def test_conversion_weekly_series():
    result = conversion(
        standard_runs(), standard_events(), kind="booked_call", start=START, end=END
    )
    expected = pd.DataFrame(
        {
            "week_start": [date(2026, 3, 2)] * 2 + [date(2026, 3, 9)] * 2,
            "arm": ["orchestrated", "baseline"] * 2,
            "runs": [30, 15, 20, 5],
            # Orchestrated calls on 3..8 March and 9..12 March; baseline on 5 and 15 March.
            "events": [6, 1, 4, 1],
            "per_run": [6 / 30, 1 / 15, 4 / 20, 1 / 5],
        }
    )
    pd.testing.assert_frame_equal(result.weekly, expected, check_dtype=False)


def test_conversion_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match="Unknown event kind"):
        conversion(standard_runs(), standard_events(), kind="demo", start=START, end=END)
