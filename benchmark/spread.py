"""Where an organization's members disagree: each dimension's lowest and highest score
across their latest self-scores.

Pure module: standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .definition import Dimension


@dataclass(frozen=True)
class DimensionSpread:
    """Lowest, highest and gap (0..100 points) of a dimension across members' latest scores."""

    dimension_id: str
    label: str
    low: int
    high: int

    @property
    def gap(self) -> int:
        return self.high - self.low


def dimension_percents(dimensions: Mapping[str, float]) -> dict[str, int]:
    """A result's dimension scores (0..1) as whole points out of 100."""
    return {key: round(100 * value) for key, value in dimensions.items()}


def member_spread(
    dimensions: Iterable[Dimension], members: Iterable[Mapping[str, int]]
) -> list[DimensionSpread]:
    """Each dimension any member scored, with the lowest and highest of their scores (0..100),
    widest disagreement first (ties keep the definition's order)."""
    scores = list(members)
    spread = []
    for dimension in dimensions:
        values = [member[dimension.id] for member in scores if dimension.id in member]
        if values:
            spread.append(DimensionSpread(dimension.id, dimension.label, min(values), max(values)))
    spread.sort(key=lambda s: -s.gap)
    return spread
