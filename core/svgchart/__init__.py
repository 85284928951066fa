"""Charts drawn as SVG on the server from the app's Plotly figure dicts (``render``)."""

from core.svgchart.render import SUPPORTED_TRACES, figure_svg

__all__ = ["SUPPORTED_TRACES", "figure_svg"]
