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
tools, teams) goes through ``escape_label`` before it becomes Plotly text.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import replace
from decimal import Decimal
from itertools import pairwise
from typing import Any

import plotly.graph_objects as go

from core.text import one_line
from workflows.maps.analysis import MapAnalysis, format_minutes
from workflows.maps.shapes import Actor, MapInput, StepInput

UNASSIGNED = "Unassigned"
EMPTY_TEXT = "No steps yet"

ACTOR_FILLS = {Actor.HUMAN: "#fde8e7", Actor.AI: "#e0f2f1", Actor.RULE: "#e6edfd"}
ACTOR_NAMES = {Actor.HUMAN: "Human", Actor.AI: "AI", Actor.RULE: "Rule-based automation"}

INK = "#202124"
MUTED = "#5f6368"
LANE_FILLS = ("#f8f9fa", "#ffffff")
BOX_BORDER = "#80868b"
ARROW = "#9aa0a6"
HANDOFF_ARROW = "#202124"
COPY_PASTE_RED = "#c62828"
BREAK_AMBER = "#f59e0b"

# Sizes in pixels: the chart grows with the lanes (height) and the steps (width).
LANE_PX = 120
STEP_PX = 220
EXTRA_HEIGHT_PX = 80
EXTRA_WIDTH_PX = 160
MARGIN_TOP_PX = 56
MARGIN_BOTTOM_PX = 24
MARGIN_SIDE_PX = 10
EMPTY_HEIGHT_PX = 200
MIN_WIDTH_PX = 700  # room for the key above the chart, whatever the number of steps

# Sizes in data units (x: one step, y: one lane).
BOX_HALF_WIDTH = 0.34
BOX_HALF_HEIGHT = 0.32
LABEL_COLUMN = (EXTRA_WIDTH_PX - 2 * MARGIN_SIDE_PX) / STEP_PX
CORNER_PX = 8
BREAK_PAD_PX = 5

NAME_LIMIT = 40
# A step's name in its box, numbered: about three lines of 20 characters (bold 11 px fits the box,
# 0.68 of a 220 px step, with room to spare when the chart shrinks a little to its card).
STEP_NAME_LIMIT = 54
NAME_WRAP = 20
TOOL_LIMIT = 24
TEAM_LIMIT = 18


def escape_label(text: str, limit: int = NAME_LIMIT) -> str:
    """``text`` made safe for Plotly text: whitespace collapsed, truncated to ``limit``
    characters with "…" (before escaping, so no entity is cut), then escaped."""
    return _escape(_truncate(text, limit))


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
    width = max(STEP_PX * len(steps) + EXTRA_WIDTH_PX, MIN_WIDTH_PX)
    # One x unit is always STEP_PX wide; a short map leaves its lanes empty on the right.
    x_start = 0.5 - LABEL_COLUMN
    x_range = (x_start, x_start + (width - 2 * MARGIN_SIDE_PX) / STEP_PX)
    y_range = (-(len(lanes) - 1) - 0.5, 0.5)
    height = LANE_PX * len(lanes) + EXTRA_HEIGHT_PX

    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for index, team in enumerate(lanes):
        shapes.append(_lane_band(index, x_range))
        annotations.append(_lane_label(index, team, x_range))
    for step in steps:
        lane = lane_of[step.order]
        shapes.append(_step_box(step, lane))
        annotations.append(_step_text(step, lane, step.order + first_number - 1))
        if step.manual_transfer:
            annotations.append(_tag(step, lane, "copy-paste", COPY_PASTE_RED, left=True))
        if step.order == break_order:
            shapes.append(_break_outline(step, lane))
            annotations.append(_tag(step, lane, "break step", BREAK_AMBER, left=False))
    for step, following in pairwise(steps):
        annotations.extend(_arrow(step, following, lane_of))
    annotations.extend(_key(width))

    figure = go.Figure(
        data=[],
        layout={
            "template": "none",
            "width": width,
            "height": height,
            "margin": {
                "l": MARGIN_SIDE_PX,
                "r": MARGIN_SIDE_PX,
                "t": MARGIN_TOP_PX,
                "b": MARGIN_BOTTOM_PX,
            },
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "showlegend": False,
            "hovermode": False,
            "dragmode": False,
            "font": {"family": "system-ui, sans-serif", "size": 12, "color": INK},
            "xaxis": _hidden_axis(x_range),
            "yaxis": _hidden_axis(y_range),
            "shapes": shapes,
            "annotations": annotations,
        },
    )
    plain: dict[str, Any] = _plain(figure.to_plotly_json())
    return plain


