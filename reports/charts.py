"""Static SVG charts for the PDF, drawn by Kaleido with the Debian Chromium.

One Kaleido server per worker process, started on first use and reused: a cold Chromium
per chart costs seconds, a warm one about 0.2 s (ARCHITECTURE.md). MathJax is off (it would
be fetched from a CDN) and plotly.js comes from the plotly package.
"""

from __future__ import annotations

import atexit
import base64
import logging
import threading
from typing import Any

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_started = False


def _ensure_server() -> None:
    global _started
    if _started:
        return
    import kaleido

    kaleido.start_sync_server(n=1, headless=True, timeout=60, mathjax=False, silence_warnings=True)
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _started = True


def figure_svg(
    figure: dict[str, Any], *, width: int = 900, height: int | None = None
) -> str | None:
    """The figure (a Plotly JSON dict) as SVG text, or None when it cannot be drawn (no
    Chromium): the report then says the chart is unavailable instead of failing."""
    layout = dict(figure.get("layout") or {})
    layout.setdefault("width", width)
    layout["width"] = min(int(layout.get("width") or width), 1400)
    if height:
        layout["height"] = height
    layout.setdefault("paper_bgcolor", "white")
    try:
        import kaleido

        with _lock:
            _ensure_server()
            svg = kaleido.calc_fig_sync(
                {"data": figure.get("data", []), "layout": layout},
                opts={
                    "format": "svg",
                    "width": layout["width"],
                    "height": layout.get("height", 320),
                },
            )
    except Exception:
        logger.exception("chart rendering failed")
        return None
    return svg.decode() if isinstance(svg, bytes) else svg


def svg_data_uri(svg: str) -> str:
    """An ``<img>``-ready data URI (the PDF fetcher allows data: URLs)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
