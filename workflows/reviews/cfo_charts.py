"""Plotly figures of the CFO-grade numbers (issue 17), as plain JSON-ready dicts.

Pure module: stdlib in, dicts out; no Django. The pre-trend chart draws the workflow and its
comparison series week by week around go-live, so parallel trends can be judged by eye.
"""

from __future__ import annotations

from typing import Any

from workflows.reviews.charts import BASELINE, BUILD_COST, FONT, ORCHESTRATED


def pre_trend_figure(
    treated: list[dict[str, Any]],
    comparison: list[dict[str, Any]],
    *,
    column: str,
    y_title: str,
    comparison_name: str,
    go_live: str,
) -> dict[str, Any]:
    """Both weekly series (rows with ``week_start`` and ``column``) and a go-live line."""
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": [row["week_start"] for row in rows],
            "y": [row.get(column) for row in rows],
            "line": {"color": colour, "dash": dash},
            "hovertemplate": "Week of %{x|%d %b}: %{y}<extra>" + name + "</extra>",
        }
        for name, rows, colour, dash in [
            ("This workflow", treated, ORCHESTRATED, "solid"),
            (comparison_name, comparison, BASELINE, "dot"),
        ]
    ]
    layout = {
        "height": 300,
        "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": FONT,
        "legend": {"orientation": "h", "y": -0.2},
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero", "gridcolor": "#e5e7eb"},
        "xaxis": {"type": "date"},
        "shapes": [
            {
                "type": "line",
                "x0": go_live,
                "x1": go_live,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"color": BUILD_COST, "dash": "dash", "width": 1},
            }
        ],
        "annotations": [
            {"x": go_live, "y": 1, "yref": "paper", "text": "go-live", "showarrow": False}
        ],
    }
    return {"data": data, "layout": layout}


def cost_trend_figure(windows: list[dict[str, Any]]) -> dict[str, Any]:
    """Cost per AI touch in each review window (bars, USD per AI-driven step)."""
    return {
        "data": [
            {
                "type": "bar",
                "x": [f"Day {w['review_day']}" for w in windows],
                "y": [w["cost_per_touch_usd"] for w in windows],
                "marker": {"color": ORCHESTRATED},
                "hovertemplate": "%{x}: $%{y:.3f} per AI touch<extra></extra>",
            }
        ],
        "layout": {
            "height": 260,
            "margin": {"l": 60, "r": 20, "t": 20, "b": 40},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "font": FONT,
            "yaxis": {"title": {"text": "USD per AI touch"}, "gridcolor": "#e5e7eb"},
        },
    }
