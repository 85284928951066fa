"""The swimlane figure, built once per map version and then read from the cache.

Building a swimlane (``workflows.maps.charts.swimlane_figure``) costs tens of milliseconds; the
map editor, the plan and the report show the same map again and again. The key is a hash
of everything the figure is drawn from (the map's analysis input, which holds every step,
and the confirmed break step) and of the drawing code itself, so an edit to the map or to
the chart makes a new key and a stale figure is never served.
"""

from __future__ import annotations

import hashlib
from functools import cache as memoize
from pathlib import Path
from typing import Any

from django.core.cache import cache

from . import chart_marks, charts
from .analysis import MapAnalysis
from .shapes import MapInput

TIMEOUT_SECONDS = 30 * 24 * 3600


@memoize
def _code_version() -> str:
    code = Path(charts.__file__).read_bytes() + Path(chart_marks.__file__).read_bytes()
    return hashlib.sha256(code).hexdigest()[:16]


def swimlane_key(data: MapInput, *, confirmed_break_order: int | None) -> str:
    text = repr((data, confirmed_break_order))
    return f"swimlane:{_code_version()}:{hashlib.sha256(text.encode()).hexdigest()}"


def swimlane_figure_cached(
    data: MapInput, analysis: MapAnalysis, *, confirmed_break_order: int | None
) -> dict[str, Any]:
    """``swimlane_figure(data, analysis, ...)``, from the cache when this map version was
    drawn before."""
    key = swimlane_key(data, confirmed_break_order=confirmed_break_order)
    figure = cache.get(key)
    if figure is None:
        figure = charts.swimlane_figure(data, analysis, confirmed_break_order=confirmed_break_order)
        cache.set(key, figure, TIMEOUT_SECONDS)
    return figure
