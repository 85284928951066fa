"""The polar part of a chart: the grid circles and spokes, the category labels round the
edge, and ``scatterpolar`` traces (outline, fill, markers).

Pure module: standard library only, no Django. Angles follow Plotly's polar layout:
``angularaxis.rotation`` (degrees, counter-clockwise from 3 o'clock) places the first
category, ``direction`` runs the rest clockwise or counter-clockwise.
"""

from __future__ import annotations

import math
from typing import Any

from core.svgchart import text as rich
from core.svgchart.style import dash, palette
from core.svgchart.text import svg_text, xml


def polar_marks(
    layout: dict[str, Any],
    data: list[dict[str, Any]],
    plot: tuple[float, float, float, float],
    *,
    ink: str,
    size: float,
) -> str:
    """The SVG of a polar subplot filling ``plot`` ((left, top, right, bottom) px)."""
    polar = layout.get("polar") or {}
    radial = polar.get("radialaxis") or {}
    angular = polar.get("angularaxis") or {}
    left, top, right, bottom = plot
    cx, cy = (left + right) / 2, (top + bottom) / 2
    radius = max(min(right - left, bottom - top) / 2, 1.0)
    categories = [str(c) for c in angular.get("categoryarray") or []]
    for trace in data:
        for theta in trace.get("theta") or []:
            if str(theta) not in categories:
                categories.append(str(theta))
    count = max(len(categories), 1)
    rotation = float(angular.get("rotation", 0))
    sign = -1.0 if angular.get("direction") == "clockwise" else 1.0
    r_max = float((radial.get("range") or [0, 100])[1]) or 1.0

    def angle(category: str) -> float:
        return math.radians(rotation + sign * 360.0 * categories.index(category) / count)

    def point(r: float, category: str) -> tuple[float, float]:
        a, length = angle(category), radius * max(r, 0.0) / r_max
        return cx + length * math.cos(a), cy - length * math.sin(a)

    parts = ['<g class="polar">']
    ticks = [float(v) for v in radial.get("tickvals") or [r_max / 4 * i for i in range(1, 5)]]
    for value in ticks:
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius * value / r_max:.1f}" fill="none" '
            f'stroke="#e5e7eb" stroke-width="1"/>'
        )
    for category in categories:
        x, y = point(r_max, category)
        parts.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#e5e7eb" '
            'stroke-width="1"/>'
        )
    tick_size = float((radial.get("tickfont") or {}).get("size") or size)
    tick_angle = math.radians(float(radial.get("angle", 0)))
    for value in ticks:
        length = radius * value / r_max
        x, y = cx + length * math.cos(tick_angle), cy - length * math.sin(tick_angle)
        parts.append(
            svg_text(f"{value:g}", x + 4, y, size=tick_size, color="#6b7280", anchor="start")
        )
    label_size = float((angular.get("tickfont") or {}).get("size") or size)
    for category in categories:
        a = angle(category)
        x, y = cx + (radius + 10) * math.cos(a), cy - (radius + 10) * math.sin(a)
        horizontal = "start" if math.cos(a) > 0.25 else "end" if math.cos(a) < -0.25 else "middle"
        vertical = "bottom" if math.sin(a) > 0.25 else "top" if math.sin(a) < -0.25 else "middle"
        parts.append(
            svg_text(category, x, y, size=label_size, color=ink, anchor=horizontal, valign=vertical)
        )
    for index, trace in enumerate(data):
        if trace.get("type") != "scatterpolar":
            continue
        parts.append(_trace(trace, point, palette(index)))
    parts.append("</g>")
    return "".join(parts)


def _trace(trace: dict[str, Any], point: Any, fallback: str) -> str:
    line = trace.get("line") or {}
    colour = str(line.get("color") or fallback)
    name = rich.plain(str(trace.get("name") or ""))
    pairs = [
        (float(r), str(theta), theta)
        for r, theta in zip(trace.get("r") or [], trace.get("theta") or [], strict=False)
        if isinstance(r, int | float) and not isinstance(r, bool)
    ]
    coordinates = [point(r, category) for r, category, _ in pairs]
    mode = str(trace.get("mode") or "lines+markers")
    joined = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
    parts = []
    if trace.get("fill") == "toself" and len(coordinates) > 2:
        fill = str(trace.get("fillcolor") or "none")
        parts.append(f'<polygon points="{joined}" fill="{xml(fill)}" stroke="none"/>')
    if "lines" in mode and len(coordinates) > 1:
        # A line with no markers carries its values in its own tooltip.
        tip = ""
        if "markers" not in mode:
            values = dict((rich.plain(str(theta)), r) for r, _, theta in pairs)
            listed = ", ".join(f"{label} {r:.0f}" for label, r in values.items())
            tip = f"<title>{xml(f'{name} · {listed}' if name else listed)}</title>"
        parts.append(
            f'<polyline points="{joined}" fill="none" stroke="{xml(colour)}" '
            f'stroke-width="{float(line.get("width") or 2):g}"{dash(line)} stroke-linejoin="round">'
            f"{tip}</polyline>"
        )
    if "markers" in mode:
        radius = float((trace.get("marker") or {}).get("size") or 6) / 2
        seen = set()
        for (r, _, theta), (x, y) in zip(pairs, coordinates, strict=True):
            key = (round(x, 1), round(y, 1))
            if key in seen:  # the closing point repeats the first
                continue
            seen.add(key)
            tip = f"{name} · {rich.plain(str(theta))}: {r:.0f}" if name else f"{r:.0f}"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:g}" fill="{xml(colour)}">'
                f"<title>{xml(tip)}</title></circle>"
            )
    return "".join(parts)
