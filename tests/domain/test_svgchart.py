"""Charts drawn as SVG on the server (core.svgchart): what a reader sees is where the data
says, user text stays text, and every figure the app builds is drawn."""

import math
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from benchmark.charts import bars_figure, history_figure, radar_figure
from core.svgchart import SUPPORTED_TRACES, figure_svg
from core.svgchart.text import lines, plain
from core.svgchart.ticks import date_ticks, linear_ticks, number_label, to_ms
from workflows.maps.analysis import analyze_map
from workflows.maps.charts import swimlane_figure
from workflows.maps.shapes import Actor, MapInput, StepInput
from workflows.reviews.cfo_charts import cost_trend_figure, pre_trend_figure
from workflows.reviews.charts import (
    conversion_figure,
    cost_per_touch_figure,
    payback_figure,
    weekly_throughput_figure,
)

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parents[2]
LABELS = ["Tool stack", "Orchestration", "Measurement", "Skills", "Budget", "Governance"]


def parsed(svg):
    """The SVG as an element tree (fails on anything that is not well-formed XML)."""
    return ET.fromstring(svg)  # noqa: S314 - our own output, not user-supplied XML


def all_text(root):
    return " ".join("".join(node.itertext()) for node in root.iter(f"{SVG}text"))


def numbers(root):
    for node in root.iter():
        for name in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "width", "height", "r"):
            if name in node.attrib and node.attrib[name] != "100%":
                yield float(node.attrib[name])
        for name in ("points", "d"):
            for value in re.findall(r"-?\d+(?:\.\d+)?", node.attrib.get(name, "")):
                yield float(value)


def test_the_radar_puts_each_score_on_its_spoke_at_its_distance():
    figure = radar_figure(LABELS, [100, 50, 0, 25, 75, 100], None, "Peers")
    root = parsed(figure_svg(figure))
    dots = [
        (float(c.attrib["cx"]), float(c.attrib["cy"]), c.find(f"{SVG}title").text)
        for c in root.iter(f"{SVG}circle")
        if c.find(f"{SVG}title") is not None
    ]
    assert [tip.split(": ")[-1] for *_, tip in dots] == ["100", "50", "0", "25", "75", "100"]
    grid = [c for c in root.iter(f"{SVG}circle") if c.find(f"{SVG}title") is None]
    centre = (float(grid[0].attrib["cx"]), float(grid[0].attrib["cy"]))
    outer = max(float(c.attrib["r"]) for c in grid)
    first_x, first_y, _ = dots[0]
    # The first spoke points straight up (rotation 90) and 100 reaches the outer circle.
    assert math.isclose(first_x, centre[0], abs_tol=0.2)
    assert math.isclose(centre[1] - first_y, outer, abs_tol=0.2)
    # 50 on the second spoke (clockwise) is half-way out, right of the centre.
    second_x, second_y, _ = dots[1]
    assert math.isclose(math.dist((second_x, second_y), centre), outer / 2, abs_tol=0.3)
    assert second_x > centre[0]


def test_an_unscored_dimension_keeps_its_spoke_but_draws_no_point():
    figure = radar_figure(LABELS, [40, None, 60, 60, 60, 60], [50] * 6, "Peers")
    root = parsed(figure_svg(figure))
    assert "Orchestration" in all_text(root)
    tips = [t.text for t in root.iter(f"{SVG}title")]
    assert not any("Orchestration" in tip and "Your team" in tip for tip in tips)
    assert any("Orchestration" in tip and "Peers" in tip for tip in tips)


def test_phone_bars_are_as_long_as_the_scores():
    figure = bars_figure(LABELS, [100, 50, 0, 25, None, 10], [50] * 6, "Peers")
    root = parsed(figure_svg(figure, width=360))
    bars = {
        rect.find(f"{SVG}title").text.split(" · ")[1].split(":")[0]: float(rect.attrib["width"])
        for rect in root.iter(f"{SVG}rect")
        if rect.find(f"{SVG}title") is not None
    }
    assert set(bars) == {"Tool stack", "Orchestration", "Measurement", "Skills", "Governance"}
    assert math.isclose(bars["Orchestration"] * 2, bars["Tool stack"], rel_tol=0.01)
    assert bars["Measurement"] == 0
    assert "Budget" in all_text(root)  # its label stays, with no bar


