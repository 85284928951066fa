"""The review metrics by hand-computed cases, intervals against scipy, and properties.

Hand calculations sit in the comments next to each expectation. scipy is the reference for
the intervals only; the module itself implements them with the standard library.
"""

import json
import math
from datetime import date, datetime, timedelta
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from tests.hypothesis_profiles import examples
from workflows.reviews.metrics import (
    CreditPolicy,
    attributable_pipeline,
    conversion,
    conversion_warnings,
    cost_per_ai_touch,
    payback,
    revenue_warnings,
    throughput,
    throughput_warnings,
)

Z = stats.norm.ppf(0.975)
START = date(2026, 3, 2)
END = date(2026, 3, 15)  # 14 days: 2 weeks
PROPERTY_SETTINGS = settings(
    max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def run_rows(*rows):
    """(day, arm, status, stopped_at_step, runs, ai_steps) tuples -> a run log."""
    return pd.DataFrame(
        {
            "day": [row[0] for row in rows],
            "arm": [row[1] for row in rows],
            "status": [row[2] for row in rows],
            "stopped_at_step": [row[3] for row in rows],
            "runs": [row[4] for row in rows],
            "ai_steps": [row[5] for row in rows],
            "steps_total": [row[4] * 5 for row in rows],
            "steps_succeeded": [row[4] * 4 for row in rows],
        }
    )


def empty_runs():
    return run_rows()


def standard_runs():
    """Orchestrated: 40 succeeded, 8 failed, 2 running = 50 runs; baseline: 15 succeeded,
    5 failed = 20 runs. One orchestrated row the day after the window is left out."""
    return run_rows(
        (date(2026, 3, 2), "orchestrated", "succeeded", "", 25, 75),
        (date(2026, 3, 10), "orchestrated", "succeeded", "", 15, 45),
        (date(2026, 3, 3), "orchestrated", "failed", "Send SMS", 5, 5),
        (date(2026, 3, 11), "orchestrated", "failed", "Enrich lead", 3, 0),
        (date(2026, 3, 15), "orchestrated", "running", "", 2, 2),
        (date(2026, 3, 4), "baseline", "succeeded", "", 15, 0),
        (date(2026, 3, 12), "baseline", "failed", "Copy to CRM", 5, 0),
        (date(2026, 3, 16), "orchestrated", "succeeded", "", 99, 99),
    )


def wald_log_ratio(a, exposure_a, b, exposure_b):
    ratio = (a / exposure_a) / (b / exposure_b)
    half = Z * math.sqrt(1 / a + 1 / b)
    return ratio, ratio * math.exp(-half), ratio * math.exp(half)


def wilson(k, n):
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return ci.low, ci.high


def newcombe(k1, n1, k0, n0):
    p1, p0 = k1 / n1, k0 / n0
    (l1, u1), (l0, u0) = wilson(k1, n1), wilson(k0, n0)
    d = p1 - p0
    return d, d - math.hypot(p1 - l1, u0 - p0), d + math.hypot(u1 - p1, p0 - l0)


def interval_tuple(interval):
    return interval.estimate, interval.lower, interval.upper


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


def events_frame(*rows):
    """(occurred_at ISO string, kind, arm) tuples -> downstream events."""
    return pd.DataFrame(
        {
            "occurred_at": pd.to_datetime([row[0] for row in rows], utc=True),
            "kind": [row[1] for row in rows],
            "arm": [row[2] for row in rows],
        }
    )


def standard_events():
    """10 orchestrated and 2 baseline booked calls in the window, plus noise it ignores."""
    rows = [(f"2026-03-{day:02d}T10:00:00Z", "booked_call", "orchestrated") for day in range(3, 13)]
    rows += [
        ("2026-03-05T09:00:00Z", "booked_call", "baseline"),
        # 00:30 at UTC+2 on 16 March is 22:30 UTC on 15 March: inside the window.
        ("2026-03-16T00:30:00+02:00", "booked_call", "baseline"),
        ("2026-03-16T00:30:00Z", "booked_call", "orchestrated"),  # after the window
        ("2026-03-05T09:00:00Z", "opportunity", "orchestrated"),  # another kind
    ]
    return events_frame(*rows)


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


# --- Day 90: AI-attributable pipeline -------------------------------------------------

Q1_START, Q1_END = date(2026, 1, 1), date(2026, 3, 31)


def standard_opportunities():
    return pd.DataFrame(
        {
            "opportunity_id": ["A", "B", "C", "D", "E", "F", "G"],
            "created_date": [
                date(2026, 1, 10),
                date(2026, 2, 14),
                date(2026, 2, 1),
                date(2026, 3, 1),
                date(2026, 1, 10),
                date(2026, 3, 31),
                date(2026, 4, 1),  # after the window
            ],
            "amount_usd": [10_000.0, 20_000.0, 5_000.0, 8_000.0, 4_000.0, 1_000.0, 99_999.0],
            "ai_flag": ["generated", "assisted", "scored", "none", "generated", "assisted", "none"],
            "touch_date": [
                date(2026, 1, 10),  # same day: no decay
                date(2026, 1, 15),  # 30 days before: decay 0.5
                date(2026, 1, 20),
                None,
                None,  # no touch date: no decay
                date(2026, 4, 2),  # after creation: no decay
                None,
            ],
        }
    )


def test_pipeline_credits_each_flag_with_time_decay():
    result = attributable_pipeline(
        standard_opportunities(), policy=CreditPolicy(), start=Q1_START, end=Q1_END
    )
    # A 10,000 x 1 x 1 + B 20,000 x 0.3 x 0.5 + E 4,000 x 1 x 1 + F 1,000 x 0.3 x 1
    # = 10,000 + 3,000 + 4,000 + 300 = 17,300.
    assert result.attributable_usd == pytest.approx(17_300)
    # Total 10,000 + 20,000 + 5,000 + 8,000 + 4,000 + 1,000 = 48,000; non-AI 30,700.
    assert result.total_usd == pytest.approx(48_000)
    assert result.non_ai_usd == pytest.approx(30_700)
    assert (result.opportunities, result.credited_opportunities) == (6, 4)


def test_pipeline_breakdown_audits_every_opportunity():
    result = attributable_pipeline(
        standard_opportunities(), policy=CreditPolicy(), start=Q1_START, end=Q1_END
    )
    expected = pd.DataFrame(
        {
            "opportunity_id": ["A", "E", "C", "B", "D", "F"],
            "created_date": [
                date(2026, 1, 10),
                date(2026, 1, 10),
                date(2026, 2, 1),
                date(2026, 2, 14),
                date(2026, 3, 1),
                date(2026, 3, 31),
            ],
            "touch_date": [
                date(2026, 1, 10),
                None,
                date(2026, 1, 20),
                date(2026, 1, 15),
                None,
                date(2026, 4, 2),
            ],
            "amount_usd": [10_000.0, 4_000.0, 5_000.0, 20_000.0, 8_000.0, 1_000.0],
            "ai_flag": ["generated", "generated", "scored", "assisted", "none", "assisted"],
            "stage": ["open"] * 6,  # no stage column: every deal is open
            "credit": [1.0, 1.0, 0.0, 0.3, 0.0, 0.3],
            # C: 12 days before creation, 0.5 ** (12 / 30) = 0.757858.
            "decay": [1.0, 1.0, 0.5 ** (12 / 30), 0.5, 1.0, 1.0],
            "attributed_usd": [10_000.0, 4_000.0, 0.0, 3_000.0, 0.0, 300.0],
            "non_ai_usd": [0.0, 0.0, 5_000.0, 17_000.0, 8_000.0, 700.0],
            "lost_usd": [0.0] * 6,
        }
    )
    pd.testing.assert_frame_equal(result.breakdown, expected, check_dtype=False)


def test_pipeline_reports_flags_side_by_side():
    result = attributable_pipeline(
        standard_opportunities(), policy=CreditPolicy(), start=Q1_START, end=Q1_END
    )
    by_flag = {f.flag: (f.opportunities, f.amount_usd, f.attributed_usd) for f in result.by_flag}
    assert by_flag == {
        "generated": (2, 14_000, 14_000),
        "assisted": (2, 21_000, pytest.approx(3_300)),
        "scored": (1, 5_000, 0),
        "none": (1, 8_000, 0),
    }


@pytest.mark.parametrize(
    ("policy", "attributable"),
    [
        # 10,000 + 20,000 x 0.5 x 0.5 + 4,000 + 1,000 x 0.5 = 19,500.
        (CreditPolicy(assisted=Decimal("0.5")), 19_500),
        # 10,000 + 0 + 4,000 + 0 = 14,000.
        (CreditPolicy(assisted=Decimal(0)), 14_000),
        # Half-life 15 days: B decays 0.25, 20,000 x 0.3 x 0.25 = 1,500; 15,800.
        (CreditPolicy(half_life_days=15), 15_800),
        # Scored at 0.2: C adds 5,000 x 0.2 x 0.5 ** (12/30) = 757.858; 18,057.858.
        (CreditPolicy(scored=Decimal("0.2")), 17_300 + 1_000 * 0.5 ** (12 / 30)),
    ],
)
def test_pipeline_follows_the_edited_credit_policy(policy, attributable):
    result = attributable_pipeline(
        standard_opportunities(), policy=policy, start=Q1_START, end=Q1_END
    )
    assert result.attributable_usd == pytest.approx(attributable)
    assert result.attributable_usd + result.non_ai_usd == pytest.approx(48_000)


def staged_opportunities():
    # A won, B lost, C open, D won, E lost, F open; G (after the window) won.
    return standard_opportunities().assign(
        stage=["won", "lost", "open", "won", "lost", "open", "won"]
    )


def test_pipeline_reports_created_won_and_lost_side_by_side():
    result = attributable_pipeline(
        staged_opportunities(), policy=CreditPolicy(), start=Q1_START, end=Q1_END
    )
    # Created 48,000 = won A 10,000 + D 8,000 = 18,000; lost B 20,000 + E 4,000 = 24,000;
    # open C 5,000 + F 1,000 = 6,000.
    assert (result.total_usd, result.won_usd, result.lost_usd, result.open_usd) == (
        48_000,
        18_000,
        24_000,
        6_000,
    )
    assert [(s.stage, s.opportunities, s.amount_usd) for s in result.by_stage] == [
        ("open", 2, 6_000),
        ("won", 2, 18_000),
        ("lost", 2, 24_000),
    ]
    # Lost deals earn nothing: A 10,000 x 1 + F 1,000 x 0.3 = 10,300 (B and E are lost).
    assert result.attributable_usd == pytest.approx(10_300)
    # Non-AI: the 24,000 that counts (open + won) less 10,300 = 13,700.
    assert result.non_ai_usd == pytest.approx(13_700)
    assert result.credited_opportunities == 2
    rows = result.breakdown.set_index("opportunity_id")
    assert rows.loc["B", ["attributed_usd", "non_ai_usd", "lost_usd"]].tolist() == [0, 0, 20_000]
    assert rows.loc["A", "lost_usd"] == 0
    assert {f.flag: f.amount_usd for f in result.by_flag} == {
        "generated": 10_000,
        "assisted": 1_000,
        "scored": 5_000,
        "none": 8_000,
    }
    frozen = result.as_json()
    assert (frozen["won_usd"], frozen["lost_usd"], frozen["open_usd"]) == (18_000, 24_000, 6_000)


def test_a_lost_deal_never_counts_toward_payback():
    deals = pd.DataFrame(
        {
            "opportunity_id": ["won", "lost", "open"],
            "created_date": [date(2026, 1, 10), date(2026, 1, 20), date(2026, 2, 1)],
            "amount_usd": [10_000.0, 5_000.0, 3_000.0],
            "ai_flag": ["generated"] * 3,
            "touch_date": [None] * 3,
            "stage": ["won", "lost", "open"],
        }
    )

    def payback_of(frame):
        pipeline = attributable_pipeline(frame, policy=CreditPolicy(), start=Q1_START, end=Q1_END)
        return payback(pipeline.daily, build_cost_usd=12_000, build_date=Q1_START, as_of=Q1_END)

    # Counted as open, the lost deal would pay the build back on 20 Jan (day 19); it does
    # not count, so 10,000 + the open 3,000 reach 12,000 on 1 Feb (day 31).
    assert payback_of(deals.drop(columns="stage")).days == 19
    assert payback_of(deals).days == 31


def test_an_unknown_stage_is_refused():
    with pytest.raises(ValueError, match="stage"):
        attributable_pipeline(
            standard_opportunities().assign(stage="pending"),
            policy=CreditPolicy(),
            start=Q1_START,
            end=Q1_END,
        )


def test_pipeline_daily_series_is_cumulative_over_the_window():
    result = attributable_pipeline(
        standard_opportunities(), policy=CreditPolicy(), start=Q1_START, end=Q1_END
    )
    daily = result.daily.set_index("day")
    assert len(daily) == 90
    # 10 Jan: A + E = 14,000; 14 Feb: + B 3,000 = 17,000; 31 Mar: + F 300 = 17,300.
    assert daily.loc[date(2026, 1, 9), "cumulative_usd"] == 0
    assert daily.loc[date(2026, 1, 10), "attributed_usd"] == 14_000
    assert daily.loc[date(2026, 2, 14), "cumulative_usd"] == pytest.approx(17_000)
    assert daily.loc[date(2026, 3, 31), "cumulative_usd"] == pytest.approx(17_300)


@pytest.mark.parametrize("share", ["-0.1", "1.5", "NaN"])
def test_credit_policy_rejects_shares_outside_zero_to_one(share):
    with pytest.raises(ValueError, match="assisted credit"):
        CreditPolicy(assisted=Decimal(share))


def test_credit_policy_describes_itself():
    assert CreditPolicy(assisted=Decimal("0.5")).describe() == (
        "AI-generated 100% credit, AI-assisted 50% (50/50), AI-scored 0%; time decay halves "
        "the credit every 30 days from the AI touch."
    )


# --- Day 90: cost per AI touch ----------------------------------------------------------


def standard_spend():
    rows = [
        (date(2025, 12, 1), "subscription", 1_000.0),  # before the window
        (date(2026, 1, 1), "subscription", 310.0),
        (date(2026, 1, 1), "model_usage", 62.0),
        (date(2026, 2, 1), "subscription", 280.0),
        (date(2026, 2, 1), "maintenance", 400.0),
        (date(2026, 3, 1), "subscription", 300.0),
    ]
    return pd.DataFrame(rows, columns=["month", "category", "amount_usd"])


def spend_runs():
    return run_rows(
        (date(2026, 1, 10), "orchestrated", "succeeded", "", 10, 1_000),  # before the window
        (date(2026, 1, 20), "orchestrated", "succeeded", "", 20, 96),
        (date(2026, 2, 3), "orchestrated", "succeeded", "", 30, 170),
        (date(2026, 2, 3), "baseline", "succeeded", "", 30, 0),
    )


def test_cost_per_touch_prorates_spend_by_days_in_the_window():
    # 16 Jan .. 14 Feb: 16 of January's 31 days, 14 of February's 28.
    result = cost_per_ai_touch(
        standard_spend(), spend_runs(), start=date(2026, 1, 16), end=date(2026, 2, 14)
    )
    # 310 x 16/31 = 160; 62 x 16/31 = 32; 280 x 14/28 = 140; 400 x 14/28 = 200. Sum 532.
    assert result.spend_usd == pytest.approx(532)
    # 96 + 170 = 266 AI-driven steps; 532 / 266 = 2.00 USD per AI touch.
    assert result.ai_steps == 266
    assert result.cost_per_touch_usd == pytest.approx(2.0)
    by_category = {c.category: (c.spend_usd, c.cost_per_touch_usd) for c in result.by_category}
    assert by_category == {
        "subscription": pytest.approx((300, 300 / 266)),
        "model_usage": pytest.approx((32, 32 / 266)),
        "maintenance": pytest.approx((200, 200 / 266)),
    }


def test_cost_per_touch_monthly_series():
    result = cost_per_ai_touch(
        standard_spend(), spend_runs(), start=date(2026, 1, 16), end=date(2026, 2, 14)
    )
    expected = pd.DataFrame(
        {
            "month": [date(2026, 1, 1), date(2026, 2, 1)],
            "spend_usd": [192.0, 340.0],  # 160 + 32; 140 + 200
            "ai_steps": [96, 170],
            "cost_per_touch_usd": [2.0, 2.0],
        }
    )
    pd.testing.assert_frame_equal(result.monthly, expected, check_dtype=False)


def test_cost_per_touch_counts_a_whole_month_inside_the_window():
    result = cost_per_ai_touch(
        standard_spend(), spend_runs(), start=date(2026, 1, 1), end=date(2026, 1, 31)
    )
    # 310 + 62 = 372 over 1,000 + 96 = 1,096 AI-driven steps.
    assert result.spend_usd == pytest.approx(372)
    assert result.cost_per_touch_usd == pytest.approx(372 / 1_096)


def test_cost_per_touch_is_none_with_a_reason_without_ai_steps():
    result = cost_per_ai_touch(
        standard_spend(), empty_runs(), start=date(2026, 1, 1), end=date(2026, 1, 31)
    )
    assert result.cost_per_touch_usd is None
    assert result.reason == "No AI-driven steps ran in the window: nothing to divide by."
    assert all(c.cost_per_touch_usd is None for c in result.by_category)


# --- Day 90: payback --------------------------------------------------------------------


def daily(first_day, amounts):
    return pd.DataFrame(
        {
            "day": [first_day + timedelta(days=offset) for offset in range(len(amounts))],
            "attributed_usd": [float(amount) for amount in amounts],
        }
    )


def test_payback_is_reached_on_the_first_day_covering_the_build_cost():
    pipeline = pd.concat(
        [daily(date(2025, 12, 1), [5_000]), daily(date(2026, 1, 1), [400, 0, 600, 900])]
    )
    result = payback(
        pipeline,
        build_cost_usd=Decimal(1_000),
        build_date=date(2025, 12, 20),
        as_of=date(2026, 2, 1),
    )
    # 1 Dec is before the build; 400 + 0 + 600 = 1,000 on 3 Jan, 14 days after 20 Dec.
    assert result.reached
    assert (result.days, result.reached_on) == (14, date(2026, 1, 3))
    assert not result.is_projection
    assert result.projected_days is None
    assert result.cumulative_usd == pytest.approx(1_900)


def test_payback_counts_an_exact_hit_despite_float_sums():
    result = payback(
        daily(date(2026, 1, 1), [0.1, 0.2]),
        build_cost_usd=0.3,
        build_date=date(2026, 1, 1),
        as_of=date(2026, 1, 2),
    )
    assert (result.reached, result.days) == (True, 1)


def test_payback_not_reached_is_a_labelled_projection():
    result = payback(
        daily(date(2026, 1, 1), [50] * 10),
        build_cost_usd=2_000,
        build_date=date(2026, 1, 1),
        as_of=date(2026, 1, 10),
    )
    # 500 so far; 1,500 to go at 50 a day (all 10 days) = 30 more days after day 9: day 39.
    assert not result.reached
    assert (result.days, result.reached_on) == (None, None)
    assert result.is_projection
    assert result.projected_days == 39
    assert result.projected_on == date(2026, 2, 9)
    assert result.average_daily_usd == pytest.approx(50)
    assert "projection" in result.reason


def test_payback_projects_from_the_last_thirty_days_only():
    result = payback(
        daily(date(2026, 1, 1), [100] * 10 + [10] * 30),
        build_cost_usd=1_600,
        build_date=date(2026, 1, 1),
        as_of=date(2026, 3, 1),
    )
    # 1,000 + 300 = 1,300; 300 to go at 10 a day = 30 days after the last day (day 39): 69.
    assert result.projection_basis_days == 30
    assert result.average_daily_usd == pytest.approx(10)
    assert result.projected_days == 69


def test_payback_ignores_pipeline_after_as_of():
    result = payback(
        daily(date(2026, 1, 1), [100, 100, 5_000]),
        build_cost_usd=1_000,
        build_date=date(2026, 1, 1),
        as_of=date(2026, 1, 2),
    )
    # 200 by 2 Jan; 800 to go at 100 a day = 8 days after day 1: day 9.
    assert not result.reached
    assert result.projected_days == 9


def test_payback_has_no_projection_without_pipeline():
    result = payback(
        daily(date(2026, 1, 1), [0] * 5),
        build_cost_usd=1_000,
        build_date=date(2026, 1, 1),
        as_of=date(2026, 1, 5),
    )
    assert result.is_projection
    assert result.projected_days is None
    assert result.reason == "No attributable pipeline yet to project from."


def test_payback_of_a_zero_build_cost_is_day_zero():
    result = payback(
        daily(date(2026, 1, 1), []),
        build_cost_usd=0,
        build_date=date(2026, 1, 1),
        as_of=date(2026, 1, 1),
    )
    assert (result.reached, result.days, result.reached_on) == (True, 0, date(2026, 1, 1))


def test_payback_series_for_the_chart():
    pipeline = pd.DataFrame(
        {"day": [date(2026, 1, 1), date(2026, 1, 3)], "attributed_usd": [400.0, 600.0]}
    )
    result = payback(
        pipeline, build_cost_usd=2_000, build_date=date(2026, 1, 1), as_of=date(2026, 1, 5)
    )
    expected = pd.DataFrame(
        {
            "day": [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)],
            "cumulative_usd": [400.0, 400.0, 1_000.0],
            "build_cost_usd": [2_000.0] * 3,
        }
    )
    pd.testing.assert_frame_equal(result.series, expected, check_dtype=False)


