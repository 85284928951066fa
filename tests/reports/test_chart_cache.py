"""A report's charts are drawn once: kept under a hash of the figure (issue 13, goal 4)."""

from concurrent.futures import Future
from datetime import UTC, datetime, timedelta

import pytest

from reports import chart_cache
from reports.models import ChartImage

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def done(value):
    future = Future()
    future.set_result(value)
    return future


def bars(*values):
    return {"data": [{"type": "bar", "x": list("abc"), "y": list(values)}], "layout": {}}


@pytest.fixture
def drawn(monkeypatch):
    """The charts drawn, batch by batch, by a fake browser."""
    batches = []

    def specs_start(specs):
        if specs:
            batches.append(sorted(specs))
        return {name: done(f"<svg>{name}</svg>") for name in specs}

    monkeypatch.setattr(chart_cache, "specs_start", specs_start)
    return batches


def test_a_frozen_chart_is_drawn_once(drawn):
    figures = {"throughput": (bars(1, 2, 3), 900), "radar": (bars(4, 5, 6), 900)}
    first = chart_cache.charts_svg(figures, now=NOW)
    second = chart_cache.charts_svg(figures, now=NOW + timedelta(days=3))
    assert first == second == {"throughput": "<svg>throughput</svg>", "radar": "<svg>radar</svg>"}
    assert drawn == [["radar", "throughput"]]
    assert ChartImage.objects.count() == 2


def test_only_the_charts_whose_figure_changed_are_drawn_again(drawn):
    chart_cache.charts_svg({"a": (bars(1, 2, 3), 900), "b": (bars(4, 5, 6), 900)}, now=NOW)
    chart_cache.charts_svg({"a": (bars(1, 2, 3), 900), "b": (bars(4, 5, 7), 900)}, now=NOW)
    chart_cache.charts_svg({"a": (bars(1, 2, 3), 1000), "b": (bars(4, 5, 7), 900)}, now=NOW)
    assert drawn == [["a", "b"], ["b"], ["a"]]


def test_the_key_ignores_key_order_but_not_values():
    one = {"figure": {"data": [], "layout": {"width": 900, "title": "x"}}, "opts": {}}
    same = {"opts": {}, "figure": {"layout": {"title": "x", "width": 900}, "data": []}}
    other = {"figure": {"data": [], "layout": {"width": 901, "title": "x"}}, "opts": {}}
    assert chart_cache.chart_key(one) == chart_cache.chart_key(same)
    assert chart_cache.chart_key(one) != chart_cache.chart_key(other)


def test_a_chart_that_could_not_be_drawn_is_not_kept(monkeypatch):
    monkeypatch.setattr(chart_cache, "specs_start", lambda specs: dict.fromkeys(specs))
    assert chart_cache.charts_svg({"a": (bars(1, 2, 3), 900)}, now=NOW) == {"a": None}
    assert not ChartImage.objects.exists()


def test_charts_unused_for_half_a_year_are_dropped(drawn):
    chart_cache.charts_svg({"old": (bars(1, 1, 1), 900)}, now=NOW - timedelta(days=200))
    chart_cache.charts_svg({"new": (bars(2, 2, 2), 900)}, now=NOW)
    assert ChartImage.objects.count() == 1