def test_user_text_stays_text_in_the_svg():
    hostile = '<script>alert(1)</script> & "quotes" <img src=x onerror=alert(2)>'
    steps = (
        StepInput(order=1, name=hostile, actor=Actor.HUMAN, tool=hostile, team=hostile),
        StepInput(order=2, name="Send", actor=Actor.AI, team="Sales"),
    )
    map_ = MapInput(name="m", trigger="t", steps=steps)
    svg = figure_svg(swimlane_figure(map_, analyze_map(map_)))
    root = parsed(svg)
    assert "<script" not in svg and "<img" not in svg
    assert not [node for node in root.iter() if node.tag in (f"{SVG}script", "script")]
    assert "<script>alert(1)" in all_text(root)  # shown as the user typed it (cut short)


def test_rich_text_reads_plotly_markup_and_drops_unknown_tags():
    text = 'A &amp; B<br><b>bold</b> <span style="font-size:10px;color:#5f6368">small</span><x>'
    assert plain(text) == "A & B bold small"
    second = lines(text)[1]
    assert [(run.text, run.bold, run.size, run.color) for run in second] == [
        ("bold", True, None, None),
        (" ", False, None, None),
        ("small", False, 10.0, "#5f6368"),
    ]
    hostile = lines('<span style="color:red;background:url(javascript:x)">t</span>')
    assert hostile[0][0].color == "red"


def test_a_date_axis_places_weeks_in_order_and_bars_side_by_side():
    weeks = [date(2026, 3, 2) + timedelta(days=7 * i) for i in range(4)]
    weekly = pd.DataFrame(
        {
            "week_start": pd.to_datetime(weeks * 2),
            "arm": ["orchestrated"] * 4 + ["baseline"] * 4,
            "runs": [10, 20, 30, 40, 5, 5, 5, 5],
        }
    )
    root = parsed(figure_svg(weekly_throughput_figure(weekly)))
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    orchestrated = [r for r in bars if r.find(f"{SVG}title").text.startswith("Orchestrated")]
    baseline = [r for r in bars if r.find(f"{SVG}title").text.startswith("Baseline")]
    xs = [float(r.attrib["x"]) for r in orchestrated]
    assert xs == sorted(xs)
    heights = [float(r.attrib["height"]) for r in orchestrated]
    assert math.isclose(heights[3], 4 * heights[0], rel_tol=0.01)
    # In each week the baseline bar stands right of the orchestrated one, not on top of it.
    for left, right in zip(orchestrated, baseline, strict=True):
        assert (
            float(right.attrib["x"]) >= float(left.attrib["x"]) + float(left.attrib["width"]) - 0.2
        )
    assert "Orchestrated" in all_text(root) and "Baseline" in all_text(root)  # the legend


