"""The charts of a report, drawn once: SVGs kept under a hash of what they show.

A chart's key is the SHA-256 of its figure as drawn, its size and the versions of plotly
and Kaleido, so a frozen review's charts are read back and only charts whose data changed
are drawn, all at once (``reports.charts.specs_svg``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from functools import cache
from importlib.metadata import version
from typing import Any

from .charts import chart_spec, specs_start, svg_result
from .models import ChartImage

# A chart no report has used for this long is deleted (it is drawn again if ever needed).
UNUSED_FOR = timedelta(days=180)


@cache
def _renderer() -> str:
    return f"plotly {version('plotly')}, kaleido {version('kaleido')}"


def chart_key(spec: dict[str, Any]) -> str:
    """The cache key of a ``chart_spec``: the same figure and options give the same key."""
    text = json.dumps(
        {"renderer": _renderer(), **spec},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


class PendingCharts:
    """A report's charts: the cached ones read, the others being drawn all at once. Read
    each with ``svg`` (which waits for it), then ``save`` keeps the newly drawn ones."""

    def __init__(self, figures: dict[str, tuple[dict[str, Any], int]], *, now: datetime):
        specs = {name: chart_spec(figure, width=width) for name, (figure, width) in figures.items()}
        self.now = now
        self.keys = {name: chart_key(spec) for name, spec in specs.items()}
        self.stored = dict(
            ChartImage.objects.filter(key__in=set(self.keys.values())).values_list("key", "svg")
        )
        missing = {name: spec for name, spec in specs.items() if self.keys[name] not in self.stored}
        self.futures = specs_start(missing)
        self.drawn: dict[str, str] = {}

    def svg(self, name: str) -> str | None:
        """The chart's SVG text, waiting for it to be drawn; None when it cannot be."""
        key = self.keys[name]
        if key in self.stored:
            return self.stored[key]
        if key not in self.drawn:
            svg = svg_result(self.futures.get(name))
            if svg is None:
                return None
            self.drawn[key] = svg
        return self.drawn[key]

    def save(self) -> None:
        """Keep the charts drawn (unless another worker kept them a moment ago), mark the
        cached ones used, and drop those unused for ``UNUSED_FOR``."""
        for name in self.futures:
            self.svg(name)
        if self.stored:
            ChartImage.objects.filter(
                key__in=self.stored, used_at__lt=self.now - timedelta(days=1)
            ).update(used_at=self.now)
        if self.drawn:
            ChartImage.objects.bulk_create(
                [ChartImage(key=key, svg=svg, used_at=self.now) for key, svg in self.drawn.items()],
                ignore_conflicts=True,
            )
            ChartImage.objects.filter(used_at__lt=self.now - UNUSED_FOR).delete()


def charts_svg(
    figures: dict[str, tuple[dict[str, Any], int]], *, now: datetime
) -> dict[str, str | None]:
    """Each figure (name -> ``(figure, width)``) as SVG text, or None when it cannot be
    drawn. Cached charts are read in one query; the others are drawn concurrently and
    kept, unless drawing failed."""
    pending = PendingCharts(figures, now=now)
    charts = {name: pending.svg(name) for name in figures}
    pending.save()
    return charts