def test_payback_does_not_project_beyond_ten_years():
    result = payback(
        daily(date(2026, 1, 1), [0.01]),
        build_cost_usd=1_000_000,
        build_date=date(2026, 1, 1),
        as_of=date(2026, 1, 1),
    )
    assert result.is_projection
    assert (result.projected_days, result.projected_on) == (None, None)
    assert result.reason == (
        "At the average of the last 1 day (0.01 USD a day) the build would take more than "
        "10 years to pay back."
    )


def test_payback_rejects_a_negative_build_cost():
    with pytest.raises(ValueError, match="build cost"):
        payback(daily(START, [1]), build_cost_usd=-1, build_date=START, as_of=START)


# --- Warnings ---------------------------------------------------------------------------

GO_LIVE = date(2026, 1, 1)


def throughput_of(orchestrated, baseline):
    runs = run_rows(
        (START, "orchestrated", "succeeded", "", orchestrated, 0),
        (START, "baseline", "succeeded", "", baseline, 0),
    )
    return throughput(runs, start=START, end=END)


@pytest.mark.parametrize(
    ("baseline", "warnings"),
    [
        (30, ()),
        (29, ("Only 29 baseline runs: the throughput comparison needs at least 30 in each arm.",)),
        (1, ("Only 1 baseline run: the throughput comparison needs at least 30 in each arm.",)),
        (0, ("No baseline runs: the throughput comparison needs at least 30 in each arm.",)),
    ],
)
def test_throughput_warns_under_thirty_runs_in_an_arm(baseline, warnings):
    result = throughput_of(30, baseline)
    assert throughput_warnings(result, go_live=GO_LIVE, as_of=date(2026, 1, 31)) == warnings


