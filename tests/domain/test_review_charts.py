"""Review charts: the figures the pages and the PDF draw."""

from datetime import date

import pandas as pd

from workflows.reviews.charts import payback_figure, weekly_throughput_figure


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
    assert figure["data"][0]["y"] == [70.0, 70.0]  # 30 runs in 3 days is 70 a week
    assert figure["data"][1]["y"] == [35.0, 35.0]


def test_the_payback_chart_marks_the_build_cost_and_the_crossing():
    series = pd.DataFrame(
        {"day": [date(2026, 9, 1), date(2026, 9, 2)], "cumulative_pipeline_usd": [500.0, 1500.0]}
    )
    figure = payback_figure(series, 1000.0, "2026-09-02")
    assert figure["layout"]["shapes"][0]["y0"] == 1000.0
    assert any(a["text"] == "Payback" for a in figure["layout"]["annotations"])
    assert figure["data"][0]["y"] == [500.0, 1500.0]
