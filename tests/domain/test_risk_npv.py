"""Risk-adjusted revenue (TEI haircut), payback ranges and NPV, checked independently."""

from datetime import date, timedelta

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest

from workflows.reviews.metrics import CreditPolicy, attributable_pipeline
from workflows.reviews.metrics.npv import period_rate, spend_per_day, workflow_npv
from workflows.reviews.metrics.risk import (
    BASELINE_MISSING,
    BASELINE_OK,
    BASELINE_SHORT,
    payback_range,
    pipeline_range,
    risk_adjustment,
)

GO_LIVE = date(2026, 1, 5)


def test_the_haircut_compounds_its_factors_by_hand():
    risk = risk_adjustment(
        credited_opportunities=7, window_days=80, unknown_share=0.10, baseline=BASELINE_SHORT
    )
    assert [f.share for f in risk.factors] == [0.15, 0.10, 0.05, 0.10]
    assert risk.haircut == pytest.approx(1 - 0.85 * 0.90 * 0.95 * 0.90)  # 0.345925
    assert [f["percent"] for f in risk.as_json()["factors"]] == [15.0, 10.0, 5.0, 10.0]


@pytest.mark.parametrize(
    ("credited", "days", "unknown", "baseline", "haircut"),
    [
        (20, 90, 0.0, BASELINE_OK, 0.0),
        (4, 59, None, BASELINE_MISSING, 1 - 0.75 * 0.80 * 0.80 * 0.85),
        (19, 89, 0.6, BASELINE_OK, 1 - 0.95 * 0.90 * 0.80),
    ],
)
def test_each_rule_applies_at_its_threshold(credited, days, unknown, baseline, haircut):
    risk = risk_adjustment(
        credited_opportunities=credited, window_days=days, unknown_share=unknown, baseline=baseline
    )
    assert risk.haircut == pytest.approx(haircut)


def ten_deals():
    return pd.DataFrame(
        {
            "opportunity_id": [f"o{i}" for i in range(10)],
            "created_date": [GO_LIVE + timedelta(days=i) for i in range(10)],
            "amount_usd": [1000.0] * 10,
            "ai_flag": ["generated"] * 10,
            "touch_date": [None] * 10,
            "stage": ["won"] * 8 + ["lost"] * 2,
        }
    )


def test_the_pipeline_range_by_hand():
    pipeline = attributable_pipeline(
        ten_deals(), policy=CreditPolicy(), start=GO_LIVE, end=GO_LIVE + timedelta(days=89)
    )
    risk = risk_adjustment(
        credited_opportunities=8, window_days=90, unknown_share=0.0, baseline=BASELINE_OK
    )  # 15%
    result, se = pipeline_range(pipeline, risk)
    # Lost deals count for nothing: 8 x 1000 attributed. SE = sqrt(8 x 1000^2).
    assert se == pytest.approx(1000 * 8**0.5)
    assert result.high == 8000
    assert result.likely == pytest.approx(8000 * 0.85)
    assert result.low == pytest.approx((8000 - 1.959964 * 1000 * 8**0.5) * 0.85, rel=1e-6)


def test_the_payback_range_against_an_independent_cumulative_sum():
    days = [GO_LIVE + timedelta(days=i) for i in range(60)]
    daily = pd.DataFrame({"day": days, "attributed_usd": [100.0] * 60})
    from workflows.reviews.metrics.risk import Range

    scenarios = Range(low=3000.0, likely=4800.0, high=6000.0)  # measured 6000 over 60 days
    result = payback_range(
        daily, scenarios, 6000.0, build_cost_usd=1000, build_date=GO_LIVE, as_of=days[-1]
    )
    for name, factor in (("low", 0.5), ("likely", 0.8), ("high", 1.0)):
        cumulative = np.cumsum(np.full(60, 100.0 * factor))
        expected = int(np.argmax(cumulative >= 1000 - 0.005))
        assert getattr(result, name).days == expected
    assert result.as_json()["high"] == {
        "days": 9,
        "label": "reached",
        "on": (GO_LIVE + timedelta(days=9)).isoformat(),
        "reason": "",
    }


def test_a_payback_not_reached_is_labelled_projected():
    days = [GO_LIVE + timedelta(days=i) for i in range(10)]
    daily = pd.DataFrame({"day": days, "attributed_usd": [50.0] * 10})
    from workflows.reviews.metrics.risk import Range

    result = payback_range(
        daily,
        Range(250.0, 400.0, 500.0),
        500.0,
        build_cost_usd=1000,
        build_date=GO_LIVE,
        as_of=days[-1],
    )
    summary = result.as_json()
    assert (
        summary["high"]["label"] == "projected" and summary["high"]["days"] == 19
    )  # day 9 + 500 / 50
    assert summary["low"]["days"] == 39  # day 9 + 750 / 25


def test_npv_of_a_worked_example():
    # Build 1,000 at go-live; one won deal attributing 600 USD closes on day 10 (period 1);
    # gross margin 50%, no spend. At 10% a year the 30-day rate is 1.1 ** (30/365) - 1, so
    # NPV = -1000 + 300 / 1.1 ** (30/365) = -1000 + 297.66... = -702.34.
    won = pd.DataFrame({"close_date": [GO_LIVE + timedelta(days=10)], "attributed_usd": [600.0]})
    spend = pd.DataFrame({"day": [], "spend_usd": []})
    result = workflow_npv(
        won,
        spend,
        build_cost_usd=1000,
        go_live=GO_LIVE,
        as_of=GO_LIVE + timedelta(days=29),
        discount_rate=0.10,
        gross_margin=0.5,
    )
    assert result.cash_flows == (-1000, 300)
    assert result.npv_to_date["likely"] == pytest.approx(-1000 + 300 / 1.1 ** (30 / 365))
    assert round(result.npv_to_date["likely"], 2) == -702.34


def test_npv_agrees_with_numpy_financial():
    rng = np.random.default_rng(3)
    closes = [GO_LIVE + timedelta(days=int(d)) for d in rng.integers(0, 100, 25)]
    won = pd.DataFrame({"close_date": closes, "attributed_usd": rng.uniform(1000, 9000, 25)})
    spend = pd.DataFrame(
        {"month": [date(2026, m, 1) for m in (1, 2, 3, 4)], "amount_usd": [2000.0] * 4}
    )
    daily_spend = spend_per_day(spend, start=GO_LIVE, end=GO_LIVE + timedelta(days=99))
    result = workflow_npv(
        won,
        daily_spend,
        build_cost_usd=80_000,
        go_live=GO_LIVE,
        as_of=GO_LIVE + timedelta(days=99),
        discount_rate=0.10,
        gross_margin=0.7,
        factors={"low": 0.5, "likely": 0.8, "high": 1.0},
    )
    assert result.periods == 4 and result.whole_periods == 3
    rate = period_rate(0.10)
    for name, factor in (("low", 0.5), ("likely", 0.8), ("high", 1.0)):
        flows = [-80_000] + [
            factor * b - c for b, c in zip(result.benefits, result.costs, strict=True)
        ]
        assert result.npv_to_date[name] == pytest.approx(npf.npv(rate, flows))
        horizon = flows[:4] + [np.mean(flows[1:4])] * 33
        assert result.npv_projected[name] == pytest.approx(npf.npv(rate, horizon))
    # Spend spread by day: January's 2,000 over 31 days, 27 of them from 5 January.
    assert sum(result.costs) == pytest.approx(2000 * 27 / 31 + 2000 + 2000 + 2000 * 14 / 30)
