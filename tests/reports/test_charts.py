"""Charts for the PDF fail fast and plainly when the browser is missing or stuck."""

import threading

import pytest

from reports import charts

FIGURE = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {}}


@pytest.fixture
def fresh_process(monkeypatch):
    """A worker process that has not tried to draw anything yet."""
    monkeypatch.setattr(charts, "_started", False)
    monkeypatch.setattr(charts, "_unavailable", "")


def test_with_no_browser_the_chart_is_skipped_at_once_without_starting_kaleido(
    fresh_process, monkeypatch
):
    import kaleido
    from choreographer.browsers.chromium import Chromium

    looked, drawn = [], []
    monkeypatch.setattr(
        Chromium, "find_browser", classmethod(lambda cls, **kw: looked.append(1) or None)
    )
    monkeypatch.setattr(kaleido, "start_sync_server", lambda *a, **kw: drawn.append("start"))
    monkeypatch.setattr(kaleido, "calc_fig_sync", lambda *a, **kw: drawn.append("draw"))
    assert charts.figure_svg(FIGURE) is None
    assert charts.figure_svg(FIGURE) is None
    assert looked == [1]  # looked for once; the second chart is skipped without looking
    assert drawn == []  # Kaleido never started, nothing drawn
    assert charts._started is False
    assert "no Chromium found" in charts._unavailable


def test_a_browser_that_never_answers_costs_one_timeout_then_no_more_charts(
    fresh_process, monkeypatch
):
    import kaleido

    never = threading.Event()
    calls = []

    def stuck(*args):
        calls.append(1)
        never.wait()

    monkeypatch.setattr(charts, "CHART_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setattr(charts, "_started", True)  # a server is up, as after a first chart
    monkeypatch.setattr(kaleido, "calc_fig_sync", stuck)
    try:
        assert charts.figure_svg(FIGURE) is None  # the one timeout
        assert "did not answer within 0.2 s" in charts._unavailable
        assert charts.figure_svg(FIGURE) is None  # no more charts: not even tried
        assert calls == [1]
    finally:
        never.set()


def test_a_call_returns_its_value_or_raises_its_error():
    assert charts._call_with_timeout(lambda x: x * 2, 21, timeout=5) == 42
    with pytest.raises(ZeroDivisionError):
        charts._call_with_timeout(lambda: 1 / 0, timeout=5)