@pytest.mark.parametrize(
    ("as_of", "warnings"),
    [
        (date(2026, 1, 31), ()),
        (
            date(2026, 1, 30),
            (
                "It is day 29 after go-live: the throughput comparison is not defensible "
                "before the day-30 review (2026-01-31).",
            ),
        ),
        (
            date(2025, 12, 31),
            (
                "The workflow has not gone live yet: the throughput comparison is not "
                "defensible before the day-30 review (2026-01-31).",
            ),
        ),
    ],
)
def test_throughput_warns_before_day_thirty(as_of, warnings):
    assert throughput_warnings(throughput_of(30, 30), go_live=GO_LIVE, as_of=as_of) == warnings


@pytest.mark.parametrize(
    ("orchestrated_events", "warnings"),
    [
        (20, ()),
        (
            19,
            (
                "Only 19 orchestrated opportunities: the conversion comparison needs at least "
                "20 in each arm.",
            ),
        ),
    ],
)
def test_conversion_warns_under_twenty_events_in_an_arm(orchestrated_events, warnings):
    runs = run_rows(
        (START, "orchestrated", "succeeded", "", 100, 0),
        (START, "baseline", "succeeded", "", 100, 0),
    )
    events = events_frame(
        *[("2026-03-03T10:00:00Z", "opportunity", "orchestrated")] * orchestrated_events,
        *[("2026-03-03T10:00:00Z", "opportunity", "baseline")] * 20,
    )
    result = conversion(runs, events, kind="opportunity", start=START, end=END)
    assert conversion_warnings(result, go_live=GO_LIVE, as_of=date(2026, 3, 2)) == warnings


