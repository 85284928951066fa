"""A response's stored result (``Response.result``), read back as a frozen dataclass.

Pure module: standard library only. ``ScoreResult.as_json`` writes the JSON; rows are never
rewritten, so every shape ever written stays readable here. The shape is versioned by its
``format`` key: format 1 (the first, written without the key) is what ``as_json`` writes
today. A new shape adds its number and a reader below, and old rows keep their reader.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
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
    ``overall`` 0..100, ``dimensions`` 0..1 by dimension id, ``levels`` 0..3 by question id,
    ``widest_gap`` the dimension losing the most points and ``band`` its band."""

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


READERS: dict[int, Callable[[Mapping[str, Any]], StoredResult]] = {1: _read_format_1}


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
