"""A Plotly figure dict drawn as SVG on the server: the chart is in the page's HTML, so it
shows with the page (no script to fetch, parse and run first) and prints as it shows.

Pure module: standard library only, no Django. It draws the subset of Plotly's figure
schema (https://plotly.com/javascript/reference/) this app's figure builders use:

- traces ``scatter`` (lines, markers, dashes, gaps), ``bar`` (vertical or horizontal,
  grouped or overlaid) and ``scatterpolar`` (lines, markers, ``fill: toself``);
- axes ``linear``, ``date`` and ``category``, with ``range``, ``tickvals``, ``rangemode:
  tozero``, ``autorange: reversed``, ``visible``, ``showticklabels``, ``side``, ``title``;
- ``polar`` with ``radialaxis`` (range, tickvals, angle) and ``angularaxis`` (rotation,
  direction, categoryarray);
- layout ``shapes`` (rect, line, path; data or paper coordinates; ``layer``) and
  ``annotations`` (anchors, shifts, boxes, arrows), and a horizontal legend.

Hover is a native tooltip (an SVG ``<title>``) on each point and bar. Anything else in a
figure is ignored rather than refused, so a builder's extra keys (hovertemplate, template,
fixedrange) do no harm.
"""

from __future__ import annotations

import itertools
import math
import re
from typing import Any

from core.svgchart import text as rich
from core.svgchart.axes import Axis, autorange, kind_of, title_of
from core.svgchart.polar import polar_marks
from core.svgchart.style import dash, palette, stroke
from core.svgchart.text import svg_text, xml

# The trace types drawn; any other is left out of the picture (tests/domain/test_svgchart.py
# checks every type the app builds is here).
SUPPORTED_TRACES = frozenset({"scatter", "bar", "scatterpolar"})
DEFAULT_WIDTH = 720
DEFAULT_HEIGHT = 450
LEGEND_ROW = 26


def figure_svg(figure: dict[str, Any], *, width: int = DEFAULT_WIDTH) -> str:
    """``figure`` (``{"data": [...], "layout": {...}}``) as one ``<svg>`` element.

    ``width`` (px) is used when the layout gives none; the SVG then scales to its box (a
    viewBox and no width attribute). A layout with its own ``width`` keeps that size.
    """
    layout: dict[str, Any] = dict(figure.get("layout") or {})
    data: list[dict[str, Any]] = [t for t in figure.get("data") or [] if t.get("visible", True)]
    fixed = bool(layout.get("width"))
    chart = _Chart(layout, data, int(layout.get("width") or width))
    body = chart.draw()
    size = f' width="{chart.width}" height="{chart.height:.0f}"' if fixed else ""
    font = layout.get("font") or {}
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="svg-chart" viewBox="0 0 {chart.width} '
        f'{chart.height:.0f}"{size} font-family="{xml(str(font.get("family") or "sans-serif"))}"'
        f' focusable="false">{body}</svg>'
    )


def _colour(value: Any, fallback: str) -> str:
    return str(value) if isinstance(value, str) and value else fallback


