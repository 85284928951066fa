"""A review's snapshot without a database: its window, what each stage measures, and the
payback projection drawn to its day."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pytest

from tests.domain.metrics_helpers import (
    Q1_END,
    Q1_START,
    empty_runs,
    spend_runs,
    standard_events,
    standard_opportunities,
    standard_runs,
    standard_spend,
)
from workflows.reviews import metrics
from workflows.reviews.snapshot import (
    ReviewFrames,
    review_snapshot_compute,
    snapshot_rows,
    snapshot_window,
    with_projection,
)

FRAMES = ReviewFrames(
    standard_runs(), standard_events(), standard_opportunities(), standard_spend()
)


def snapshot(
    stage, *, go_live=date(2026, 3, 2), due=date(2026, 6, 1), as_of=date(2026, 6, 1), frames=FRAMES
):
    return review_snapshot_compute(
        stage=stage,
        go_live=go_live,
        due_date=due,
        as_of=as_of,
        frames=frames,
        policy=metrics.CreditPolicy(),
        build_cost_usd=Decimal(50_000),
    )


@pytest.mark.parametrize(
    ("as_of", "due", "window"),
    [
        (date(2026, 3, 20), date(2026, 4, 1), (date(2026, 3, 2), date(2026, 3, 20))),  # live
        (date(2026, 5, 1), date(2026, 4, 1), (date(2026, 3, 2), date(2026, 4, 1))),  # due passed
        (date(2026, 2, 1), date(2026, 4, 1), (date(2026, 3, 2), date(2026, 2, 1))),  # not live
    ],
)
def test_the_window_runs_from_go_live_to_today_or_the_due_date(as_of, due, window):
    assert snapshot_window(go_live=date(2026, 3, 2), due_date=due, as_of=as_of) == window


def test_before_go_live_there_is_nothing_to_measure_and_no_data_is_needed():
    result = snapshot(30, as_of=date(2026, 2, 1), frames=None)
    assert result["empty"] is True
    assert result["warnings"] == [
        "The workflow goes live on 02 Mar 2026: there is nothing to measure yet."
    ]
    assert "throughput" not in result


@pytest.mark.parametrize(
    ("stage", "sections"),
    [
        (30, {"throughput"}),
        (60, {"throughput", "conversion"}),
        (90, {"throughput", "conversion", "pipeline", "cost", "payback"}),
    ],
)
def test_each_stage_measures_its_own_and_the_earlier_stages_metrics(stage, sections):
    result = snapshot(stage)
    measured = {
        k for k in ("throughput", "conversion", "pipeline", "cost", "payback") if k in result
    }
    assert measured == sections
    assert set(result["charts"]) == sections - {"pipeline"}
    assert len(result["warnings"]) == len(set(result["warnings"]))  # each said once


def test_the_csv_rows_flatten_the_headline_numbers_and_the_warnings():
    result = snapshot(30)
    rows = snapshot_rows(result)
    assert rows[:2] == [
        ("review", "as_of", "2026-06-01"),
        ("review", "window", "2026-03-02..2026-06-01"),
    ]
    assert ("throughput", "ratio.estimate", result["throughput"]["ratio"]["estimate"]) in rows
    assert [r for r in rows if r[0] == "warnings"] == [
        ("warnings", str(i + 1), w) for i, w in enumerate(result["warnings"])
    ]


def test_an_unreached_payback_is_drawn_in_a_straight_line_to_its_projected_day():
    pipeline = metrics.attributable_pipeline(
        standard_opportunities(), policy=metrics.CreditPolicy(), start=Q1_START, end=Q1_END
    )
    back = metrics.payback(pipeline.daily, build_cost_usd=30_000, build_date=Q1_START, as_of=Q1_END)
    assert back.is_projection and back.projected_on and back.average_daily_usd
    series = back.series.rename(columns={"cumulative_usd": "cumulative_pipeline_usd"})
    drawn = with_projection(series, back)
    projected = drawn[drawn["projected"]]
    assert not drawn[~drawn["projected"]]["cumulative_pipeline_usd"].empty
    assert projected["day"].iloc[0] == pd.Timestamp(series["day"].iloc[-1]).date()
    assert projected["day"].iloc[-1] <= back.projected_on
    steps = projected["cumulative_pipeline_usd"].diff().dropna()
    assert (steps > 0).all() and steps.nunique() <= 2  # a straight line (the last step shorter)


def test_a_projection_needs_a_projected_day():
    back = metrics.payback(
        pd.DataFrame({"day": [], "attributed_usd": [], "cumulative_usd": []}),
        build_cost_usd=1_000,
        build_date=Q1_START,
        as_of=Q1_START + timedelta(days=5),
    )
    series = pd.DataFrame({"day": [], "cumulative_pipeline_usd": []})
    assert with_projection(series, replace(back, projected_on=None)).equals(series)


def test_cost_per_touch_is_charted_from_the_spend_and_the_runs():
    frames = ReviewFrames(
        spend_runs(), standard_events(), standard_opportunities(), standard_spend()
    )
    result = snapshot(90, go_live=Q1_START, due=Q1_END, as_of=Q1_END, frames=frames)
    assert result["cost"]["ai_steps"] > 0
    assert result["charts"]["cost"]["data"]


def test_no_runs_still_gives_a_day_30_snapshot_with_its_warnings():
    frames = ReviewFrames(
        empty_runs(), standard_events(), standard_opportunities(), standard_spend()
    )
    result = snapshot(30, frames=frames)
    assert result["throughput"]["orchestrated"]["runs"] == 0
    assert result["warnings"]
