"""The look both the cartesian and the polar drawing share: Plotly's default trace colours
and its line dashes, as SVG attributes.

Pure module: standard library only, no Django.
"""

from __future__ import annotations

from typing import Any

from core.svgchart.text import xml

# plotly.js's default colourway, for a trace that names no colour.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
# Plotly's named dashes as SVG dash arrays (px).
DASHES = {"dot": "2,3", "dash": "6,4", "dashdot": "6,3,2,3", "longdash": "10,4"}


def palette(index: int) -> str:
    """The default colour of the ``index``-th trace (0 first), cycling."""
    return PALETTE[index % len(PALETTE)]


def stroke(colour: str, width: Any) -> str:
    """``stroke`` and ``stroke-width`` attributes (width in px)."""
    return f' stroke="{xml(colour)}" stroke-width="{float(width):g}"'


def dash(line: dict[str, Any]) -> str:
    """A ``stroke-dasharray`` attribute for a Plotly ``line`` dict's dash ("" when solid)."""
    pattern = DASHES.get(str(line.get("dash") or "solid"))
    return f' stroke-dasharray="{pattern}"' if pattern else ""
