"""Plotly figures of the reviews, as plain JSON-ready dicts (page and PDF draw the same).

Pure module: pandas in, dicts out; no Django. Colours: orchestrated teal, baseline grey.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from workflows.reviews.metrics._common import round_or_none

ORCHESTRATED = "#0f766e"
BASELINE = "#8a94a6"
BUILD_COST = "#b42318"
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "color": "#1f2937"}


def _layout(y_title: str, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "height": 320,
        "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": FONT,
        "legend": {"orientation": "h", "y": -0.2},
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero", "gridcolor": "#e5e7eb"},
        "xaxis": {"type": "date"},
    }
    layout.update(extra)
    return layout


def _iso(values: pd.Series) -> list[str]:
    return [pd.Timestamp(v).date().isoformat() for v in values]


def weekly_throughput_figure(weekly: pd.DataFrame) -> dict[str, Any]:
    """Bars of runs a week by arm; ``weekly`` has week_start, arm, runs and, when the last
    week is partial, ``days`` (1..7): its runs are scaled to a 7-day rate so a short week
    does not read as a drop."""
    data = []
    arms = [("orchestrated", ORCHESTRATED, "Orchestrated"), ("baseline", BASELINE, "Baseline")]
    for arm, colour, label in arms:
        part = weekly[weekly["arm"] == arm] if len(weekly) else weekly
        if len(part) and "days" in part:
            rates = [
                round(int(r) * 7 / max(int(d), 1), 1)
                for r, d in zip(part["runs"], part["days"], strict=True)
            ]
        else:
            rates = [int(v) for v in part["runs"]] if len(part) else []
        data.append(
            {
                "type": "bar",
                "name": label,
                "x": _iso(part["week_start"]) if len(part) else [],
                "y": rates,
                "marker": {"color": colour},
                "hovertemplate": "Week of %{x|%d %b}: %{y} runs a week<extra>" + label + "</extra>",
            }
        )
    return {"data": data, "layout": _layout("Runs a week", barmode="group")}


def conversion_figure(weekly: pd.DataFrame, value_column: str, y_title: str) -> dict[str, Any]:
    """Lines of events per trigger by arm; ``weekly`` has week_start, arm and the value."""
    data = []
    for arm, colour, label in [
        ("orchestrated", ORCHESTRATED, "Orchestrated"),
        ("baseline", BASELINE, "Baseline"),
    ]:
        part = weekly[weekly["arm"] == arm] if len(weekly) else weekly
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": label,
                "x": _iso(part["week_start"]) if len(part) else [],
                "y": [round_or_none(v, 4) for v in part[value_column]] if len(part) else [],
                "line": {"color": colour, "width": 2},
            }
        )
    return {"data": data, "layout": _layout(y_title)}


def payback_figure(
    series: pd.DataFrame, build_cost_usd: float, crossing: str | None
) -> dict[str, Any]:
    """Cumulative attributable pipeline against the build cost, the crossing marked.
    ``series`` has day and cumulative_pipeline_usd (projection rows flagged ``projected``)."""
    actual = (
        series[~series.get("projected", pd.Series(False, index=series.index)).astype(bool)]
        if len(series)
        else series
    )
    projected = (
        series[series.get("projected", pd.Series(False, index=series.index)).astype(bool)]
        if len(series)
        else series
    )
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": "Attributable pipeline (cumulative)",
            "x": _iso(actual["day"]) if len(actual) else [],
            "y": [round_or_none(v, 2) for v in actual["cumulative_pipeline_usd"]]
            if len(actual)
            else [],
            "line": {"color": ORCHESTRATED, "width": 3},
        },
    ]
    if len(projected):
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": "Projection",
                "x": _iso(projected["day"]),
                "y": [round_or_none(v, 2) for v in projected["cumulative_pipeline_usd"]],
                "line": {"color": ORCHESTRATED, "width": 2, "dash": "dot"},
            }
        )
    shapes = [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "y0": build_cost_usd,
            "y1": build_cost_usd,
            "line": {"color": BUILD_COST, "width": 2, "dash": "dash"},
        }
    ]
    annotations = [
        {
            "xref": "paper",
            "x": 0.01,
            "y": build_cost_usd,
            "yanchor": "bottom",
            "showarrow": False,
            "text": f"Build cost ${build_cost_usd:,.0f}",
            "font": {"color": BUILD_COST, "size": 11},
        }
    ]
    if crossing:
        annotations.append(
            {
                "x": crossing,
                "y": build_cost_usd,
                "text": "Payback",
                "showarrow": True,
                "arrowhead": 2,
                "ay": -40,
                "font": {"color": BUILD_COST},
            }
        )
    return {"data": data, "layout": _layout("USD", shapes=shapes, annotations=annotations)}


def cost_per_touch_figure(monthly: pd.DataFrame) -> dict[str, Any]:
    """Cost per AI touch by month; ``monthly`` has month and cost_per_touch."""
    rows = monthly.dropna(subset=["cost_per_touch"]) if len(monthly) else monthly
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "Cost per AI touch",
                "x": _iso(rows["month"]) if len(rows) else [],
                "y": [round_or_none(v, 4) for v in rows["cost_per_touch"]] if len(rows) else [],
                "line": {"color": ORCHESTRATED, "width": 3},
            }
        ],
        "layout": _layout("USD per AI touch"),
    }
