"""Static SVG charts for the PDF, drawn by Kaleido with the Debian Chromium.

One Kaleido server per worker process, started on first use and reused: a cold Chromium
per chart costs seconds, a warm one about 0.2 s (ARCHITECTURE.md). MathJax is off (it would
be fetched from a CDN) and plotly.js comes from the plotly package.

Kaleido's server waits forever on a browser that never started or stopped answering, so
this module looks for the browser before starting it and gives each chart at most
``CHART_TIMEOUT_SECONDS``; after a failure of either kind the process draws no more charts
and the report says they are unavailable, instead of rendering until the task's time limit.
"""

from __future__ import annotations

import atexit
import base64
import logging
import threading
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

CHART_TIMEOUT_SECONDS = 30

_lock = threading.Lock()
_started = False
_unavailable = ""  # why this process draws no charts, once something failed


class ChartsUnavailable(RuntimeError):
    """No chart can be drawn in this process (no browser, or it stopped answering)."""


def _ensure_server() -> None:
    global _started, _unavailable
    if _unavailable:
        raise ChartsUnavailable(_unavailable)
    if _started:
        return
    import kaleido
    from choreographer.browsers.chromium import Chromium

    if Chromium.find_browser(skip_local=False) is None:
        _unavailable = "no Chromium found (set BROWSER_PATH or install chromium)"
        raise ChartsUnavailable(_unavailable)
    kaleido.start_sync_server(n=1, headless=True, timeout=60, mathjax=False, silence_warnings=True)
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _started = True


def _call_with_timeout(function: Callable[..., Any], *args: Any, timeout: float) -> Any:
    """``function(*args)`` in a daemon thread; ``TimeoutError`` after ``timeout`` seconds.

    A daemon thread, not an executor: a call stuck for good must not hold the process at
    exit."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = function(*args)
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="kaleido-call", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def figure_svg(
    figure: dict[str, Any], *, width: int = 900, height: int | None = None
) -> str | None:
    """The figure (a Plotly JSON dict) as SVG text, or None when it cannot be drawn (no
    Chromium, or it did not answer within ``CHART_TIMEOUT_SECONDS``): the report then says
    the chart is unavailable instead of failing."""
    global _unavailable
    layout = dict(figure.get("layout") or {})
    layout.setdefault("width", width)
    layout["width"] = min(int(layout.get("width") or width), 1400)
    if height:
        layout["height"] = height
    layout.setdefault("paper_bgcolor", "white")
    opts = {"format": "svg", "width": layout["width"], "height": layout.get("height", 320)}
    try:
        import kaleido

        with _lock:
            _ensure_server()
            svg = _call_with_timeout(
                kaleido.calc_fig_sync,
                {"data": figure.get("data", []), "layout": layout},
                opts,
                timeout=CHART_TIMEOUT_SECONDS,
            )
    except ChartsUnavailable as exc:
        logger.warning("chart not drawn: %s", exc)
        return None
    except TimeoutError:
        _unavailable = f"Chromium did not answer within {CHART_TIMEOUT_SECONDS} s"
        logger.error("chart not drawn: %s; no more charts in this process", _unavailable)
        return None
    except Exception:
        logger.exception("chart rendering failed")
        return None
    return svg.decode() if isinstance(svg, bytes) else svg


def svg_data_uri(svg: str) -> str:
    """An ``<img>``-ready data URI (the PDF fetcher allows data: URLs)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