def test_conversion_warns_before_day_sixty_and_without_runs():
    result = conversion(empty_runs(), standard_events(), kind="booked_call", start=START, end=END)
    assert conversion_warnings(result, go_live=GO_LIVE, as_of=date(2026, 3, 1)) == (
        "It is day 59 after go-live: the conversion comparison is not defensible before the "
        "day-60 review (2026-03-02).",
        "No orchestrated runs: conversion per trigger needs runs in both arms.",
        "No baseline runs: conversion per trigger needs runs in both arms.",
    )


def generated_opportunities(count):
    return pd.DataFrame(
        {
            "opportunity_id": [f"O{n}" for n in range(count)],
            "created_date": [date(2026, 2, 1)] * count,
            "amount_usd": [1_000.0] * count,
            "ai_flag": ["generated"] * count,
            "touch_date": [None] * count,
        }
    )


@pytest.mark.parametrize(
    ("count", "end", "warnings"),
    [
        (5, date(2026, 3, 31), ()),
        (
            4,
            date(2026, 3, 31),
            (
                "Only 4 opportunities earn AI credit: the AI-attributable pipeline needs at least 5.",
            ),
        ),
        (
            5,
            date(2026, 3, 30),
            (
                "The AI-attributable pipeline covers only 89 days: revenue metrics need at least 90.",
            ),
        ),
    ],
)
def test_revenue_warns_under_five_opportunities_or_ninety_days(count, end, warnings):
    pipeline = attributable_pipeline(
        generated_opportunities(count), policy=CreditPolicy(), start=Q1_START, end=end
    )
    assert revenue_warnings(pipeline, go_live=GO_LIVE, as_of=date(2026, 4, 1)) == warnings


