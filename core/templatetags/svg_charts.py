"""``{{ figure|svg_chart }}``: a Plotly figure dict drawn as inline SVG on the server
(``core.svgchart``), so the page shows its chart with no script to load first (issue 13)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.svgchart import figure_svg

register = template.Library()


@register.filter(is_safe=True)
def svg_chart(figure: dict[str, Any] | None, width: int | str = 720) -> SafeString:
    """``figure`` as an ``<svg>`` element ``width`` px wide (scaling to its box); "" for
    no figure. Every text and attribute value in it is XML-escaped by ``core.svgchart``."""
    if not figure:
        return SafeString("")
    # Every text and attribute value in the SVG is escaped by core.svgchart.text.xml.
    svg = figure_svg(figure, width=int(width))
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703
