"""One cartesian axis of a chart: its kind, its range in data units and its ticks.

Pure module: standard library only, no Django. Values on a date axis are ISO strings and are
held as milliseconds since 1970 (UTC); values on a category axis are their index.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from core.svgchart import text, ticks


@dataclass
class Axis:
    """An axis from ``lo`` to ``hi`` (data units) drawn from pixel ``start`` to ``end``."""

    kind: str  # "linear", "date" or "category"
    lo: float = 0.0
    hi: float = 1.0
    start: float = 0.0
    end: float = 1.0
    categories: list[str] = field(default_factory=list)
    spec: dict[str, Any] = field(default_factory=dict)

    def value(self, raw: Any) -> float | None:
        """``raw`` (a number, an ISO date or a category) in data units; None for a gap."""
        if raw is None:
            return None
        if self.kind == "date":
            return ticks.to_ms(raw)
        if self.kind == "category":
            key = str(raw)
            if key not in self.categories:
                self.categories.append(key)
            return float(self.categories.index(key))
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            try:
                raw = float(raw)
            except (TypeError, ValueError):
                return None
        number = float(raw)
        return number if math.isfinite(number) else None

    def px(self, value: float) -> float:
        """Data units to pixels (reversed when the axis says ``autorange: reversed``)."""
        span = self.hi - self.lo or 1.0
        share = (value - self.lo) / span
        if self.spec.get("autorange") == "reversed":
            share = 1 - share
        return self.start + share * (self.end - self.start)

    def paper(self, share: float) -> float:
        """A share of the plot area (0..1, "paper" coordinates) in pixels."""
        return self.start + share * (self.end - self.start)

    def tick_marks(self) -> list[tuple[float, str]]:
        """(data value, label) of each tick."""
        if self.kind == "category":
            return [(float(i), name) for i, name in enumerate(self.categories)]
        if self.kind == "date":
            target = max(2, int(abs(self.end - self.start) // 90))
            return ticks.date_ticks(self.lo, self.hi, target)
        values = self.spec.get("tickvals")
        if values:
            chosen = [float(v) for v in values if self.lo - 1e-9 <= float(v) <= self.hi + 1e-9]
        else:
            # About one tick every 45 px up an axis and every 90 px along one, as
            # plotly.js's automatic tick count does.
            per_tick = 45 if self.start > self.end else 90
            target = max(3, round(abs(self.end - self.start) / per_tick))
            chosen = ticks.linear_ticks(self.lo, self.hi, target)
        step = min((b - a for a, b in itertools.pairwise(chosen)), default=1.0)
        largest = max((abs(v) for v in chosen), default=0.0)
        return [(v, ticks.number_label(v, step, largest)) for v in chosen]


def kind_of(spec: dict[str, Any], samples: Sequence[Any]) -> str:
    """The axis kind: as ``spec["type"]`` says, else guessed from the values as plotly.js
    guesses (ISO dates, then numbers, then categories)."""
    if spec.get("type") in {"linear", "date", "category"}:
        return str(spec["type"])
    present = [v for v in samples if v is not None]
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "linear"
    if present and all(isinstance(v, str) and ticks.to_ms(v) is not None for v in present):
        return "date"
    return "category" if present else "linear"


def autorange(
    axis: Axis, values: list[float], *, include_zero: bool, pad_share: float
) -> tuple[float, float]:
    """The range plotly.js's autorange would pick: the data's extent, widened by
    ``pad_share`` of it on each side (never below zero when all values are >= 0 and
    ``include_zero``), with zero included when ``include_zero``."""
    if axis.spec.get("range"):
        low, high = axis.spec["range"]
        return (axis.value(low) or 0.0, axis.value(high) or 0.0)
    if axis.kind == "category":
        count = max(len(axis.categories), 1)
        return (-0.5, count - 0.5)
    if not values:
        return (0.0, 1.0) if axis.kind != "date" else (0.0, ticks.DAY_MS * 7)
    low, high = min(values), max(values)
    if include_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        pad = ticks.DAY_MS if axis.kind == "date" else (abs(high) or 1.0)
        return (low - pad, high + pad)
    pad = (high - low) * pad_share
    new_low = low - pad
    if include_zero and low >= 0:
        new_low = max(new_low, 0.0)
    return (new_low, high + pad)


def title_of(spec: dict[str, Any]) -> str:
    """The axis title's text ("" when none)."""
    title = spec.get("title")
    if isinstance(title, dict):
        return str(title.get("text") or "")
    return str(title or "")


__all__ = ["Axis", "autorange", "kind_of", "text", "title_of"]
