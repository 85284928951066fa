"""The swimlane chart: lanes, boxes, arrows, marks, and user text made safe for plotly.js."""

import json
from decimal import Decimal

import pytest

from workflows.maps.analysis import analyze_map
from workflows.maps.chart_marks import ACTOR_FILLS, escape_label
from workflows.maps.charts import swimlane_figure, swimlane_parts
from workflows.maps.shapes import Actor, FailureRoute, MapInput, StepInput

D = Decimal


def step(order, name=None, actor=Actor.AI, **fields):
    defaults = {
        "tool": "HubSpot",
        "team": "Marketing",
        "inputs": ("lead",),
        "outputs": ("lead",),
        "failure_route": FailureRoute.RETRY,
    }
    defaults.update(fields)
    return StepInput(order=order, name=name or f"Step {order}", actor=actor, **defaults)


def a_map(*steps):
    return MapInput(name="Lead routing", trigger="Form submitted", steps=steps)


def figure_of(map_, **kwargs):
    return swimlane_figure(map_, analyze_map(map_), **kwargs)


def shapes(figure, prefix):
    return [s for s in figure["layout"]["shapes"] if s.get("name", "").startswith(prefix)]


def texts(figure):
    return [a.get("text", "") for a in figure["layout"].get("annotations", [])]


LANES_MAP = a_map(
    step(1, team="Marketing", actor=Actor.RULE),
    step(2, team="Sales", actor=Actor.HUMAN, manual_transfer=True, wait_minutes=D(47)),
    step(3, team=" ", actor=Actor.AI),
    step(4, team="marketing", actor=Actor.AI),
    step(5, team="RevOps", actor=Actor.HUMAN),
)


def test_lanes_are_in_order_of_first_appearance():
    figure = figure_of(LANES_MAP)
    labels = [t for t in texts(figure) if t.startswith("<b>") and "." not in t]
    assert labels == ["<b>Marketing</b>", "<b>Sales</b>", "<b>Unassigned</b>", "<b>RevOps</b>"]
    assert len(shapes(figure, "lane-")) == 4


def test_there_is_one_box_per_step_in_its_lane():
    figure = figure_of(LANES_MAP)
    boxes = shapes(figure, "step-")
    assert [b["name"] for b in boxes] == [f"step-{n}" for n in range(1, 6)]
    # Step 4's team differs from step 1's only in case: same lane, y centred at 0.
    step_texts = [a for a in figure["layout"]["annotations"] if a["text"].startswith("<b>4. ")]
    assert step_texts[0]["y"] == 0


def test_box_fill_follows_the_actor():
    boxes = shapes(figure_of(LANES_MAP), "step-")
    assert [b["fillcolor"] for b in boxes] == [
        ACTOR_FILLS[Actor.RULE],
        ACTOR_FILLS[Actor.HUMAN],
        ACTOR_FILLS[Actor.AI],
        ACTOR_FILLS[Actor.AI],
        ACTOR_FILLS[Actor.HUMAN],
    ]


def test_the_key_explains_the_three_colours():
    assert {"Human", "AI", "Rule-based automation"} <= set(texts(figure_of(LANES_MAP)))


def test_arrows_join_the_steps_and_handoffs_are_thicker():
    figure = figure_of(LANES_MAP)
    arrows = [a for a in figure["layout"]["annotations"] if a.get("showarrow")]
    assert len(arrows) == 4
    # 1 -> 2 crosses lanes (Marketing to Sales); 3 -> 4 too; every arrow here crosses.
    widths = [a["arrowwidth"] for a in arrows]
    assert widths == [2.5, 2.5, 2.5, 2.5]
    same_lane = figure_of(a_map(step(1), step(2)))
    assert [a["arrowwidth"] for a in same_lane["layout"]["annotations"] if a.get("showarrow")] == [
        1.2
    ]


def test_arrows_carry_the_wait():
    assert "wait 47 min" in texts(figure_of(LANES_MAP))
    assert "wait 0 min" in texts(figure_of(LANES_MAP))


def test_copy_paste_and_the_suggested_break_step_are_marked():
    figure = figure_of(LANES_MAP)
    assert texts(figure).count("copy-paste") == 2  # the tag, and its entry in the key
    assert texts(figure).count("break step") == 2
    assert [s["name"] for s in shapes(figure, "break-")] == ["break-2"]
    assert shapes(figure, "step-2")[0]["line"]["dash"] == "dash"


def test_a_step_not_every_run_takes_shows_its_share():
    figure = figure_of(a_map(step(1), step(2, "SDR escalation", share_of_runs=D("15.0"))))
    step_texts = [t for t in texts(figure) if "SDR escalation" in t or t.startswith("<b>1.")]
    assert "15% of runs" in step_texts[1]
    assert "of runs" not in step_texts[0]