def test_revenue_warns_before_day_ninety_and_on_a_projected_payback():
    pipeline = attributable_pipeline(
        generated_opportunities(5), policy=CreditPolicy(), start=Q1_START, end=Q1_END
    )
    cost = cost_per_ai_touch(standard_spend(), empty_runs(), start=Q1_START, end=Q1_END)
    projected = payback(
        daily(date(2026, 1, 1), [50] * 10),
        build_cost_usd=2_000,
        build_date=date(2026, 1, 1),
        as_of=date(2026, 1, 10),
    )
    assert revenue_warnings(
        pipeline, go_live=GO_LIVE, as_of=date(2026, 3, 31), cost=cost, payback=projected
    ) == (
        "It is day 89 after go-live: the revenue metrics are not defensible before the day-90 "
        "review (2026-04-01).",
        "No cost per AI touch yet. No AI-driven steps ran in the window: nothing to divide by.",
        "The payback period of 39 days is a projection, not a result: the build has not paid "
        "back yet.",
    )


# --- Freezing ---------------------------------------------------------------------------


def test_every_result_freezes_to_plain_json():
    pipeline = attributable_pipeline(
        standard_opportunities(), policy=CreditPolicy(), start=Q1_START, end=Q1_END
    )
    results = [
        throughput(standard_runs(), start=START, end=END),
        conversion(standard_runs(), standard_events(), kind="booked_call", start=START, end=END),
        pipeline,
        cost_per_ai_touch(standard_spend(), spend_runs(), start=Q1_START, end=Q1_END),
        payback(pipeline.daily, build_cost_usd=50_000, build_date=Q1_START, as_of=Q1_END),
    ]
    for result in results:
        frozen = result.as_json()
        assert json.loads(json.dumps(frozen, allow_nan=False)) == frozen


