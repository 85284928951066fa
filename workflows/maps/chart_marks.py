"""The marks a swimlane chart is drawn with: lane bands and labels, step boxes and their tags,
the break step's outline, the arrows with their waits, and the key above the chart, each as a
Plotly layout shape or annotation dict.

Pure module: standard library only, no Django, no clock. ``workflows.maps.charts`` places these
marks; this module owns their colours, sizes and text. Coordinates: step ``order`` n is centred
at x = n; lane i is centred at y = -i (one x unit is ``STEP_PX`` pixels, one y unit ``LANE_PX``).

plotly.js renders a small HTML subset in text, so every user-entered string (step names, tools,
teams) goes through ``escape_label`` (or ``escape``) before it becomes Plotly text.
"""

from __future__ import annotations

import html
import textwrap
from typing import Any

from core.text import one_line
from workflows.maps.analysis import format_minutes
from workflows.maps.shapes import Actor, StepInput

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
    return escape(truncate(text, limit))


def lane_band(index: int, x_range: tuple[float, float]) -> dict[str, Any]:
    """The background band of lane ``index`` (0 first), across ``x_range`` (data units)."""
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


def lane_label(index: int, team: str, x_range: tuple[float, float]) -> dict[str, Any]:
    """The team's name at the left end of lane ``index``, escaped and cut to TEAM_LIMIT."""
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


def step_box(step: StepInput, lane: int) -> dict[str, Any]:
    """The rounded box of ``step`` in ``lane``, filled by actor; dashed red on a copy-paste."""
    if step.manual_transfer:
        line = {"color": COPY_PASTE_RED, "width": 2, "dash": "dash"}
    else:
        line = {"color": BOX_BORDER, "width": 1}
    return {
        "type": "path",
        "name": f"step-{step.order}",
        "xref": "x",
        "yref": "y",
        "path": rounded_rect(step.order, -lane, BOX_HALF_WIDTH, BOX_HALF_HEIGHT),
        "fillcolor": ACTOR_FILLS[Actor(step.actor)],
        "line": line,
        "layer": "above",
    }


def break_outline(step: StepInput, lane: int) -> dict[str, Any]:
    """The amber outline drawn around the break step's box, BREAK_PAD_PX outside it."""
    pad_x, pad_y = BREAK_PAD_PX / STEP_PX, BREAK_PAD_PX / LANE_PX
    return {
        "type": "path",
        "name": f"break-{step.order}",
        "xref": "x",
        "yref": "y",
        "path": rounded_rect(step.order, -lane, BOX_HALF_WIDTH + pad_x, BOX_HALF_HEIGHT + pad_y),
        "line": {"color": BREAK_AMBER, "width": 4},
        "layer": "above",
    }


def rounded_rect(cx: float, cy: float, half_w: float, half_h: float) -> str:
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


def step_text(step: StepInput, lane: int, number: int) -> dict[str, Any]:
    """The text in ``step``'s box: "``number``. name" wrapped to NAME_WRAP, then the tool
    and, for a branch not every run takes, its share of runs (percent)."""
    name = truncate(step.name, STEP_NAME_LIMIT)
    lines = textwrap.wrap(f"{number}. {name}", NAME_WRAP) or [""]
    text = "<br>".join(f"<b>{escape(line)}</b>" for line in lines)
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


def step_tag(step: StepInput, lane: int, text: str, colour: str, *, left: bool) -> dict[str, Any]:
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


def wait_arrow(
    step: StepInput, following: StepInput, lane_of: dict[int, int]
) -> list[dict[str, Any]]:
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
        "text": escape(f"wait {format_minutes(step.wait_minutes)}"),
        "showarrow": False,
        "font": {"size": 10, "color": HANDOFF_ARROW if handoff else MUTED},
        "bgcolor": "rgba(255,255,255,0.85)",
    }
    return [arrow, label]


def key_row(width: int) -> list[dict[str, Any]]:
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


def hidden_axis(bounds: tuple[float, float]) -> dict[str, Any]:
    """A fixed, invisible axis over ``bounds`` (data units)."""
    return {
        "visible": False,
        "range": [bounds[0], bounds[1]],
        "fixedrange": True,
        "showgrid": False,
        "zeroline": False,
    }


def escape(text: str) -> str:
    """``html.escape`` for plotly.js text. plotly.js decodes numeric entities and &amp;,
    &lt;, &gt; but not &quot;, so quotes become numeric entities and still read as quotes."""
    return html.escape(one_line(text), quote=False).replace('"', "&#34;").replace("'", "&#39;")


def truncate(text: str, limit: int) -> str:
    """``text`` with whitespace collapsed, cut to ``limit`` characters ending in "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"
