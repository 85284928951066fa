"""Review metrics: invariants under random input (hypothesis)."""

from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.domain.metrics_helpers import (
    END,
    PROPERTY_SETTINGS,
    Q1_END,
    Q1_START,
    START,
    events_frame,
    opportunities_of,
    run_rows,
    standard_runs,
    throughput_of,
)
from workflows.reviews.metrics import (
    CreditPolicy,
    attributable_pipeline,
    conversion,
    cost_per_ai_touch,
    payback,
)

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
