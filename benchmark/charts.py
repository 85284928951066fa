"""The dimension-profile radar (and its phone bars, and the retakes history) as Plotly figure
dicts: the pages draw them as SVG on the server (``core.svgchart``), the board report as SVG
through Kaleido, so both show the same figure.

Pure module: standard library only, no Django.
"""

from __future__ import annotations

import html
import textwrap
from typing import Any

FONT = "DejaVu Sans, system-ui, -apple-system, Segoe UI, Roboto, sans-serif"


def _closed(values: list[Any]) -> list[Any]:
    return [*values, values[0]] if values else values


def radar_figure(
    labels: list[str],
    you: list[float | None],
    peers: list[float | None] | None,
    peer_name: str,
) -> dict[str, Any]:
    """Your dimension scores (0..100) against the peer medians, one spoke per label.

    A score of None (a dimension with no answered question) draws no point: the outline
    joins the neighbouring spokes across it instead of dipping to 0. The peer trace is left
    out when ``peers`` is empty or misses a value. Labels are HTML-escaped because
    plotly.js renders a small HTML subset in text.
    """
    # Long labels on two lines, so none runs past the chart's edge beside the circle.
    theta = _closed(
        ["<br>".join(html.escape(line) for line in textwrap.wrap(label, 16)) for label in labels]
    )
    # Unscored spokes are left out of your outline, which joins its neighbours across them;
    # the axis keeps every spoke (categoryarray), so the unanswered one still shows.
    scored = [(r, t) for r, t in zip(you, theta, strict=False) if r is not None]
    data = []
    if peers and all(p is not None for p in peers):
        data.append(
            {
                "type": "scatterpolar",
                "mode": "lines",
                "name": peer_name,
                "r": _closed(list(peers)),
                "theta": theta,
                "line": {"color": "#8a94a6", "dash": "dot", "width": 2},
                "hovertemplate": "%{theta}: %{r:.0f}<extra>" + html.escape(peer_name) + "</extra>",
            }
        )
    data.append(
        {
            "type": "scatterpolar",
            "mode": "lines+markers",
            "name": "Your team",
            "fill": "toself",
            "r": _closed([r for r, _ in scored]),
            "theta": _closed([t for _, t in scored]),
            "line": {"color": "#0f766e", "width": 3},
            "fillcolor": "rgba(15,118,110,0.18)",
            "marker": {"size": 6},
            "hovertemplate": "%{theta}: %{r:.0f}<extra>Your team</extra>",
        }
    )
    return {
        "data": data,
        "layout": {
            "height": 440,
            "polar": {
                "radialaxis": {
                    "range": [0, 100],
                    "tickvals": [25, 50, 75, 100],
                    "angle": 90,
                    "tickfont": {"size": 10},
                },
                "angularaxis": {
                    "tickfont": {"size": 12},
                    "direction": "clockwise",
                    "rotation": 90,
                    "categoryorder": "array",
                    "categoryarray": theta[:-1],
                },
            },
            "legend": {"orientation": "h", "y": -0.08, "x": 0.5, "xanchor": "center"},
            "margin": {"l": 120, "r": 120, "t": 56, "b": 36},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "font": {"family": FONT, "color": "#1f2937"},
        },
    }


def bars_figure(
    labels: list[str],
    you: list[float | None],
    peers: list[float | None] | None,
    peer_name: str,
) -> dict[str, Any]:
    """The same profile for a phone: one horizontal bar per dimension (0..100), the peer
    median as a marker on it, labels above the bars so none is cut off on a narrow screen.

    Dimensions run top to bottom in the definition's order; a score of None draws no bar.
    """
    names = [html.escape(label) for label in labels]
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "orientation": "h",
            "name": "Your team",
            "x": list(you),
            "y": names,
            "marker": {"color": "#0f766e"},
            "width": 0.45,
            "hovertemplate": "%{y}: %{x:.0f}<extra>Your team</extra>",
        }
    ]
    if peers and all(p is not None for p in peers):
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": peer_name,
                "x": list(peers),
                "y": names,
                "marker": {
                    "symbol": "line-ns",
                    "size": 18,
                    "line": {"color": "#1f2937", "width": 3},
                },
                "hovertemplate": "%{y}: %{x:.0f}<extra>" + html.escape(peer_name) + "</extra>",
            }
        )
    return {
        "data": data,
        "layout": {
            "height": 64 + 46 * len(labels),
            "barmode": "overlay",
            "xaxis": {
                "range": [0, 100],
                "tickvals": [0, 25, 50, 75, 100],
                "fixedrange": True,
                "side": "top",
            },
            # Labels sit above each bar (annotations), not beside it: a phone has no room.
            "yaxis": {
                "autorange": "reversed",
                "showticklabels": False,
                "fixedrange": True,
            },
            "annotations": [
                {
                    "x": 0,
                    "y": name,
                    "xref": "x",
                    "yref": "y",
                    "text": name,
                    "showarrow": False,
                    "xanchor": "left",
                    "yanchor": "bottom",
                    "yshift": 9,
                    "font": {"size": 12},
                }
                for name in names
            ],
            "bargap": 0.5,
            "showlegend": True,
            "legend": {"orientation": "h", "y": -0.02, "x": 0, "yanchor": "top"},
            "margin": {"l": 8, "r": 12, "t": 28, "b": 40},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "font": {"family": FONT, "color": "#1f2937"},
        },
    }


HISTORY_COLOURS = ("#0f766e", "#1d4ed8", "#b54708", "#7c3aed", "#be185d", "#4d7c0f")
# The tier bands behind the line (0-40, 40-60, 60-80, 80-100), lightest tint of each tier.
TIER_BANDS = ((0, 40, "#fde8e7"), (40, 60, "#fdf1e4"), (60, 80, "#e6edfd"), (80, 100, "#e3f4ea"))


def history_figure(traces: list[dict[str, Any]]) -> dict[str, Any]:
    """Each member's overall score (0..100) over time, one line per member, over the tier
    bands. ``traces`` are ``{"name": escaped name, "x": [ISO date-times], "y": [scores]}``."""
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": trace["name"],
                "x": trace["x"],
                "y": trace["y"],
                "line": {"color": HISTORY_COLOURS[i % len(HISTORY_COLOURS)], "width": 2},
                "marker": {"size": 7},
            }
            for i, trace in enumerate(traces)
        ],
        "layout": {
            "height": 320,
            "yaxis": {
                "range": [0, 100],
                "title": {"text": "Overall score"},
                "tickvals": [0, 40, 60, 80, 100],
                "showgrid": False,
            },
            "xaxis": {"type": "date"},
            "shapes": [
                {
                    "type": "rect",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": low,
                    "y1": high,
                    "fillcolor": colour,
                    "line": {"width": 0},
                    "layer": "below",
                }
                for low, high, colour in TIER_BANDS
            ],
            "showlegend": True,
            "legend": {"orientation": "h", "y": -0.2},
            "margin": {"l": 60, "r": 16, "t": 10, "b": 40},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "font": {"family": FONT, "color": "#1f2937"},
        },
    }