# Lanes and boxes -----------------------------------------------------------------------


def _team(step: StepInput) -> str:
    return step.team.strip() or UNASSIGNED


def _lanes(steps: tuple[StepInput, ...]) -> list[str]:
    """Teams in order of first appearance; teams differing only in case share a lane."""
    lanes: dict[str, str] = {}
    for step in steps:
        lanes.setdefault(_team(step).casefold(), _team(step))
    return list(lanes.values())


def _lane_band(index: int, x_range: tuple[float, float]) -> dict[str, Any]:
    return {
        "type": "rect",
        "name": f"lane-{index}",
        "xref": "x",
        "yref": "y",
        "x0": x_range[0],
        "x1": x_range[1],
        "y0": -index - 0.5,
        "y1": -index + 0.5,
        "fillcolor": LANE_FILLS[index % len(LANE_FILLS)],
        "line": {"color": "#dadce0", "width": 1},
        "layer": "below",
    }


def _lane_label(index: int, team: str, x_range: tuple[float, float]) -> dict[str, Any]:
    return {
        "x": x_range[0],
        "y": -index,
        "xref": "x",
        "yref": "y",
        "xanchor": "left",
        "xshift": 6,
        "text": f"<b>{escape_label(team, TEAM_LIMIT)}</b>",
        "showarrow": False,
        "font": {"size": 12, "color": MUTED},
        "align": "left",
    }


def _step_box(step: StepInput, lane: int) -> dict[str, Any]:
    if step.manual_transfer:
        line = {"color": COPY_PASTE_RED, "width": 2, "dash": "dash"}
    else:
        line = {"color": BOX_BORDER, "width": 1}
    return {
        "type": "path",
        "name": f"step-{step.order}",
        "xref": "x",
        "yref": "y",
        "path": _rounded_rect(step.order, -lane, BOX_HALF_WIDTH, BOX_HALF_HEIGHT),
        "fillcolor": ACTOR_FILLS[Actor(step.actor)],
        "line": line,
        "layer": "above",
    }


def _break_outline(step: StepInput, lane: int) -> dict[str, Any]:
    pad_x, pad_y = BREAK_PAD_PX / STEP_PX, BREAK_PAD_PX / LANE_PX
    return {
        "type": "path",
        "name": f"break-{step.order}",
        "xref": "x",
        "yref": "y",
        "path": _rounded_rect(step.order, -lane, BOX_HALF_WIDTH + pad_x, BOX_HALF_HEIGHT + pad_y),
        "line": {"color": BREAK_AMBER, "width": 4},
        "layer": "above",
    }


def _rounded_rect(cx: float, cy: float, half_w: float, half_h: float) -> str:
    """An SVG path in data units for a rectangle with corners rounded by CORNER_PX pixels
    (x and y units differ in pixels, so the radius differs per axis)."""
    rx, ry = CORNER_PX / STEP_PX, CORNER_PX / LANE_PX
    x0, x1, y0, y1 = cx - half_w, cx + half_w, cy - half_h, cy + half_h
    points = [
        f"M {x0 + rx:.4f},{y1:.4f}",
        f"L {x1 - rx:.4f},{y1:.4f}",
        f"Q {x1:.4f},{y1:.4f} {x1:.4f},{y1 - ry:.4f}",
        f"L {x1:.4f},{y0 + ry:.4f}",
        f"Q {x1:.4f},{y0:.4f} {x1 - rx:.4f},{y0:.4f}",
        f"L {x0 + rx:.4f},{y0:.4f}",
        f"Q {x0:.4f},{y0:.4f} {x0:.4f},{y0 + ry:.4f}",
        f"L {x0:.4f},{y1 - ry:.4f}",
        f"Q {x0:.4f},{y1:.4f} {x0 + rx:.4f},{y1:.4f}",
        "Z",
    ]
    return " ".join(points)


def _step_text(step: StepInput, lane: int, number: int) -> dict[str, Any]:
    name = _truncate(step.name, STEP_NAME_LIMIT)
    lines = textwrap.wrap(f"{number}. {name}", NAME_WRAP) or [""]
    text = "<br>".join(f"<b>{_escape(line)}</b>" for line in lines)
    if step.tool.strip():
        tool = escape_label(step.tool, TOOL_LIMIT)
        text += f'<br><span style="font-size:10px;color:{MUTED}">{tool}</span>'
    if step.share_of_runs != 100:  # a branch not every run takes
        share = format(step.share_of_runs.normalize(), "f")
        text += f'<br><span style="font-size:10px;color:{MUTED}">{share}% of runs</span>'
    return {
        "x": step.order,
        "y": -lane,
        "xref": "x",
        "yref": "y",
        "text": text,
        "showarrow": False,
        "font": {"size": 11, "color": INK},
        "align": "center",
    }