def test_a_confirmed_break_step_overrides_the_suggestion():
    figure = figure_of(LANES_MAP, confirmed_break_order=5)
    assert [s["name"] for s in shapes(figure, "break-")] == ["break-5"]


def test_no_break_step_no_mark():
    figure = figure_of(a_map(step(1), step(2)))
    assert shapes(figure, "break-") == []
    assert texts(figure).count("break step") == 1  # the key only


def test_a_confirmed_break_step_must_be_a_step():
    with pytest.raises(ValueError, match="no step 9"):
        figure_of(LANES_MAP, confirmed_break_order=9)


def test_the_figure_grows_with_lanes_and_steps():
    layout = figure_of(LANES_MAP)["layout"]
    assert layout["height"] == 4 * 120 + 80
    assert layout["width"] == 5 * 220 + 160
    assert layout["xaxis"]["visible"] is False
    assert layout["yaxis"]["visible"] is False
    assert layout["plot_bgcolor"] == "#ffffff"


def test_a_short_map_keeps_room_for_the_key():
    layout = figure_of(a_map(step(1)))["layout"]
    assert layout["width"] == 700
    assert layout["height"] == 120 + 80


def test_the_figure_round_trips_through_json():
    figure = figure_of(LANES_MAP)
    assert json.loads(json.dumps(figure)) == figure
    assert set(figure) == {"data", "layout"}


# Hostile text --------------------------------------------------------------------------

HOSTILE = a_map(
    step(1, "<img src=x onerror=alert(1)>", tool="<b>Zapier</b>", team="<script>x</script>"),
    step(2, "A" * 100, tool="Make"),
    step(3, "Book the call 📅 & confirm", tool='"HubSpot"'),
)


def test_hostile_names_are_escaped():
    dumped = json.dumps(figure_of(HOSTILE), ensure_ascii=False)
    assert "<img" not in dumped
    assert "<script>" not in dumped
    assert "<b>Zapier" not in dumped
    assert "&lt;img src=x" in dumped
    assert "&lt;b&gt;Zapier&lt;/b&gt;" in dumped
    assert "&lt;script&gt;x&lt;/script&gt;" in dumped
    assert "📅 &amp;" in dumped
    assert "&#34;HubSpot&#34;" in dumped


def test_long_names_are_truncated_and_emoji_kept():
    dumped = json.dumps(figure_of(HOSTILE), ensure_ascii=False)
    assert "A" * 40 not in dumped
    assert "A" * 16 + "…" in dumped  # "2. ", 53 letters and "…", wrapped at 20 characters
    assert "📅" in dumped


@pytest.mark.parametrize(
    ("text", "limit", "label"),
    [
        ("Draft reply", 40, "Draft reply"),
        ("  Draft   reply ", 40, "Draft reply"),
        ("<b>bold</b>", 40, "&lt;b&gt;bold&lt;/b&gt;"),
        ("<img src=x onerror=alert(1)>", 40, "&lt;img src=x onerror=alert(1)&gt;"),
        ("Tom & Jerry's", 40, "Tom &amp; Jerry&#39;s"),
        ("A" * 41, 40, "A" * 39 + "…"),
        ("A" * 40, 40, "A" * 40),
        # Truncate before escaping: the cut never lands inside an entity.
        ("a" * 36 + " & <b>", 40, "a" * 36 + " &amp;…"),
        ("📅 Book", 40, "📅 Book"),
    ],
)
def test_escape_label(text, limit, label):
    assert escape_label(text, limit) == label


def test_an_empty_map_says_no_steps_yet():
    empty = MapInput(name="Empty")
    figure = swimlane_figure(empty, analyze_map(empty))
    assert texts(figure) == ["No steps yet"]
    assert figure["layout"].get("shapes", []) == []
    assert json.loads(json.dumps(figure)) == figure


def test_a_long_map_prints_in_parts_that_keep_numbers_and_the_break_step():
    long_map = a_map(*(step(n, manual_transfer=n == 6, wait_minutes=D(30)) for n in range(1, 10)))
    parts = swimlane_parts(long_map, analyze_map(long_map), per_part=4)
    assert len(parts) == 3
    assert [p["layout"]["width"] for p in parts][:2] == [parts[0]["layout"]["width"]] * 2
    second = " ".join(texts(parts[1]))  # balanced: 3 + 3 + 3 steps
    assert "<b>4. Step 4</b>" in second and "<b>6. Step 6</b>" in second
    assert "7. Step 7" not in second and "3. Step 3" not in second
    # The suggested break step (the copy-paste, step 6) is outlined in its part only.
    assert [len(shapes(p, "break")) for p in parts] == [0, 1, 0]


def test_a_short_map_prints_whole():
    short = a_map(step(1), step(2), step(3), step(4))
    assert len(swimlane_parts(short, analyze_map(short))) == 1
