"""A response's stored result (``Response.result``), read back as a frozen dataclass.

Pure module: standard library only. ``ScoreResult.as_json`` writes the JSON; rows are never
rewritten, so every shape ever written stays readable here. The shape is versioned by its
``format`` key: format 1 (the first, written without the key) has a score for every
dimension; format 2 (definitions with "I don't know", issue 15) adds the unknowns, how many
questions each dimension's score rests on, the weights as spread, and null for a dimension
with no score. A new shape adds its number and a reader below, and old rows keep their reader.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


class StoredResultError(ValueError):
    """A stored result this module cannot read (an unknown format or a missing key)."""


@dataclass(frozen=True)
class StoredMove:
    title: str
    detail: str


@dataclass(frozen=True)
class StoredResult:
    """The scored result as stored: ``version`` is the definition it was scored with,
    ``overall`` 0..100, ``dimensions`` 0..1 by dimension id (scored dimensions only: one
    with no answered question is absent and listed in ``unscored``), ``levels`` 0..3 by
    answered question id, ``widest_gap`` the dimension losing the most points and ``band``
    its band.

    Format 2 adds: ``unknowns``, the question ids answered "I don't know";
    ``answered``, ``(answered, asked)`` for each dimension resting on fewer answers than it
    asks (unscored ones included); ``weights``, each dimension's share of the 100 points
    as spread (empty in format 1: the defined weights held); ``low_confidence``, kept out
    of the peer pool.
    """

    format: int
    version: str
    overall: float
    tier: str
    ahead_withheld: bool
    levels: Mapping[str, int]
    dimensions: Mapping[str, float]
    widest_gap: str
    widest_gap_points_lost: float
    band: str
    moves: tuple[StoredMove, ...]
    unknowns: tuple[str, ...] = ()
    unscored: tuple[str, ...] = ()
    answered: Mapping[str, tuple[int, int]] = field(default_factory=lambda: MappingProxyType({}))
    weights: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    low_confidence: bool = False

    def weight(self, dimension_id: str, defined: int) -> float:
        """The points (0..100) ``dimension_id`` carried in this result: ``defined`` unless
        unscored dimensions spread their weight over the others."""
        return self.weights.get(dimension_id, float(defined))

    @property
    def weights_spread(self) -> bool:
        """True when some dimension has no score and its weight went to the others."""
        return bool(self.unscored)


def _read_format_1(data: Mapping[str, Any]) -> StoredResult:
    return StoredResult(
        format=1,
        version=str(data["version"]),
        overall=float(data["overall"]),
        tier=str(data["tier"]),
        ahead_withheld=bool(data.get("ahead_withheld", False)),
        levels=MappingProxyType({str(k): int(v) for k, v in data.get("levels", {}).items()}),
        dimensions=MappingProxyType({str(k): float(v) for k, v in data["dimensions"].items()}),
        widest_gap=str(data["widest_gap"]),
        widest_gap_points_lost=float(data["widest_gap_points_lost"]),
        band=str(data["band"]),
        moves=tuple(StoredMove(str(m["title"]), str(m["detail"])) for m in data["moves"]),
    )


def _read_format_2(data: Mapping[str, Any]) -> StoredResult:
    dimensions = data["dimensions"]
    answered = {
        str(k): (int(v[0]), int(v[1])) for k, v in data["answered"].items() if int(v[0]) < int(v[1])
    }
    return StoredResult(
        format=2,
        version=str(data["version"]),
        overall=float(data["overall"]),
        tier=str(data["tier"]),
        ahead_withheld=bool(data.get("ahead_withheld", False)),
        levels=MappingProxyType({str(k): int(v) for k, v in data.get("levels", {}).items()}),
        dimensions=MappingProxyType(
            {str(k): float(v) for k, v in dimensions.items() if v is not None}
        ),
        widest_gap=str(data["widest_gap"]),
        widest_gap_points_lost=float(data["widest_gap_points_lost"]),
        band=str(data["band"]),
        moves=tuple(StoredMove(str(m["title"]), str(m["detail"])) for m in data["moves"]),
        unknowns=tuple(str(q) for q in data.get("unknowns", [])),
        unscored=tuple(str(k) for k, v in dimensions.items() if v is None),
        answered=MappingProxyType(answered),
        weights=MappingProxyType({str(k): float(v) for k, v in data["weights"].items()}),
        low_confidence=bool(data.get("low_confidence", False)),
    )


READERS: dict[int, Callable[[Mapping[str, Any]], StoredResult]] = {
    1: _read_format_1,
    2: _read_format_2,
}


def stored_result_read(data: Mapping[str, Any]) -> StoredResult:
    """``Response.result`` as a ``StoredResult``, by the reader of its format.

    Raises:
        StoredResultError: the format is unknown, or a key its format requires is missing.
    """
    fmt = data.get("format", 1)
    reader = READERS.get(fmt) if isinstance(fmt, int) else None
    if reader is None:
        raise StoredResultError(f"Unknown stored result format {fmt!r}")
    try:
        return reader(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise StoredResultError(f"Stored result (format {fmt}) is missing or bad: {exc}") from exc
