"""Empty periods give nulls with a reason, never NaN: every metric and chart of a review
serializes as strict JSON (no NaN or Infinity), whatever days, weeks or arms are empty.

Reported: a week with no runs gave 0/0 = NaN; the chart's JSON broke on the page and
completing the review was a 500 on PostgreSQL (``Token "NaN" is invalid``).
"""

import json
from datetime import date, timedelta

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.metrics_helpers import events_frame, run_rows
from tests.hypothesis_profiles import examples
from workflows.reviews.charts import (
    conversion_figure,
    cost_per_touch_figure,
    weekly_throughput_figure,
)
from workflows.reviews.metrics import conversion, cost_per_ai_touch, throughput

START = date(2026, 3, 2)


def strict(value):
    return json.dumps(value, allow_nan=False)


def runs_frame(rows):
    """(day, arm, status, runs) tuples -> a run log (``metrics_helpers.run_rows``)."""
    return run_rows(*[(day, arm, status, "", runs, runs) for day, arm, status, runs in rows])


def events(rows):
    """(day, arm) tuples -> booked calls at 10:00 UTC."""
    return events_frame(
        *[(f"{day.isoformat()}T10:00:00Z", "booked_call", arm) for day, arm in rows]
    )


def test_a_week_without_runs_is_a_gap_in_the_conversion_chart_not_nan():
    runs = runs_frame(
        [
            (START, "orchestrated", "succeeded", 10),
            (START, "baseline", "succeeded", 5),
            (START + timedelta(days=15), "orchestrated", "succeeded", 10),
        ]
    )  # no run at all in the week of 9 March
    booked = events([(START, "orchestrated"), (START + timedelta(days=15), "orchestrated")])
    result = conversion(runs, booked, kind="booked_call", start=START, end=START + timedelta(20))
    figure = conversion_figure(result.weekly, "per_run", "Booked calls per trigger")
    orchestrated = figure["data"][0]["y"]
    assert orchestrated[1] is None  # the empty week: a gap
    assert orchestrated[0] == 0.1
    strict(figure)
    strict(result.as_json())


days = st.integers(min_value=0, max_value=34)
arms = st.sampled_from(["orchestrated", "baseline"])
statuses = st.sampled_from(["succeeded", "failed", "running"])


@settings(max_examples=examples(60), deadline=None)
@given(
    run_rows=st.lists(st.tuples(days, arms, statuses, st.integers(0, 50)), max_size=12),
    event_rows=st.lists(st.tuples(days, arms), max_size=12),
    spend_months=st.lists(st.floats(0, 5000), max_size=3),
)
def test_every_review_metric_and_chart_is_strict_json(run_rows, event_rows, spend_months):
    end = START + timedelta(days=34)
    runs = runs_frame([(START + timedelta(d), a, s, n) for d, a, s, n in run_rows])
    booked = events([(START + timedelta(d), a) for d, a in event_rows])
    spend = pd.DataFrame(
        {
            "month": [date(2026, 3 + i, 1) for i in range(len(spend_months))],
            "category": ["subscription"] * len(spend_months),
            "amount_usd": spend_months,
        },
        columns=["month", "category", "amount_usd"],
    )
    through = throughput(runs, start=START, end=end)
    strict(through.as_json())
    strict(weekly_throughput_figure(through.weekly))
    conv = conversion(runs, booked, kind="booked_call", start=START, end=end)
    strict(conv.as_json())
    strict(conversion_figure(conv.weekly, "per_run", "Booked calls per trigger"))
    cost = cost_per_ai_touch(spend, runs, start=START, end=end)
    strict(cost.as_json())
    strict(
        cost_per_touch_figure(cost.monthly.rename(columns={"cost_per_touch_usd": "cost_per_touch"}))
    )
