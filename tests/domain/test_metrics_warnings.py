"""Review metrics: the warnings that say when a number cannot defend itself yet, and freezing to JSON."""

import json
from datetime import date

import pytest

from tests.domain.metrics_helpers import (
    END,
    GO_LIVE,
    Q1_END,
    Q1_START,
    START,
    daily,
    empty_runs,
    events_frame,
    generated_opportunities,
    run_rows,
    spend_runs,
    standard_events,
    standard_opportunities,
    standard_runs,
    standard_spend,
    throughput_of,
)
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

# --- Warnings ---------------------------------------------------------------------------


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
