"""The browser behind the PDF charts: started once, its tabs kept loaded between charts,
replaced when it died, closed when the process exits (issue 13, goal 4)."""

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from kaleido._kaleido_tab._tab import _KaleidoTab

from reports import chart_browser, charts

ROOT = Path(__file__).resolve().parents[2]
FIGURE = {"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2]}], "layout": {}}


def svg_of(figure=FIGURE):
    return charts.figure_svg(figure, width=400, height=200)


@pytest.fixture
def browser():
    """The process's chart browser, started (skipped without Chromium)."""
    if svg_of() is None:
        pytest.skip(f"Chromium is not available to draw the charts ({charts._unavailable})")
    return charts._browser


@pytest.fixture
def reloads(monkeypatch):
    """The tab reloads Kaleido makes, whoever asks for them."""
    made = []
    real_reload = _KaleidoTab.reload

    async def reload(self):
        made.append(self.tab.target_id)
        await real_reload(self)

    monkeypatch.setattr(_KaleidoTab, "reload", reload)
    return made


class FakeTab:
    """Enough of a Kaleido tab for ``ChartBrowser._return_kaleido_tab``."""

    def __init__(self):
        self.tab = type("Target", (), {"target_id": "T1"})()
        self.reloaded = 0

    async def reload(self):
        self.reloaded += 1


def returned(browser, tab, *, after_error=False):
    """Hand ``tab`` back as Kaleido's render task does, from its ``finally``."""

    async def render_task():
        try:
            if after_error:
                raise ValueError("plotly.js failed")
        finally:
            await browser._return_kaleido_tab(tab)

    # In a thread of its own: Playwright's sync API, used by browser tests earlier in the
    # session, leaves an event loop running in this one, where asyncio.run refuses to start.
    with (
        pytest.raises(ValueError) if after_error else contextlib.nullcontext(),
        ThreadPoolExecutor(1) as pool,
    ):
        pool.submit(asyncio.run, render_task()).result()
    assert browser.tabs_ready.get_nowait() is tab


@pytest.fixture
def unopened():
    """A ChartBrowser not started: its tab hand-back runs without Chromium processes."""
    try:
        return chart_browser.ChartBrowser(n=1, mathjax=False, headless=True)
    except Exception as exc:  # ChromeNotFoundError
        pytest.skip(f"Chromium is not installed ({exc})")


def test_a_tab_is_handed_back_without_reloading_its_page(unopened):
    tab = FakeTab()
    for _ in range(3):
        returned(unopened, tab)
    assert tab.reloaded == 0


def test_a_tab_reloads_its_page_every_so_many_charts(unopened, monkeypatch):
    monkeypatch.setattr(chart_browser, "RELOAD_TAB_EVERY", 3)
    tab = FakeTab()
    for _ in range(7):
        returned(unopened, tab)
    assert tab.reloaded == 2


def test_a_tab_reloads_its_page_after_a_chart_that_failed(unopened):
    tab = FakeTab()
    returned(unopened, tab)
    returned(unopened, tab, after_error=True)
    returned(unopened, tab)
    assert tab.reloaded == 1


def test_kaleido_hands_tabs_back_through_the_hook_so_pages_stay_loaded(browser, reloads):
    """Fails when a Kaleido upgrade stops calling ``_return_kaleido_tab``: then every chart
    reloads plotly.js again."""
    first, second = svg_of(), svg_of({"data": [{"type": "scatter", "y": [3, 1]}]})
    assert first.startswith("<svg") and second.startswith("<svg") and first != second
    assert reloads == []
    assert charts._browser is browser


def test_a_browser_that_died_is_replaced_and_the_next_chart_is_drawn(browser):
    os.kill(browser.subprocess.pid, signal.SIGKILL)
    browser.subprocess.wait(timeout=30)
    assert svg_of().startswith("<svg")
    assert charts._browser is not browser
    assert charts._browser.subprocess.poll() is None
    assert charts._unavailable == ""


def test_the_browser_is_closed_when_the_process_exits(browser):
    script = (
        "from reports import charts\n"
        "assert charts.figure_svg({'data': [{'type': 'bar', 'y': [1]}]}).startswith('<svg')\n"
        "print(charts._browser.subprocess.pid)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    pid = int(done.stdout.split()[-1])
    assert not Path(f"/proc/{pid}").exists()
