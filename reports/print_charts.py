"""Charts laid out for print: every text at least 7.5 pt on the page.

Pure module: standard library only. A chart's SVG is shown at most as wide as the page's
content; a CSS pixel prints at 0.75 pt. A figure without a width of its own is drawn at the
printed width (nothing shrinks); a figure with its own width (a swimlane) shrinks by
``print width / width`` when wider, so its fonts grow by as much. Plotly's default font
size is 12 px; sizes set anywhere (``font``, ``tickfont``, an annotation's inline
``font-size``) are raised to the minimum, never lowered.
"""

from __future__ import annotations

import copy
import math
import re
from typing import Any

PX_TO_PT = 0.75
MIN_PRINT_PT = 7.5  # the report's floor is 7 pt; a little margin for rounding
DEFAULT_FONT_PX = 12
# A4 less the print stylesheet's 18 mm side margins, in CSS pixels (96 per inch).
PORTRAIT_WIDTH_PX = round((210 - 36) / 25.4 * 96)
LANDSCAPE_WIDTH_PX = round((297 - 36) / 25.4 * 96)

_INLINE_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)px")


def readable_for_print(
    figure: dict[str, Any], *, print_width_px: int, min_pt: float = MIN_PRINT_PT
) -> dict[str, Any]:
    """A copy of ``figure`` whose texts print at ``min_pt`` or more when the chart is
    shown at most ``print_width_px`` CSS pixels wide."""
    printed = copy.deepcopy(figure)
    layout = printed.setdefault("layout", {})
    width = layout.get("width")
    if width:
        scale = min(1.0, print_width_px / width)
    else:
        layout["width"] = print_width_px
        scale = 1.0
    min_px = math.ceil(min_pt / PX_TO_PT / scale * 10) / 10
    font = layout.setdefault("font", {})
    font["size"] = max(font.get("size", DEFAULT_FONT_PX), min_px)
    _raise_sizes(printed, min_px)
    return printed


def min_font_px(figure: dict[str, Any]) -> float:
    """The smallest font size the figure sets anywhere (for tests)."""
    sizes: list[float] = []
    _collect(figure, sizes)
    return min(sizes, default=DEFAULT_FONT_PX)


def _raise_sizes(node: Any, min_px: float) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("font") and isinstance(value, dict) and "size" in value:
                value["size"] = max(value["size"], min_px)
            if isinstance(value, str) and "font-size" in value:
                node[key] = _INLINE_SIZE.sub(
                    lambda m: f"font-size:{max(float(m.group(1)), min_px):g}px", value
                )
            else:
                _raise_sizes(value, min_px)
    elif isinstance(node, list):
        for item in node:
            _raise_sizes(item, min_px)


def _collect(node: Any, sizes: list[float]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("font") and isinstance(value, dict) and "size" in value:
                sizes.append(float(value["size"]))
            if isinstance(value, str):
                sizes.extend(float(m) for m in _INLINE_SIZE.findall(value))
            else:
                _collect(value, sizes)
    elif isinstance(node, list):
        for item in node:
            _collect(item, sizes)
