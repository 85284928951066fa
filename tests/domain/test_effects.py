"""Effects labelled by design, on the run log: CUPED arms, DiD weekly, cost trend."""

from datetime import date, timedelta

import pandas as pd
import pytest

from workflows.reviews.metrics.cuped import cuped
from workflows.reviews.metrics.effects import arm_effects, did_effects, weekly_series
from workflows.reviews.metrics.sequential import look_boundary
from workflows.reviews.metrics.trend import cost_per_touch_by_review

GO_LIVE = date(2026, 3, 2)  # a Monday
COLUMNS = [
    "day",
    "arm",
    "status",
    "stopped_at_step",
    "runs",
    "ai_steps",
    "steps_total",
    "steps_succeeded",
]


def runs(rows):
    return pd.DataFrame(
        [
            (day, arm, "succeeded", "", n, 3 * n if arm == "orchestrated" else 0, n, n)
            for day, arm, n in rows
        ],
        columns=COLUMNS,
    )


NO_EVENTS = pd.DataFrame(columns=["occurred_at", "kind", "arm"])


def test_arm_effects_are_cuped_on_days_with_the_weekday_covariate():
    days = [GO_LIVE + timedelta(days=d) for d in range(14)]
    orchestrated = [10 + d % 7 for d in range(14)]
    baseline = [6 + (d % 7) // 2 for d in range(14)]
    log = runs(
        [(day, "orchestrated", n) for day, n in zip(days, orchestrated, strict=True)]
        + [(day, "baseline", n) for day, n in zip(days, baseline, strict=True)]
    )
    profile = (5.0, 6.0, 7.0, 8.0, 9.0, 3.0, 2.0)
    result = arm_effects(
        log,
        NO_EVENTS,
        weekday_runs=profile,
        weekday_per_run=None,
        start=days[0],
        end=days[-1],
        review_day=30,
    )["throughput"]
    x = [profile[day.weekday()] for day in days]
    expected = cuped(orchestrated, x, baseline, x, scale=7)
    assert result["design"] == "randomized" and result["scale"] == "additive"
    assert result["interval"]["estimate"] == pytest.approx(expected.estimate, abs=1e-4)
    c = look_boundary(30)
    assert result["interval"]["lower"] == pytest.approx(
        expected.estimate - c * expected.standard_error, abs=1e-4
    )
    assert "conversion" not in arm_effects(
        log,
        NO_EVENTS,
        weekday_runs=profile,
        weekday_per_run=None,
        start=days[0],
        end=days[-1],
        review_day=30,
    )


def test_did_effects_on_weekly_series():
    pre = [GO_LIVE - timedelta(days=d) for d in range(1, 29)]
    post = [GO_LIVE + timedelta(days=d) for d in range(14)]
    treated = runs(
        [(d, "baseline", 2 + (d.day % 2)) for d in pre]
        + [(d, "orchestrated", 4 + (d.day % 2)) for d in post]
    )
    comparison = runs([(d, "baseline", 3 + (d.day % 3 == 0)) for d in pre + post])
    t = weekly_series(treated, NO_EVENTS, go_live=GO_LIVE, pre_weeks=4, end=post[-1])
    c = weekly_series(comparison, NO_EVENTS, go_live=GO_LIVE, pre_weeks=4, end=post[-1])
    assert list(t["week"]) == [-4, -3, -2, -1, 0, 1]
    result = did_effects(t, c, comparison_name="Partner referrals", review_day=30)
    effect = result["throughput"]
    table = effect["table"]
    expected = (t["runs"][4:].mean() - t["runs"][:4].mean()) - (
        c["runs"][4:].mean() - c["runs"][:4].mean()
    )
    assert table["effect"]["value"] == pytest.approx(expected, abs=1e-4)
    assert effect["design"] == "did" and effect["pre_trends"]["judged"]
    assert len(result["weekly"]["treated"]) == 6


def test_did_effects_name_the_short_cells():
    post = [GO_LIVE + timedelta(days=d) for d in range(7)]
    treated = runs([(d, "orchestrated", 4) for d in post])
    t = weekly_series(treated, NO_EVENTS, go_live=GO_LIVE, pre_weeks=0, end=post[-1])
    result = did_effects(t, t, comparison_name="X", review_day=30)
    assert "2 whole weeks" in result["throughput"]["reason"]


def test_cost_per_touch_by_review_window():
    days = [GO_LIVE + timedelta(days=d) for d in range(90)]
    log = runs([(d, "orchestrated", 10 if i < 30 else 20) for i, d in enumerate(days)])
    spend = pd.DataFrame(
        {
            "month": [date(2026, m, 1) for m in (3, 4, 5, 6)],
            "category": "subscription",
            "amount_usd": [3100.0, 3000.0, 3100.0, 3000.0],
        }
    )
    trend = cost_per_touch_by_review(spend, log, go_live=GO_LIVE, as_of=days[-1])
    first, second, third = (w["cost_per_touch_usd"] for w in trend["windows"])
    assert first == pytest.approx(3000 / 900, abs=1e-4)  # 100 USD a day over 30 x 30 AI steps
    assert second == pytest.approx(3000 / 1800, abs=1e-4)
    assert trend["change"] == pytest.approx(third / first - 1, abs=1e-3)
    assert (
        len(cost_per_touch_by_review(spend, log, go_live=GO_LIVE, as_of=days[40])["windows"]) == 2
    )