def test_frozen_json_rounds_and_writes_iso_dates():
    frozen = throughput(standard_runs(), start=START, end=END).as_json()
    assert frozen["start"] == "2026-03-02"
    assert frozen["ratio"]["lower"] == 1.4884
    assert frozen["weekly"][0] == {
        "week_start": "2026-03-02",
        "arm": "orchestrated",
        "runs": 30,
        "days": 7,
    }
    pipeline = attributable_pipeline(
        standard_opportunities(), policy=CreditPolicy(), start=Q1_START, end=Q1_END
    ).as_json()
    assert pipeline["policy"]["assisted"] == "0.3"
    assert pipeline["breakdown"][1]["touch_date"] is None
    assert pipeline["breakdown"][2]["decay"] == 0.7579


# --- Properties -------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=5_000)
amounts = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)
days_in_q1 = st.integers(min_value=-20, max_value=110).map(lambda n: Q1_START + timedelta(n))


@PROPERTY_SETTINGS
@given(orchestrated=counts, baseline=counts)
def test_property_throughput_interval_contains_the_ratio(orchestrated, baseline):
    result = throughput_of(orchestrated, baseline)
    if orchestrated and baseline:
        assert result.ratio.lower <= result.ratio.estimate <= result.ratio.upper
    else:
        assert result.ratio is None


