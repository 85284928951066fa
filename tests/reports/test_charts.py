"""Charts for the PDF fail fast and plainly when the browser is missing or stuck."""

from concurrent.futures import Future

import pytest

from reports import charts

FIGURE = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {}}


@pytest.fixture
def fresh_process(monkeypatch):
    """A worker process that has not tried to draw anything yet."""
    monkeypatch.setattr(charts, "_browser", None)
    monkeypatch.setattr(charts, "_unavailable", "")


def test_with_no_browser_the_chart_is_skipped_at_once_without_starting_kaleido(
    fresh_process, monkeypatch
):
    from choreographer.browsers.chromium import Chromium

    from reports.chart_browser import ChartBrowser

    looked, opened = [], []
    monkeypatch.setattr(
        Chromium, "find_browser", classmethod(lambda cls, **kw: looked.append(1) or None)
    )
    monkeypatch.setattr(ChartBrowser, "open", lambda self: opened.append(self))
    assert charts.figure_svg(FIGURE) is None
    assert charts.figure_svg(FIGURE) is None
    assert looked == [1]  # looked for once; the second chart is skipped without looking
    assert opened == []  # Kaleido never started, nothing drawn
    assert charts._browser is None
    assert "no Chromium found" in charts._unavailable


def test_a_browser_that_never_answers_costs_one_timeout_then_no_more_charts(
    fresh_process, monkeypatch
):
    never = Future()
    monkeypatch.setattr(charts, "_ensure_server", lambda: None)
    monkeypatch.setattr(charts, "CHART_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setattr(charts, "_draw", lambda figure, opts: never)
    assert charts.figure_svg(FIGURE) is None
    assert "did not answer within 0.2 s" in charts._unavailable
    assert never.cancelled()


def test_the_charts_of_a_report_are_drawn_at_once(fresh_process, monkeypatch):
    """Every chart is sent to the browser before the first is waited for: each fake chart
    here only finishes once all three were started."""
    started = []

    def draw(figure, opts):
        started.append(Future())
        if len(started) == 3:
            for future in started:
                future.set_result(b"<svg/>")
        return started[-1]

    monkeypatch.setattr(charts, "_ensure_server", lambda: None)
    monkeypatch.setattr(charts, "CHART_TIMEOUT_SECONDS", 2)
    monkeypatch.setattr(charts, "_draw", draw)
    specs = {name: charts.chart_spec(FIGURE) for name in ("a", "b", "c")}
    assert charts.specs_svg(specs) == {"a": "<svg/>", "b": "<svg/>", "c": "<svg/>"}
    assert charts._unavailable == ""
