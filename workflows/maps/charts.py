"""The swimlane chart of a workflow map, as a Plotly figure dict.

Pure module: standard library and plotly only, no Django, no clock. It draws what
PRODUCT.md section 3 asks a map to make plain: who does each step (one lane per team, fill
colour by actor), the waits between steps, the cross-team handoffs, the copy-paste spots,
the break step, and the share of runs of a step not every run passes through.

The figure is drawn with layout shapes and annotations only (no MathJax, no external
resources), and the returned dict holds plain ``str``/``int``/``float``/``bool`` values so it
serialises with ``json.dumps``. Coordinates: step ``order`` n is centred at x = n; lane i (0
for the first team to appear) is centred at y = -i.

plotly.js renders a small HTML subset in text, so every user-entered string (step names,
tools, teams) goes through ``escape_label`` before it becomes Plotly text. This module places
the marks; ``workflows.maps.chart_marks`` draws each one (colours, sizes, text).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from itertools import pairwise
from typing import Any

import plotly.graph_objects as go

from workflows.maps import chart_marks as marks
from workflows.maps.analysis import MapAnalysis
from workflows.maps.shapes import MapInput, StepInput

UNASSIGNED = "Unassigned"
EMPTY_TEXT = "No steps yet"


def swimlane_figure(
    map_: MapInput,
    analysis: MapAnalysis,
    *,
    confirmed_break_order: int | None = None,
    first_number: int = 1,
) -> dict[str, Any]:
    """The swimlane chart of ``map_`` as a Plotly figure dict ("data" and "layout").

    ``analysis`` is ``analyze_map(map_)``. The break step is ``confirmed_break_order`` when
    the team has confirmed one, else the analysis's suggestion (if any). Steps are numbered
    from ``first_number`` (a part of a longer map, ``swimlane_parts``).

    Raises:
        ValueError: when ``confirmed_break_order`` is not the order of a step of the map.
    """
    steps = tuple(sorted(map_.steps, key=lambda s: s.order))
    if not steps:
        return _empty_figure()
    orders = {s.order for s in steps}
    if confirmed_break_order is not None and confirmed_break_order not in orders:
        raise ValueError(
            f"Map {map_.name!r} has no step {confirmed_break_order} to confirm as break step."
        )
    break_order = confirmed_break_order
    if break_order is None and analysis.break_step is not None:
        break_order = analysis.break_step.order

    lanes = _lanes(steps)
    lane_keys = [lane.casefold() for lane in lanes]
    lane_of = {s.order: lane_keys.index(_team(s).casefold()) for s in steps}
    width = max(marks.STEP_PX * len(steps) + marks.EXTRA_WIDTH_PX, marks.MIN_WIDTH_PX)
    # One x unit is always STEP_PX wide; a short map leaves its lanes empty on the right.
    x_start = 0.5 - marks.LABEL_COLUMN
    x_range = (x_start, x_start + (width - 2 * marks.MARGIN_SIDE_PX) / marks.STEP_PX)
    y_range = (-(len(lanes) - 1) - 0.5, 0.5)
    height = marks.LANE_PX * len(lanes) + marks.EXTRA_HEIGHT_PX

    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for index, team in enumerate(lanes):
        shapes.append(marks.lane_band(index, x_range))
        annotations.append(marks.lane_label(index, team, x_range))
    for step in steps:
        lane = lane_of[step.order]
        shapes.append(marks.step_box(step, lane))
        annotations.append(marks.step_text(step, lane, step.order + first_number - 1))
        if step.manual_transfer:
            annotations.append(
                marks.step_tag(step, lane, "copy-paste", marks.COPY_PASTE_RED, left=True)
            )
        if step.order == break_order:
            shapes.append(marks.break_outline(step, lane))
            annotations.append(
                marks.step_tag(step, lane, "break step", marks.BREAK_AMBER, left=False)
            )
    for step, following in pairwise(steps):
        annotations.extend(marks.wait_arrow(step, following, lane_of))
    annotations.extend(marks.key_row(width))

    figure = go.Figure(
        data=[],
        layout={
            "template": "none",
            "width": width,
            "height": height,
            "margin": {
                "l": marks.MARGIN_SIDE_PX,
                "r": marks.MARGIN_SIDE_PX,
                "t": marks.MARGIN_TOP_PX,
                "b": marks.MARGIN_BOTTOM_PX,
            },
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "showlegend": False,
            "hovermode": False,
            "dragmode": False,
            "font": {"family": "system-ui, sans-serif", "size": 12, "color": marks.INK},
            "xaxis": marks.hidden_axis(x_range),
            "yaxis": marks.hidden_axis(y_range),
            "shapes": shapes,
            "annotations": annotations,
        },
    )
    plain: dict[str, Any] = _plain(figure.to_plotly_json())
    return plain


def _team(step: StepInput) -> str:
    return step.team.strip() or UNASSIGNED


def _lanes(steps: tuple[StepInput, ...]) -> list[str]:
    """Teams in order of first appearance; teams differing only in case share a lane."""
    lanes: dict[str, str] = {}
    for step in steps:
        lanes.setdefault(_team(step).casefold(), _team(step))
    return list(lanes.values())


PRINT_STEPS_PER_PART = 4


def swimlane_parts(
    map_: MapInput,
    analysis: MapAnalysis,
    *,
    confirmed_break_order: int | None = None,
    per_part: int = PRINT_STEPS_PER_PART,
) -> list[dict[str, Any]]:
    """The swimlane in parts of at most ``per_part`` steps, for print: a long map drawn
    whole would shrink its text below reading size on a page. Each part keeps the steps'
    numbers, lanes, tags and the break step; an arrow between two parts is not drawn."""
    steps = tuple(sorted(map_.steps, key=lambda s: s.order))
    if len(steps) <= per_part:
        return [swimlane_figure(map_, analysis, confirmed_break_order=confirmed_break_order)]
    break_order = confirmed_break_order
    if break_order is None and analysis.break_step is not None:
        break_order = analysis.break_step.order
    no_suggestion = replace(analysis, break_step=None)
    # Balanced parts: nine steps print as 3 + 3 + 3, not 4 + 4 + 1.
    count = -(-len(steps) // per_part)
    size = -(-len(steps) // count)
    parts = []
    for start in range(0, len(steps), size):
        chunk = steps[start : start + size]
        local = tuple(replace(s, order=i) for i, s in enumerate(chunk, 1))
        index = (
            [s.order for s in chunk].index(break_order) + 1
            if break_order in {s.order for s in chunk}
            else None
        )
        parts.append(
            swimlane_figure(
                replace(map_, steps=local),
                no_suggestion,
                confirmed_break_order=index,
                first_number=chunk[0].order,
            )
        )
    return parts


def _empty_figure() -> dict[str, Any]:
    figure = go.Figure(
        data=[],
        layout={
            "template": "none",
            "height": marks.EMPTY_HEIGHT_PX,
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [
                {
                    "x": 0.5,
                    "y": 0.5,
                    "xref": "paper",
                    "yref": "paper",
                    "text": EMPTY_TEXT,
                    "showarrow": False,
                    "font": {"size": 16, "color": marks.MUTED},
                }
            ],
        },
    )
    plain: dict[str, Any] = _plain(figure.to_plotly_json())
    return plain


def _plain(value: Any) -> Any:
    """``value`` with tuples as lists and Decimals as floats, so ``json.dumps`` takes it."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    return value