class _Chart:
    def __init__(self, layout: dict[str, Any], data: list[dict[str, Any]], width: int) -> None:
        self.layout, self.data, self.width = layout, data, width
        self.font = layout.get("font") or {}
        self.ink = _colour(self.font.get("color"), "#444444")
        self.size = float(self.font.get("size") or 12)
        margin = {"l": 80, "r": 80, "t": 100, "b": 80, **(layout.get("margin") or {})}
        self.legend = self._legend_entries()
        self.height = float(layout.get("height") or DEFAULT_HEIGHT)
        self.legend_rows = self._legend_rows(width - 8)
        extra = LEGEND_ROW * len(self.legend_rows)
        self.plot = (
            float(margin["l"]),
            float(margin["t"]),
            width - float(margin["r"]),
            self.height - float(margin["b"]),
        )
        self.height += extra
        self.x = Axis("linear", spec=dict(layout.get("xaxis") or {}))
        self.y = Axis("linear", spec=dict(layout.get("yaxis") or {}))

    # Drawing ---------------------------------------------------------------------------

    def draw(self) -> str:
        left, top, right, bottom = self.plot
        parts = []
        paper = self.layout.get("paper_bgcolor")
        if paper and not str(paper).startswith("rgba(0,0,0,0"):
            parts.append(f'<rect width="100%" height="100%" fill="{xml(str(paper))}"/>')
        polar = any(t.get("type") == "scatterpolar" for t in self.data)
        if polar:
            parts.append(
                polar_marks(self.layout, self.data, self.plot, ink=self.ink, size=self.size)
            )
        else:
            self._set_axes()
            background = self.layout.get("plot_bgcolor")
            if background and not str(background).startswith("rgba(0,0,0,0"):
                parts.append(
                    f'<rect x="{left:.1f}" y="{top:.1f}" width="{right - left:.1f}" '
                    f'height="{bottom - top:.1f}" fill="{xml(str(background))}"/>'
                )
            parts.append(self._shapes("below"))
            parts.append(self._grid())
            parts.append(self._traces())
            parts.append(self._axes())
            parts.append(self._shapes("above"))
            parts.append(self._annotations())
        parts.append(self._legend())
        return "".join(parts)

    # Axes ------------------------------------------------------------------------------

    def _set_axes(self) -> None:
        left, top, right, bottom = self.plot
        xs = [v for t in self.data for v in t.get("x") or []]
        ys = [v for t in self.data for v in t.get("y") or []]
        self.x.kind = kind_of(self.x.spec, xs)
        self.y.kind = kind_of(self.y.spec, ys)
        self.x.start, self.x.end = left, right
        self.y.start, self.y.end = bottom, top
        for axis in (self.x, self.y):
            if axis.kind == "category" and axis.spec.get("categoryarray"):
                axis.categories = [str(c) for c in axis.spec["categoryarray"]]
        self.x.lo, self.x.hi = self._range(self.x, "x")
        self.y.lo, self.y.hi = self._range(self.y, "y")

    def _range(self, axis: Axis, letter: str) -> tuple[float, float]:
        values: list[float] = []
        include_zero = axis.spec.get("rangemode") == "tozero"
        bars_along = False
        for trace in self.data:
            for raw in trace.get(letter) or []:
                value = axis.value(raw)
                if value is not None:
                    values.append(value)
            if trace.get("type") == "bar":
                horizontal = trace.get("orientation") == "h"
                value_letter = "x" if horizontal else "y"
                if letter == value_letter:
                    include_zero = True
                else:
                    bars_along = True
        if bars_along and axis.kind != "category" and values and not axis.spec.get("range"):
            slot = self._slot(axis, sorted(set(values)))
            return (min(values) - slot / 2, max(values) + slot / 2)
        # Values up an axis get 5% of room; dates along one 2%, so an end marker shows whole.
        pad = 0.05 if axis is self.y or axis.kind == "linear" else 0.02
        return autorange(axis, values, include_zero=include_zero, pad_share=pad)

    def _slot(self, axis: Axis, positions: list[float]) -> float:
        gaps = [b - a for a, b in itertools.pairwise(positions) if b > a]
        if gaps:
            return min(gaps)
        return 7 * 86_400_000.0 if axis.kind == "date" else 1.0

    def _grid(self) -> str:
        left, top, right, bottom = self.plot
        parts = []
        for axis, horizontal in ((self.y, True), (self.x, False)):
            if axis.spec.get("visible") is False or axis.kind == "category":
                continue
            if axis.spec.get("showgrid") is False:
                continue
            colour = _colour(axis.spec.get("gridcolor"), "#eeeeee")
            for value, _ in axis.tick_marks():
                p = axis.px(value)
                if horizontal:
                    parts.append(
                        f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{p:.1f}" y2="{p:.1f}" '
                        f'stroke="{xml(colour)}" stroke-width="1"/>'
                    )
                elif axis.kind == "linear":
                    parts.append(
                        f'<line x1="{p:.1f}" x2="{p:.1f}" y1="{top:.1f}" y2="{bottom:.1f}" '
                        f'stroke="{xml(colour)}" stroke-width="1"/>'
                    )
        return "".join(parts)

    def _axes(self) -> str:
        left, top, right, bottom = self.plot
        parts = []
        for axis, is_x in ((self.x, True), (self.y, False)):
            spec = axis.spec
            if spec.get("visible") is False:
                continue
            size = float((spec.get("tickfont") or {}).get("size") or self.size)
            if spec.get("showticklabels", True) is not False:
                for value, label in axis.tick_marks():
                    p = axis.px(value)
                    if is_x:
                        y = top - 6 if spec.get("side") == "top" else bottom + 6
                        # A label at either end stays inside the picture.
                        half = rich.width([rich.Run(label)], size) / 2
                        anchor = "middle"
                        if p + half > self.width - 2:
                            p, anchor = self.width - 2.0, "end"
                        elif p - half < 2:
                            p, anchor = 2.0, "start"
                        parts.append(
                            svg_text(
                                xml_free(label),
                                p,
                                y,
                                size=size,
                                color=self.ink,
                                anchor=anchor,
                                valign="bottom" if spec.get("side") == "top" else "top",
                            )
                        )
                    else:
                        parts.append(
                            svg_text(
                                xml_free(label),
                                left - 6,
                                p,
                                size=size,
                                color=self.ink,
                                anchor="end",
                            )
                        )
            title = title_of(spec)
            if title:
                if is_x:
                    parts.append(
                        svg_text(
                            title,
                            (left + right) / 2,
                            bottom + 24,
                            size=self.size,
                            color=self.ink,
                            valign="top",
                        )
                    )
                else:
                    x, y = max(left - 46, 12.0), (top + bottom) / 2
                    parts.append(
                        svg_text(
                            title,
                            x,
                            y,
                            size=self.size,
                            color=self.ink,
                            extra=f' transform="rotate(-90 {x:.1f} {y:.1f})"',
                        )
                    )
        return "".join(parts)

    # Traces ----------------------------------------------------------------------------

    def _traces(self) -> str:
        parts = []
        bars = [t for t in self.data if t.get("type") == "bar"]
        grouped = self.layout.get("barmode") == "group" and len(bars) > 1
        for index, trace in enumerate(self.data):
            colour = palette(index)
            if trace.get("type") == "bar":
                slot = bars.index(trace) if grouped else 0
                parts.append(self._bar(trace, colour, slot, len(bars) if grouped else 1))
            elif trace.get("type", "scatter") == "scatter":
                parts.append(self._scatter(trace, colour))
        return f'<g class="traces">{"".join(parts)}</g>'

    def _points(self, trace: dict[str, Any]) -> list[tuple[float, float, Any, Any] | None]:
        out: list[tuple[float, float, Any, Any] | None] = []
        for raw_x, raw_y in zip(trace.get("x") or [], trace.get("y") or [], strict=False):
            x, y = self.x.value(raw_x), self.y.value(raw_y)
            out.append(
                None if x is None or y is None else (self.x.px(x), self.y.px(y), raw_x, raw_y)
            )
        return out

    def _scatter(self, trace: dict[str, Any], fallback: str) -> str:
        line = trace.get("line") or {}
        colour = _colour(line.get("color"), fallback)
        mode = str(trace.get("mode") or "lines+markers")
        name = rich.plain(str(trace.get("name") or ""))
        points = self._points(trace)
        parts = []
        if "lines" in mode:
            segment: list[str] = []
            for point in [*points, None]:
                if point is None:
                    if len(segment) > 1:
                        parts.append(
                            f'<polyline points="{" ".join(segment)}" fill="none"'
                            f"{stroke(colour, line.get('width') or 2)}{dash(line)} "
                            'stroke-linejoin="round"/>'
                        )
                    segment = []
                else:
                    segment.append(f"{point[0]:.1f},{point[1]:.1f}")
        if "markers" in mode:
            marker = trace.get("marker") or {}
            size = float(marker.get("size") or 6)
            for point in points:
                if point is None:
                    continue
                tip = f"<title>{xml(_tip(name, point[2], point[3], self.x, self.y))}</title>"
                if marker.get("symbol") == "line-ns":
                    edge = marker.get("line") or {}
                    x, y = point[0], point[1]
                    edge_colour = _colour(edge.get("color"), colour)
                    parts.append(
                        f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - size / 2:.1f}" '
                        f'y2="{y + size / 2:.1f}"{stroke(edge_colour, edge.get("width") or 2)}>'
                        f"{tip}</line>"
                    )
                else:
                    parts.append(
                        f'<circle cx="{point[0]:.1f}" cy="{point[1]:.1f}" r="{size / 2:g}" '
                        f'fill="{xml(_colour(marker.get("color"), colour))}">{tip}</circle>'
                    )
        return "".join(parts)

    def _bar(self, trace: dict[str, Any], fallback: str, slot: int, slots: int) -> str:
        horizontal = trace.get("orientation") == "h"
        along, value_axis = (self.y, self.x) if horizontal else (self.x, self.y)
        colour = _colour((trace.get("marker") or {}).get("color"), fallback)
        name = rich.plain(str(trace.get("name") or ""))
        raw_along = trace.get("y" if horizontal else "x") or []
        raw_values = trace.get("x" if horizontal else "y") or []
        positions = sorted({p for p in (along.value(r) for r in raw_along) if p is not None})
        spacing = self._slot(along, positions) if along.kind != "category" else 1.0
        gap = float(self.layout.get("bargap", 0.2))
        group = spacing * (1 - gap)
        width = float(trace["width"]) if trace.get("width") else group / slots
        offset = -group / 2 + width * (slot + 0.5) if slots > 1 else 0.0
        parts = []
        for raw_position, raw_value in zip(raw_along, raw_values, strict=False):
            position, value = along.value(raw_position), value_axis.value(raw_value)
            if position is None or value is None:
                continue
            a0, a1 = (
                along.px(position + offset - width / 2),
                along.px(position + offset + width / 2),
            )
            v0, v1 = value_axis.px(0.0), value_axis.px(value)
            raw_x, raw_y = (raw_value, raw_position) if horizontal else (raw_position, raw_value)
            tip = f"<title>{xml(_tip(name, raw_x, raw_y, self.x, self.y))}</title>"
            if horizontal:
                x, w, y, h = min(v0, v1), abs(v1 - v0), min(a0, a1), abs(a1 - a0)
            else:
                x, w, y, h = min(a0, a1), abs(a1 - a0), min(v0, v1), abs(v1 - v0)
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                f'fill="{xml(colour)}">{tip}</rect>'
            )
        return "".join(parts)

    # Shapes and annotations ------------------------------------------------------------

    def _ref(self, axis: Axis, ref: Any, raw: Any) -> float:
        if ref == "paper":
            return axis.paper(float(raw))
        value = axis.value(raw)
        return axis.px(value if value is not None else 0.0)

    def _shapes(self, layer: str) -> str:
        parts = []
        for shape in self.layout.get("shapes") or []:
            if str(shape.get("layer") or "above") != layer:
                continue
            line = shape.get("line") or {}
            stroke_width = float(line.get("width", 2))
            outline = (
                stroke(_colour(line.get("color"), "#444444"), stroke_width) + dash(line)
                if stroke_width > 0
                else ' stroke="none"'
            )
            fill = xml(_colour(shape.get("fillcolor"), "none"))
            xref, yref = shape.get("xref", "x"), shape.get("yref", "y")
            kind = shape.get("type", "rect")
            if kind == "path":
                parts.append(
                    f'<path d="{self._path(str(shape.get("path") or ""), xref, yref)}" '
                    f'fill="{fill}"{outline}/>'
                )
                continue
            x0 = self._ref(self.x, xref, shape.get("x0", 0))
            x1 = self._ref(self.x, xref, shape.get("x1", 0))
            y0 = self._ref(self.y, yref, shape.get("y0", 0))
            y1 = self._ref(self.y, yref, shape.get("y1", 0))
            if kind == "line":
                parts.append(
                    f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}"{outline}/>'
                )
            else:
                parts.append(
                    f'<rect x="{min(x0, x1):.1f}" y="{min(y0, y1):.1f}" width="{abs(x1 - x0):.1f}" '
                    f'height="{abs(y1 - y0):.1f}" fill="{fill}"{outline}/>'
                )
        return "".join(parts)

    def _path(self, path: str, xref: Any, yref: Any) -> str:
        """A Plotly shape path (absolute M, L, Q, C, Z in data units) in pixels."""
        out = []
        for command, numbers in re.findall(r"([MLQCZ])([^MLQCZ]*)", path.upper()):
            values = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", numbers)]
            pairs = []
            for i in range(0, len(values) - 1, 2):
                x, y = self._ref(self.x, xref, values[i]), self._ref(self.y, yref, values[i + 1])
                pairs.append(f"{x:.1f},{y:.1f}")
            out.append(command + " " + " ".join(pairs) if pairs else command)
        return " ".join(out)

    def _annotations(self) -> str:
        parts = []
        for note in self.layout.get("annotations") or []:
            parts.append(self._annotation(note))
        return "".join(parts)

    def _annotation(self, note: dict[str, Any]) -> str:
        font = note.get("font") or {}
        size = float(font.get("size") or self.size)
        colour = _colour(font.get("color"), self.ink)
        x = self._ref(self.x, note.get("xref", "x"), note.get("x", 0)) + float(
            note.get("xshift", 0)
        )
        y = self._ref(self.y, note.get("yref", "y"), note.get("y", 0)) - float(
            note.get("yshift", 0)
        )
        parts = []
        label = str(note.get("text") or "")
        if note.get("showarrow", True):
            if note.get("axref") == "x":
                tail_x = self._ref(self.x, "x", note.get("ax", 0))
            else:
                tail_x = x + float(note.get("ax", -10))
            if note.get("ayref") == "y":
                tail_y = self._ref(self.y, "y", note.get("ay", 0))
            else:
                tail_y = y + float(note.get("ay", -30))
            parts.append(self._arrow(note, (tail_x, tail_y), (x, y), colour))
            x, y = tail_x, tail_y
        if not label:
            return "".join(parts)
        width, height = rich.block_size(label, size)
        pad = float(note.get("borderpad", 1))
        xanchor = note.get("xanchor", "auto")
        yanchor = note.get("yanchor", "auto")
        left = {"left": x, "right": x - width - 2 * pad}.get(xanchor, x - width / 2 - pad)
        top = {"top": y, "bottom": y - height - 2 * pad}.get(yanchor, y - height / 2 - pad)
        if note.get("showarrow", True) and yanchor == "auto":
            top = y - height - 2 * pad if tail_above(note) else y
        if note.get("bgcolor") or note.get("borderwidth"):
            border = note.get("bordercolor")
            outline = stroke(str(border), note.get("borderwidth", 1)) if border else ""
            parts.append(
                f'<rect x="{left:.1f}" y="{top:.1f}" width="{width + 2 * pad:.1f}" '
                f'height="{height + 2 * pad:.1f}" '
                f'fill="{xml(_colour(note.get("bgcolor"), "none"))}"{outline}/>'
            )
        # Text starts at the anchored edge (the box's width is an estimate, so centring in
        # it would shift left-anchored labels by the estimate's error).
        side = xanchor if xanchor in {"left", "right"} else str(note.get("align") or "center")
        align = {"left": ("start", left + pad), "right": ("end", left + pad + width)}.get(
            side, ("middle", left + pad + width / 2)
        )
        parts.append(
            svg_text(
                label, align[1], top + pad, size=size, color=colour, anchor=align[0], valign="top"
            )
        )
        return "".join(parts)

    def _arrow(
        self, note: dict[str, Any], tail: tuple[float, float], head: tuple[float, float], ink: str
    ) -> str:
        colour = _colour(note.get("arrowcolor"), ink)
        width = float(note.get("arrowwidth") or 1)
        dx, dy = head[0] - tail[0], head[1] - tail[1]
        length = math.hypot(dx, dy)
        if length < 1:
            return ""
        ux, uy = dx / length, dy / length
        standoff = float(note.get("standoff", 0))
        tip = (head[0] - ux * standoff, head[1] - uy * standoff)
        size = (3 + 2 * width) * float(note.get("arrowsize", 1))
        base = (tip[0] - ux * size, tip[1] - uy * size)
        wing = (-uy * size * 0.5, ux * size * 0.5)
        head_points = (
            f"{tip[0]:.1f},{tip[1]:.1f} {base[0] + wing[0]:.1f},{base[1] + wing[1]:.1f} "
            f"{base[0] - wing[0]:.1f},{base[1] - wing[1]:.1f}"
        )
        return (
            f'<line x1="{tail[0]:.1f}" y1="{tail[1]:.1f}" x2="{base[0]:.1f}" y2="{base[1]:.1f}" '
            f'stroke="{xml(colour)}" stroke-width="{width:g}"/>'
            f'<polygon points="{head_points}" fill="{xml(colour)}"/>'
        )

    # Legend ----------------------------------------------------------------------------

    def _legend_entries(self) -> list[tuple[str, dict[str, Any], str]]:
        named = [
            (rich.plain(str(t.get("name"))), t, palette(i))
            for i, t in enumerate(self.data)
            if t.get("name") and t.get("showlegend", True) is not False
        ]
        shown = self.layout.get("showlegend")
        if shown is False or (shown is None and len(named) < 2):
            return []
        return named

    def _legend_rows(self, room: float) -> list[list[tuple[float, int]]]:
        """The legend's entries in rows that fit ``room`` px: (entry width, index)."""
        rows: list[list[tuple[float, int]]] = []
        used = room
        for index, (name, _, _) in enumerate(self.legend):
            width = 28 + rich.width([rich.Run(name)], self.size) + 16
            if used + width > room and (not rows or rows[-1]):
                rows.append([])
                used = 0.0
            rows[-1].append((width, index))
            used += width
        return rows

    def _legend(self) -> str:
        if not self.legend:
            return ""
        spec = self.layout.get("legend") or {}
        left, _, right, _ = self.plot
        parts = ['<g class="legend">']
        for number, row in enumerate(self.legend_rows):
            y = self.height - LEGEND_ROW * (len(self.legend_rows) - number) + LEGEND_ROW / 2
            total = sum(width for width, _ in row)
            if spec.get("xanchor") == "center":
                x = left + float(spec.get("x", 0.5)) * (right - left) - total / 2
            else:
                x = left + float(spec.get("x", 0)) * (right - left)
            x = max(4.0, min(x, self.width - total - 4))
            for width, index in row:
                name, trace, fallback = self.legend[index]
                parts.append(self._swatch(trace, fallback, x, y))
                parts.append(
                    svg_text(
                        xml_free(name), x + 26, y, size=self.size, color=self.ink, anchor="start"
                    )
                )
                x += width
        parts.append("</g>")
        return "".join(parts)

    def _swatch(self, trace: dict[str, Any], fallback: str, x: float, y: float) -> str:
        if trace.get("type") == "bar":
            colour = _colour((trace.get("marker") or {}).get("color"), fallback)
            return (
                f'<rect x="{x:.1f}" y="{y - 6:.1f}" width="20" height="12" fill="{xml(colour)}"/>'
            )
        line = trace.get("line") or {}
        marker = trace.get("marker") or {}
        mode = str(trace.get("mode") or "lines+markers")
        colour = _colour(line.get("color"), fallback)
        parts = []
        if "lines" in mode or (trace.get("type") == "scatterpolar" and "markers" not in mode):
            parts.append(
                f'<line x1="{x:.1f}" x2="{x + 20:.1f}" y1="{y:.1f}" y2="{y:.1f}"'
                f"{stroke(colour, min(float(line.get('width') or 2), 4))}{dash(line)}/>"
            )
        if "markers" in mode:
            if marker.get("symbol") == "line-ns":
                edge = marker.get("line") or {}
                parts.append(
                    f'<line x1="{x + 10:.1f}" x2="{x + 10:.1f}" y1="{y - 7:.1f}" y2="{y + 7:.1f}"'
                    f"{stroke(_colour(edge.get('color'), colour), edge.get('width') or 2)}/>"
                )
            else:
                parts.append(
                    f'<circle cx="{x + 10:.1f}" cy="{y:.1f}" r="3.5" '
                    f'fill="{xml(_colour(marker.get("color"), colour))}"/>'
                )
        return "".join(parts)


def tail_above(note: dict[str, Any]) -> bool:
    """Whether an arrow's text sits above its head (a negative ``ay`` in pixels)."""
    return note.get("ayref") != "y" and float(note.get("ay", -30)) < 0


def xml_free(label: str) -> str:
    """A plain label (a tick or a trace name) as rich text: its ``&`` and ``<`` escaped so
    ``rich.lines`` reads them as text."""
    return label.replace("&", "&amp;").replace("<", "&lt;")


def _tip(name: str, raw_x: Any, raw_y: Any, x: Axis, y: Axis) -> str:
    def show(raw: Any, axis: Axis) -> str:
        if axis.kind == "category":
            return rich.plain(str(raw))
        if isinstance(raw, float):
            return f"{raw:,.2f}".rstrip("0").rstrip(".")
        return str(raw)

    if y.kind == "category":  # horizontal bars: the category names the value
        head = f"{show(raw_y, y)}: {show(raw_x, x)}"
    else:
        head = f"{show(raw_x, x)}: {show(raw_y, y)}"
    return f"{name} · {head}" if name else head