@PROPERTY_SETTINGS
@given(
    runs=st.tuples(st.integers(1, 500), st.integers(1, 500)),
    events=st.tuples(st.integers(0, 700), st.integers(0, 700)),
)
def test_property_conversion_intervals_contain_their_estimates(runs, events):
    run_log = run_rows(
        (START, "orchestrated", "succeeded", "", runs[0], 0),
        (START, "baseline", "succeeded", "", runs[1], 0),
    )
    event_log = events_frame(
        *[("2026-03-03T10:00:00Z", "booked_call", "orchestrated")] * events[0],
        *[("2026-03-03T10:00:00Z", "booked_call", "baseline")] * events[1],
    )
    result = conversion(run_log, event_log, kind="booked_call", start=START, end=END)
    for interval in (result.ratio, result.difference):
        if interval is not None:
            assert interval.lower <= interval.estimate + 1e-12
            assert interval.estimate <= interval.upper + 1e-12


opportunity_rows = st.lists(
    st.tuples(
        days_in_q1,
        amounts,
        st.sampled_from(["generated", "assisted", "scored", "none"]),
        st.one_of(st.none(), days_in_q1),
    ),
    max_size=25,
)
policies = st.builds(
    CreditPolicy,
    generated=st.decimals(0, 1, places=2),
    assisted=st.decimals(0, 1, places=2),
    scored=st.decimals(0, 1, places=2),
    half_life_days=st.integers(1, 365),
)