def test_every_figure_the_app_builds_draws_as_well_formed_svg_inside_its_box():
    weekly = pd.DataFrame(
        {
            "week_start": pd.to_datetime(["2026-03-02", "2026-03-09", "2026-03-02"]),
            "arm": ["orchestrated", "orchestrated", "baseline"],
            "runs": [3, 4, 2],
            "per_run": [0.1, float("nan"), 0.3],
        }
    )
    series = pd.DataFrame(
        {
            "day": pd.to_datetime(["2026-03-01", "2026-03-20", "2026-04-10"]),
            "cumulative_pipeline_usd": [0.0, 12000.0, 30000.0],
            "projected": [False, False, True],
        }
    )
    monthly = pd.DataFrame({"month": pd.to_datetime(["2026-03-01"]), "cost_per_touch": [0.42]})
    steps = tuple(
        StepInput(
            order=i, name=f"Step {i}", actor=Actor.AI, team=f"T{i % 2}", wait_minutes=Decimal(5)
        )
        for i in range(1, 6)
    )
    map_ = MapInput(name="m", trigger="t", steps=steps)
    figures = [
        radar_figure(LABELS, [10, 20, 30, 40, 50, 60], [50] * 6, "Peers"),
        bars_figure(LABELS, [10, 20, 30, 40, 50, 60], [50] * 6, "Peers"),
        history_figure([{"name": "Vera", "x": ["2026-01-01T10:00:00+00:00"], "y": [55.0]}]),
        weekly_throughput_figure(weekly),
        conversion_figure(weekly, "per_run", "Booked calls per run"),
        payback_figure(series, 15000.0, "2026-03-25"),
        cost_per_touch_figure(monthly),
        pre_trend_figure(
            [{"week_start": "2026-03-02", "runs": 3}],
            [{"week_start": "2026-03-02", "runs": None}],
            column="runs",
            y_title="Runs",
            comparison_name="Other",
            go_live="2026-03-05",
        ),
        cost_trend_figure([{"review_day": 30, "cost_per_touch_usd": 0.5}]),
        swimlane_figure(map_, analyze_map(map_)),
        swimlane_figure(MapInput(name="empty", trigger="t", steps=()), analyze_map(map_)),
    ]
    for figure in figures:
        for width in (720, 380):
            root = parsed(figure_svg(figure, width=width))
            _, _, box_width, box_height = (float(v) for v in root.attrib["viewBox"].split())
            values = list(numbers(root))
            assert values and all(math.isfinite(v) for v in values)
            # Marks stay near the picture (labels may reach a little past the plot area).
            assert all(-box_width <= v <= 2 * max(box_width, box_height) for v in values)


def test_every_trace_type_the_app_builds_is_one_the_renderer_draws():
    # The modules that build figures: every *charts*.py and the portfolio's selector.
    sources = [
        *ROOT.glob("*/**/*chart*.py"),
        ROOT / "workflows" / "portfolio" / "selectors.py",
    ]
    found = set()
    for path in sources:
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        code = path.read_text()
        found |= set(re.findall(r"""["']type["']\s*:\s*["'](\w+)["']""", code))
        found |= {name.lower() for name in re.findall(r"\bgo\.(\w+)\(", code)} - {"figure"}
    # Shapes and axes share the key; they are drawn as shapes and axes, not traces.
    traces = found - {"rect", "line", "path", "date", "linear", "category", "circle"}
    assert {"scatter", "bar", "scatterpolar"} <= traces, "the scan is broken"
    assert traces <= SUPPORTED_TRACES


def test_linear_ticks_are_round_and_inside_the_range():
    assert linear_ticks(0, 100, 5) == [0, 20, 40, 60, 80, 100]
    assert linear_ticks(0, 0.28, 6) == [0, 0.05, 0.1, 0.15, 0.2, 0.25]
    assert number_label(25000, 5000, 25000) == "25k"
    assert number_label(0.05, 0.05, 0.25) == "0.05"


def test_date_ticks_step_by_weeks_then_months():
    start, end = to_ms("2026-03-01"), to_ms("2026-04-12")
    labels = [label for _, label in date_ticks(start, end, 8)]
    assert labels == ["02 Mar", "09 Mar", "16 Mar", "23 Mar", "30 Mar", "06 Apr"]
    months = [label for _, label in date_ticks(to_ms("2026-01-15"), to_ms("2026-07-01"), 6)]
    assert months == ["Feb 2026", "Mar 2026", "Apr 2026", "May 2026", "Jun 2026", "Jul 2026"]


@given(
    st.lists(
        st.one_of(st.none(), st.floats(min_value=-1e9, max_value=1e9), st.integers(-1000, 1000)),
        min_size=0,
        max_size=30,
    ),
    st.sampled_from(["lines", "markers", "lines+markers"]),
    st.sampled_from([720, 380]),
)
def test_any_series_draws_finite_well_formed_svg(values, mode, width):
    days = [(date(2026, 1, 1) + timedelta(days=3 * i)).isoformat() for i in range(len(values))]
    figure = {
        "data": [
            {"type": "scatter", "mode": mode, "name": "a", "x": days, "y": values},
            {"type": "bar", "name": "b", "x": days, "y": values},
        ],
        "layout": {"height": 300, "margin": {"l": 60, "r": 20, "t": 20, "b": 50}},
    }
    root = parsed(figure_svg(figure, width=width))
    assert all(math.isfinite(v) for v in numbers(root))
