"""Review charts: the figures the pages and the PDF draw."""

from datetime import date

import pandas as pd

from workflows.reviews.charts import payback_figure, weekly_throughput_figure


def trace(figure, name):
    """The trace a reader sees labelled ``name`` in the legend."""
    (found,) = [t for t in figure["data"] if t.get("name") == name]
    return found


def test_a_partial_last_week_is_shown_as_a_weekly_rate():
    weekly = pd.DataFrame(
        {
            "week_start": [date(2026, 11, 2), date(2026, 11, 9)] * 2,
            "arm": ["orchestrated", "orchestrated", "baseline", "baseline"],
            "runs": [70, 30, 35, 15],
            "days": [7, 3, 7, 3],
        }
    )
    figure = weekly_throughput_figure(weekly)
    assert trace(figure, "Orchestrated")["y"] == [70.0, 70.0]  # 30 runs in 3 days: 70 a week
    assert trace(figure, "Baseline")["y"] == [35.0, 35.0]


def test_the_payback_chart_marks_the_build_cost_and_the_crossing():
    series = pd.DataFrame(
        {"day": [date(2026, 9, 1), date(2026, 9, 2)], "cumulative_pipeline_usd": [500.0, 1500.0]}
    )
    figure = payback_figure(series, 1000.0, "2026-09-02")
    horizontal = [s for s in figure["layout"]["shapes"] if s["y0"] == s["y1"]]
    assert [s["y0"] for s in horizontal] == [1000.0]  # the build cost, across the chart
    assert any(a["text"] == "Payback" for a in figure["layout"]["annotations"])
    assert trace(figure, "Attributable pipeline (cumulative)")["y"] == [500.0, 1500.0]
