"""The ``svg_chart`` filter: a figure drawn once per process and width, and a changed
figure drawn afresh (never an old picture for new data)."""

from django.template import Context, Template

from core.templatetags import svg_charts

TEMPLATE = Template("{% load svg_charts %}{{ figure|svg_chart }}|{{ figure|svg_chart:380 }}")


def figure(values):
    return {"data": [{"type": "bar", "name": "Runs", "x": ["a", "b"], "y": values}]}


def test_the_same_figure_is_drawn_once_and_a_changed_one_again(monkeypatch):
    svg_charts._drawn.cache_clear()
    drawn = []
    real = svg_charts.figure_svg
    monkeypatch.setattr(
        svg_charts, "figure_svg", lambda f, width: drawn.append(width) or real(f, width=width)
    )
    first = TEMPLATE.render(Context({"figure": figure([1, 2])}))
    again = TEMPLATE.render(Context({"figure": figure([1, 2])}))
    assert first == again and drawn == [720, 380]
    changed = TEMPLATE.render(Context({"figure": figure([1, 3])}))
    assert changed != first and drawn == [720, 380, 720, 380]
    assert "Runs · b: 3" in changed


def test_no_figure_draws_nothing():
    assert TEMPLATE.render(Context({"figure": None})) == "|"