def _tag(step: StepInput, lane: int, text: str, colour: str, *, left: bool) -> dict[str, Any]:
    """A small tag sitting on the top edge of the step's box, left or right."""
    return {
        "x": step.order + (-BOX_HALF_WIDTH if left else BOX_HALF_WIDTH),
        "y": -lane + BOX_HALF_HEIGHT,
        "xref": "x",
        "yref": "y",
        "xanchor": "left" if left else "right",
        "yanchor": "middle",
        "xshift": 4 if left else -4,
        "text": text,
        "showarrow": False,
        "font": {"size": 9, "color": "#ffffff"},
        "bgcolor": colour,
        "borderpad": 2,
    }


# Arrows and the key --------------------------------------------------------------------


def _arrow(step: StepInput, following: StepInput, lane_of: dict[int, int]) -> list[dict[str, Any]]:
    """The arrow from ``step`` to ``following`` and its wait label. An arrow crossing
    lanes is a handoff, drawn darker and thicker."""
    y_from, y_to = -lane_of[step.order], -lane_of[following.order]
    handoff = y_from != y_to
    x_from, x_to = step.order + BOX_HALF_WIDTH, following.order - BOX_HALF_WIDTH
    arrow = {
        "x": x_to,
        "y": y_to,
        "ax": x_from,
        "ay": y_from,
        "xref": "x",
        "yref": "y",
        "axref": "x",
        "ayref": "y",
        "text": "",
        "showarrow": True,
        "arrowhead": 2,
        "arrowsize": 1,
        "arrowwidth": 2.5 if handoff else 1.2,
        "arrowcolor": HANDOFF_ARROW if handoff else ARROW,
        "standoff": 2,
    }
    label = {
        "x": (x_from + x_to) / 2,
        "y": (y_from + y_to) / 2,
        "xref": "x",
        "yref": "y",
        "yshift": 10,
        "text": _escape(f"wait {format_minutes(step.wait_minutes)}"),
        "showarrow": False,
        "font": {"size": 10, "color": HANDOFF_ARROW if handoff else MUTED},
        "bgcolor": "rgba(255,255,255,0.85)",
    }
    return [arrow, label]


def _key(width: int) -> list[dict[str, Any]]:
    """A legend-like row above the chart: the three actor colours, then the two marks."""
    entries = [(ACTOR_NAMES[actor], ACTOR_FILLS[actor], BOX_BORDER, INK) for actor in ACTOR_FILLS]
    entries.append(("copy-paste", "#ffffff", COPY_PASTE_RED, COPY_PASTE_RED))
    entries.append(("break step", "#ffffff", BREAK_AMBER, INK))
    entries.append(("thick arrow = cross-team handoff", "#ffffff", "#ffffff", MUTED))
    row: list[dict[str, Any]] = []
    offset = 0
    for text, fill, border, ink in entries:
        row.append(
            {
                "x": 0,
                "y": 1,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "bottom",
                "xshift": offset,
                "yshift": 14,
                "text": text,
                "showarrow": False,
                "font": {"size": 11, "color": ink},
                "bgcolor": fill,
                "bordercolor": border,
                "borderwidth": 1,
                "borderpad": 3,
            }
        )
        # Roughly 7 px a character at 11 px, plus padding and a gap.
        offset += 7 * len(text) + 24
    return row


# Figure helpers ------------------------------------------------------------------------


def _hidden_axis(bounds: tuple[float, float]) -> dict[str, Any]:
    return {
        "visible": False,
        "range": [bounds[0], bounds[1]],
        "fixedrange": True,
        "showgrid": False,
        "zeroline": False,
    }


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
            "height": EMPTY_HEIGHT_PX,
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
                    "font": {"size": 16, "color": MUTED},
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


def _escape(text: str) -> str:
    """``html.escape`` for plotly.js text. plotly.js decodes numeric entities and &amp;,
    &lt;, &gt; but not &quot;, so quotes become numeric entities and still read as quotes."""
    return html.escape(one_line(text), quote=False).replace('"', "&#34;").replace("'", "&#39;")


def _truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"
