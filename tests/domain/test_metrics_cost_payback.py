"""Review metrics, day 90: cost per AI touch and payback by hand-computed cases."""

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from tests.domain.metrics_helpers import (
    START,
    daily,
    empty_runs,
    spend_runs,
    standard_spend,
)
from workflows.reviews.metrics import (
    cost_per_ai_touch,
    payback,
)

# --- Day 90: cost per AI touch ----------------------------------------------------------


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
