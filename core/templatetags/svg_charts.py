"""``{{ figure|svg_chart }}``: a Plotly figure dict drawn as inline SVG on the server
(``core.svgchart``), so the page shows its chart with no script to load first (issue 13)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.svgchart import figure_svg

register = template.Library()

# Drawings kept per process, by figure and width: a frozen review's seven charts, or a map
# version's swimlane, are drawn once per worker rather than on every load (about 1 ms each).
DRAWINGS_KEPT = 512


@lru_cache(maxsize=DRAWINGS_KEPT)
def _drawn(figure_json: str, width: int) -> str:
    return figure_svg(json.loads(figure_json), width=width)


@register.filter(is_safe=True)
def svg_chart(figure: dict[str, Any] | None, width: int | str = 720) -> SafeString:
    """``figure`` as an ``<svg>`` element ``width`` px wide (scaling to its box); "" for
    no figure. The same figure at the same width is drawn once per process."""
    if not figure:
        return SafeString("")
    # Every text and attribute value in the SVG is escaped by core.svgchart.text.xml.
    svg = _drawn(json.dumps(figure, sort_keys=True, default=str), int(width))
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703
