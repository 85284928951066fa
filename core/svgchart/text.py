"""Plotly's rich-text subset as SVG text.

plotly.js renders a small HTML subset in figure text: ``<br>``, ``<b>``, ``<i>`` and
``<span style="font-size:..;color:..">``, with HTML entities. The figure builders escape every
user-entered string before it becomes figure text (``workflows.maps.chart_marks.escape``), so a
``<`` typed by a user arrives here as ``&lt;`` and stays text. Any other tag is dropped, and all
text is escaped again for XML on the way out.

Pure module: standard library only, no Django.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace

_TOKEN = re.compile(r"<br\s*/?>|<(/?)(b|i|span)(\s[^>]*)?>|<[^>]*>", re.IGNORECASE)
_STYLE = re.compile(r"(font-size|color)\s*:\s*([^;\"']+)", re.IGNORECASE)
# Average advance of a character, as a share of the font size (sans-serif, Latin text).
CHAR_WIDTH = 0.56
BOLD_CHAR_WIDTH = 0.62
LINE_HEIGHT = 1.3


@dataclass(frozen=True)
class Run:
    """A piece of one line drawn in one style; ``size`` in px, None for the text's own."""

    text: str
    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None


def lines(text: str) -> list[list[Run]]:
    """``text`` (plotly's rich-text subset) as lines of runs, entities decoded."""
    out: list[list[Run]] = [[]]
    stack: list[Run] = [Run("")]
    position = 0
    for match in _TOKEN.finditer(text):
        _add(out[-1], text[position : match.start()], stack[-1])
        position = match.end()
        tag = match.group(0).lower()
        if tag.startswith("<br"):
            out.append([])
        elif match.group(2):
            closing, name = match.group(1) == "/", match.group(2).lower()
            if closing:
                if len(stack) > 1:
                    stack.pop()
            elif name == "b":
                stack.append(replace(stack[-1], bold=True))
            elif name == "i":
                stack.append(replace(stack[-1], italic=True))
            else:
                stack.append(_styled(stack[-1], match.group(3) or ""))
    _add(out[-1], text[position:], stack[-1])
    return out


def _add(line: list[Run], raw: str, style: Run) -> None:
    if raw:
        line.append(replace(style, text=html.unescape(raw)))


def _styled(style: Run, attributes: str) -> Run:
    for prop, value in _STYLE.findall(attributes):
        value = value.strip()
        if prop.lower() == "color" and re.fullmatch(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]+", value):
            style = replace(style, color=value)
        elif prop.lower() == "font-size" and re.fullmatch(r"\d+(\.\d+)?(px)?", value):
            style = replace(style, size=float(value.removesuffix("px")))
    return style


def plain(text: str) -> str:
    """``text`` without its markup, lines joined by a space (for tooltips and labels)."""
    return " ".join("".join(run.text for run in line) for line in lines(text)).strip()


def width(line: list[Run], size: float) -> float:
    """Estimated width in px of one line drawn at ``size`` px (no font metrics here)."""
    return sum(
        len(run.text) * (run.size or size) * (BOLD_CHAR_WIDTH if run.bold else CHAR_WIDTH)
        for run in line
    )


def block_size(text: str, size: float) -> tuple[float, float]:
    """(width, height) in px of ``text`` drawn at ``size`` px, all lines."""
    all_lines = lines(text)
    return (
        max((width(line, size) for line in all_lines), default=0.0),
        sum(line_height(line, size) for line in all_lines),
    )


def line_height(line: list[Run], size: float) -> float:
    """Height in px of one line: LINE_HEIGHT times its largest font size."""
    return LINE_HEIGHT * max((run.size or size for run in line), default=size)


def xml(text: str) -> str:
    """``text`` escaped for SVG (XML) character data and attribute values."""
    return html.escape(text, quote=True)


def svg_text(
    text: str,
    x: float,
    y: float,
    *,
    size: float,
    color: str,
    anchor: str = "middle",
    valign: str = "middle",
    extra: str = "",
) -> str:
    """An SVG ``<text>`` of ``text`` at (x, y) px: ``anchor`` start/middle/end horizontally,
    ``valign`` top/middle/bottom for the block of lines."""
    all_lines = lines(text)
    heights = [line_height(line, size) for line in all_lines]
    total = sum(heights)
    top = {"top": y, "bottom": y - total}.get(valign, y - total / 2)
    parts = [
        f'<text x="{x:.1f}" y="{top:.1f}" font-size="{size:g}" fill="{xml(color)}" '
        f'text-anchor="{anchor}"{extra}>'
    ]
    offset = 0.0
    for line, height in zip(all_lines, heights, strict=True):
        # The baseline sits about 0.8 of the line's height down from its top.
        baseline = top + offset + height * 0.78
        offset += height
        parts.append(f'<tspan x="{x:.1f}" y="{baseline:.1f}">')
        for run in line:
            attributes = ""
            if run.bold:
                attributes += ' font-weight="bold"'
            if run.italic:
                attributes += ' font-style="italic"'
            if run.size:
                attributes += f' font-size="{run.size:g}"'
            if run.color:
                attributes += f' fill="{xml(run.color)}"'
            parts.append(
                f"<tspan{attributes}>{xml(run.text)}</tspan>" if attributes else xml(run.text)
            )
        parts.append("</tspan>")
    parts.append("</text>")
    return "".join(parts)
