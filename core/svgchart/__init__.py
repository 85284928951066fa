"""Charts drawn as SVG on the server from the app's Plotly figure dicts (``render``)."""

from core.svgchart.render import figure_svg

__all__ = ["figure_svg"]