def opportunities_of(rows):
    return pd.DataFrame(
        {
            "opportunity_id": [f"O{n}" for n in range(len(rows))],
            "created_date": [row[0] for row in rows],
            "amount_usd": [row[1] for row in rows],
            "ai_flag": [row[2] for row in rows],
            "touch_date": [row[3] for row in rows],
        },
        columns=["opportunity_id", "created_date", "amount_usd", "ai_flag", "touch_date"],
    )


@PROPERTY_SETTINGS
@given(rows=opportunity_rows, policy=policies)
def test_property_attributable_and_non_ai_pipeline_add_up_to_the_total(rows, policy):
    result = attributable_pipeline(
        opportunities_of(rows), policy=policy, start=Q1_START, end=Q1_END
    )
    in_window = sum(amount for created, amount, _, _ in rows if Q1_START <= created <= Q1_END)
    assert result.attributable_usd + result.non_ai_usd == pytest.approx(in_window, abs=0.01)
    assert result.total_usd == pytest.approx(in_window, abs=0.01)
    assert -0.01 <= result.attributable_usd <= result.total_usd + 0.01


@PROPERTY_SETTINGS
@given(
    rows=opportunity_rows,
    policy=policies,
    stages=st.lists(st.sampled_from(["open", "won", "lost"]), min_size=25, max_size=25),
)
def test_property_attributable_non_ai_and_lost_add_up_to_the_created_pipeline(rows, policy, stages):
    frame = opportunities_of(rows).assign(stage=stages[: len(rows)])
    result = attributable_pipeline(frame, policy=policy, start=Q1_START, end=Q1_END)
    assert result.attributable_usd + result.non_ai_usd + result.lost_usd == pytest.approx(
        result.total_usd, abs=0.01
    )
    assert result.open_usd + result.won_usd + result.lost_usd == pytest.approx(
        result.total_usd, abs=0.01
    )
    lost_attributed = result.breakdown.loc[result.breakdown["stage"] == "lost", "attributed_usd"]
    assert (lost_attributed == 0).all()


@PROPERTY_SETTINGS
@given(rows=opportunity_rows, policy=policies, cost=amounts)
def test_property_cumulative_pipeline_never_decreases(rows, policy, cost):
    result = attributable_pipeline(
        opportunities_of(rows), policy=policy, start=Q1_START, end=Q1_END
    )
    assert result.daily["cumulative_usd"].is_monotonic_increasing
    back = payback(result.daily, build_cost_usd=cost, build_date=Q1_START, as_of=Q1_END)
    assert back.series["cumulative_usd"].is_monotonic_increasing
    assert back.reached != back.is_projection


@PROPERTY_SETTINGS
@given(
    spend=st.lists(
        st.tuples(
            st.integers(0, 14).map(lambda n: date(2025 + (n + 9) // 12, (n + 9) % 12 + 1, 1)),
            st.sampled_from(["subscription", "model_usage", "maintenance"]),
            amounts,
        ),
        max_size=12,
    ),
    ai_steps=st.lists(st.tuples(days_in_q1, st.integers(0, 10_000)), max_size=10),
)
def test_property_cost_per_touch_is_never_negative(spend, ai_steps):
    spend_frame = pd.DataFrame(spend, columns=["month", "category", "amount_usd"])
    runs = run_rows(*[(day, "orchestrated", "succeeded", "", 1, steps) for day, steps in ai_steps])
    result = cost_per_ai_touch(spend_frame, runs, start=date(2026, 1, 16), end=Q1_END)
    assert result.spend_usd >= 0
    if result.ai_steps:
        assert result.cost_per_touch_usd >= 0
        assert (result.monthly["cost_per_touch_usd"].dropna() >= 0).all()
    else:
        assert result.cost_per_touch_usd is None


def test_pure_package_imports_no_django():
    import subprocess
    import sys

    code = (
        "import sys, workflows.reviews.metrics\n"
        "print(','.join(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_events_accept_naive_python_datetimes_as_utc():
    events = pd.DataFrame(
        {
            "occurred_at": [datetime(2026, 3, 3, 10, 0)],
            "kind": ["booked_call"],
            "arm": ["orchestrated"],
        }
    )
    result = conversion(standard_runs(), events, kind="booked_call", start=START, end=END)
    assert result.orchestrated.events == 1
