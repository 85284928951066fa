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

from .charts import chart_spec, specs_svg
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


def charts_svg(
    figures: dict[str, tuple[dict[str, Any], int]], *, now: datetime
) -> dict[str, str | None]:
    """Each figure (name -> ``(figure, width)``) as SVG text, or None when it cannot be
    drawn. Cached charts are read in one query; the others are drawn concurrently and
    kept, unless drawing failed."""
    specs = {name: chart_spec(figure, width=width) for name, (figure, width) in figures.items()}
    keys = {name: chart_key(spec) for name, spec in specs.items()}
    stored = dict(ChartImage.objects.filter(key__in=set(keys.values())).values_list("key", "svg"))
    if stored:
        ChartImage.objects.filter(key__in=stored, used_at__lt=now - timedelta(days=1)).update(
            used_at=now
        )
    missing = {name: spec for name, spec in specs.items() if keys[name] not in stored}
    drawn = specs_svg(missing) if missing else {}
    new = {keys[name]: svg for name, svg in drawn.items() if svg}
    if new:
        ChartImage.objects.bulk_create(
            [ChartImage(key=key, svg=svg, used_at=now) for key, svg in new.items()],
            ignore_conflicts=True,  # another worker drew the same chart a moment ago
        )
        ChartImage.objects.filter(used_at__lt=now - UNUSED_FOR).delete()
    return {name: stored.get(keys[name]) or drawn.get(name) for name in figures}
