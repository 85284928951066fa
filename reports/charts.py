"""Static SVG charts for the PDF, drawn by Kaleido with the Debian Chromium.

One Kaleido browser per worker process with ``CHART_TABS`` tabs, started on first use and
reused on an event loop of its own: a cold Chromium per chart costs seconds, a warm one a
few hundredths of a second (its tabs keep plotly.js loaded between charts,
``reports.chart_browser``), and the charts of one report are drawn concurrently, one a tab.
MathJax is off (it would be fetched from a CDN) and plotly.js comes from the plotly
package. ``reports.chart_cache`` keeps what is drawn, so a chart is drawn once.

A browser whose process ended (a crash, the OOM killer) is noticed before the next charts
are drawn and replaced by a new one; the charts it was drawing when it died say they are
unavailable. The browser is closed when the process exits.

Kaleido waits forever on a browser that never started or stopped answering, so this module
looks for the browser before starting it and gives each chart at most
``CHART_TIMEOUT_SECONDS``; after a failure of either kind the process draws no more charts
and the report says they are unavailable, instead of rendering until the task's time limit.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import contextlib
import logging
import threading
from collections.abc import Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeoutError
from typing import Any

logger = logging.getLogger(__name__)

CHART_TIMEOUT_SECONDS = 30
# Tabs drawing at once: a report has about six charts; more tabs than cores buys little.
CHART_TABS = 3
START_TIMEOUT_SECONDS = 60

_lock = threading.Lock()
_unavailable = ""  # why this process draws no charts, once something failed
_loop: asyncio.AbstractEventLoop | None = None
_browser: Any = None  # the reports.chart_browser.ChartBrowser drawing, once started


class ChartsUnavailable(RuntimeError):
    """No chart can be drawn in this process (no browser, or it stopped answering)."""


def _run(coroutine: Any, timeout: float) -> Any:
    """Run ``coroutine`` on the charts' event loop and wait at most ``timeout`` seconds."""
    assert _loop is not None  # nosec B101 # noqa: S101 - the loop starts before any browser
    return asyncio.run_coroutine_threadsafe(coroutine, _loop).result(timeout=timeout)


def _close_browser() -> None:
    """Close the browser, if one was started (its temporary directory goes with it). A
    browser that does not close in 10 s is left to go with the process."""
    global _browser
    browser, _browser = _browser, None
    if browser is not None:
        with contextlib.suppress(Exception):
            _run(browser.close(), timeout=10)


def _ensure_server() -> None:
    """Have a live browser to draw on: started on first use, and again when the process of
    the last one has ended. Call with ``_lock`` held.

    Raises:
        ChartsUnavailable: no Chromium was found, it did not start within
            ``START_TIMEOUT_SECONDS``, or an earlier chart timed out.
    """
    global _unavailable, _loop, _browser
    if _unavailable:
        raise ChartsUnavailable(_unavailable)
    if _browser is not None:
        exit_code = _browser.subprocess.poll()
        if exit_code is None:
            return
        logger.warning("the chart browser ended (exit code %s); starting another", exit_code)
        _close_browser()
    from choreographer.browsers.chromium import Chromium

    from .chart_browser import ChartBrowser

    if Chromium.find_browser(skip_local=False) is None:
        _unavailable = "no Chromium found (set BROWSER_PATH or install chromium)"
        raise ChartsUnavailable(_unavailable)

    async def open_browser() -> Any:
        browser = ChartBrowser(
            n=CHART_TABS, timeout=CHART_TIMEOUT_SECONDS, mathjax=False, headless=True
        )
        await browser.open()
        return browser

    if _loop is None:
        _loop = asyncio.new_event_loop()
        threading.Thread(target=_loop.run_forever, name="kaleido-loop", daemon=True).start()
        # The process is exiting: close the browser then (one that does not close goes
        # with the process).
        atexit.register(_close_browser)
    try:
        _browser = _run(open_browser(), timeout=START_TIMEOUT_SECONDS)
    except FutureTimeoutError as exc:
        _unavailable = f"Chromium did not start within {START_TIMEOUT_SECONDS} s"
        raise ChartsUnavailable(_unavailable) from exc


def _draw(figure: dict[str, Any], opts: dict[str, Any]) -> Future:
    """Start drawing one figure on the shared browser; its future SVG (bytes or text)."""
    assert _loop is not None  # nosec B101 # noqa: S101 - _ensure_server ran
    return asyncio.run_coroutine_threadsafe(_browser.calc_fig(figure, opts), _loop)


def _prepared(
    figure: dict[str, Any], width: int, height: int | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The figure as Kaleido draws it, and the drawing options."""
    layout = dict(figure.get("layout") or {})
    layout.setdefault("width", width)
    layout["width"] = min(int(layout.get("width") or width), 1400)
    if height:
        layout["height"] = height
    layout.setdefault("paper_bgcolor", "white")
    opts = {"format": "svg", "width": layout["width"], "height": layout.get("height", 320)}
    return {"data": figure.get("data", []), "layout": layout}, opts


def chart_spec(
    figure: dict[str, Any], *, width: int = 900, height: int | None = None
) -> dict[str, Any]:
    """Everything that decides a chart's SVG: the figure as drawn and its options."""
    prepared, opts = _prepared(figure, width, height)
    return {"figure": prepared, "opts": opts}


def specs_start(specs: Mapping[str, dict[str, Any]]) -> dict[str, Future | None]:
    """Start drawing ``specs`` (name -> ``chart_spec``) all at once; each chart's future
    SVG, or None when no chart can be drawn in this process. Wait with ``svg_result``."""
    if not specs:
        return {}
    with _lock:
        try:
            _ensure_server()
        except ChartsUnavailable as exc:
            logger.warning("charts not drawn: %s", exc)
            return dict.fromkeys(specs)
        except Exception:
            logger.exception("chart rendering failed")
            return dict.fromkeys(specs)
    return {name: _draw(spec["figure"], spec["opts"]) for name, spec in specs.items()}


def svg_result(future: Future | None) -> str | None:
    """The SVG text of a chart started by ``specs_start``, or None when it cannot be drawn
    (no Chromium, an error, or no answer within ``CHART_TIMEOUT_SECONDS``): the report then
    says the chart is unavailable instead of failing."""
    global _unavailable
    if future is None:
        return None
    if _unavailable:
        future.cancel()
        return None
    try:
        svg = future.result(timeout=CHART_TIMEOUT_SECONDS)
    except (FutureTimeoutError, TimeoutError):
        future.cancel()
        _unavailable = f"Chromium did not answer within {CHART_TIMEOUT_SECONDS} s"
        logger.error("chart not drawn: %s; no more charts in this process", _unavailable)
        return None
    except Exception:
        logger.exception("chart rendering failed")
        return None
    return svg.decode() if isinstance(svg, bytes) else svg


def specs_svg(specs: Mapping[str, dict[str, Any]]) -> dict[str, str | None]:
    """Draw ``specs`` (name -> ``chart_spec``) concurrently; each SVG text or None."""
    futures = specs_start(specs)
    return {name: svg_result(future) for name, future in futures.items()}


def figure_svg(
    figure: dict[str, Any], *, width: int = 900, height: int | None = None
) -> str | None:
    """One figure (a Plotly JSON dict) as SVG text, or None when it cannot be drawn."""
    return specs_svg({"chart": chart_spec(figure, width=width, height=height)})["chart"]


def svg_data_uri(svg: str) -> str:
    """An ``<img>``-ready data URI (the PDF fetcher allows data: URLs)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
