"""A review's snapshot (``Review.frozen``, or a live one), read as frozen dataclasses.

Pure module: standard library only. ``snapshot.review_snapshot_compute`` and
``cfo_selectors.cfo_sections`` write the snapshot as JSON; a completed review stores that JSON
and it is never rewritten, so every shape ever stored stays readable here. The page, the CSV
export and the board report read ``ReviewSnapshot``'s attributes, never the JSON's keys, so a
renamed field fails loudly (in mypy, and in the strict template test) instead of rendering
blank.

The shape is versioned by its ``version`` key:

- version 1: written without the key, before these types (issues 6 to 17). Sections and the
  keys inside them were added over time, so its reader is lenient: a missing section is None
  and a missing field takes its type's empty value (None, 0, "", False, an empty tuple).
- version 2 (``SNAPSHOT_VERSION``): the same keys, now with ``version``. Its reader is strict:
  a missing field raises ``StoredSnapshotError`` unless the field has a default (a section a
  stage does not compute, a reason given only when an effect could not be estimated).

A new shape adds its number and its reader below, and old rows keep theirs.

The sections' types are in ``stored_metrics`` (the stage's metrics) and ``stored_cfo`` (the
CFO-grade sections). ``charts`` holds Plotly figure dicts by name; ``stored`` is the JSON
itself, which the CSV export flattens and a completion stores.
"""

from __future__ import annotations

import dataclasses
import functools
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Union, get_args, get_origin, get_type_hints

from workflows.reviews.stored_cfo import (
    Baseline,
    CostTrend,
    Effects,
    Npv,
    PaybackRange,
    PipelineRange,
    Risk,
)
from workflows.reviews.stored_metrics import Conversion, Cost, Payback, Pipeline, Throughput

SNAPSHOT_VERSION = 2


class StoredSnapshotError(ValueError):
    """A stored snapshot this module cannot read (an unknown version, a missing field, or a
    value of the wrong type)."""


@dataclass(frozen=True)
class ReviewSnapshot:
    """A review's numbers as of ``as_of`` over ``start``..``end``; each section is None
    where the stage does not compute it or the snapshot predates it ("not computed then")."""

    version: int
    stage: int
    as_of: str
    start: str
    end: str
    warnings: tuple[str, ...]
    charts: Mapping[str, Any]
    empty: bool = False
    throughput: Throughput | None = None
    conversion: Conversion | None = None
    pipeline: Pipeline | None = None
    cost: Cost | None = None
    payback: Payback | None = None
    baseline: Baseline | None = None
    effects: Effects | None = None
    risk: Risk | None = None
    pipeline_range: PipelineRange | None = None
    payback_range: PaybackRange | None = None
    npv: Npv | None = None
    cost_trend: CostTrend | None = None
    stored: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def window_open(self) -> bool:
        """Whether the window has begun: before go-live ``end`` (today) precedes ``start``
        (go-live) and there is no window to name yet. ISO dates compare as strings."""
        return self.start <= self.end


def snapshot_read(data: Mapping[str, Any]) -> ReviewSnapshot:
    """``data`` (a stored or live snapshot's JSON) as a ``ReviewSnapshot``, by the reader
    of its version.

    Raises:
        StoredSnapshotError: an unknown version, or (version 2) a missing field or a value
            of the wrong type.
    """
    version = data.get("version", 1)
    if version == 1:
        return _read(ReviewSnapshot, {**data, "version": 1}, strict=False, stored=data)
    if version == SNAPSHOT_VERSION:
        return _read(ReviewSnapshot, data, strict=True, stored=data)
    raise StoredSnapshotError(f"Unknown review snapshot version {version!r}.")


def baseline_read(data: Mapping[str, Any]) -> Baseline:
    """A plan's baseline (``cfo_selectors.baseline_get``: ``Plan.baseline`` as frozen, with
    ``frozen`` and ``frozen_at``, or one computed live) as a ``Baseline``. Read leniently,
    as a version-1 snapshot's sections are: a stored plan is never rewritten either.

    Raises:
        StoredSnapshotError: a value of the wrong type.
    """
    baseline: Baseline = _dataclass(Baseline, data, False, "baseline")
    return baseline


# The reader: one walk over the dataclasses' type hints ------------------------------------


def _read(
    cls: type[ReviewSnapshot], data: Mapping[str, Any], *, strict: bool, stored: Mapping[str, Any]
) -> ReviewSnapshot:
    snapshot: ReviewSnapshot = _dataclass(cls, data, strict, "snapshot")
    return dataclasses.replace(snapshot, stored=stored)


def _value(hint: Any, value: Any, strict: bool, path: str) -> Any:
    """``value`` read as ``hint``: a dataclass, ``X | None``, ``tuple[X, ...]``,
    ``Mapping[str, X]``, str, int, float, bool or Any."""
    if hint is Any:
        return value
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        (inner,) = [arg for arg in get_args(hint) if arg is not type(None)]
        return _value(inner, value, strict, path)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass(hint, value, strict, path)
    if origin is tuple:
        _expect(value, list | tuple, path)
        return tuple(
            _value(get_args(hint)[0], v, strict, f"{path}[{i}]") for i, v in enumerate(value)
        )
    if origin is Mapping:
        _expect(value, Mapping, path)
        inner = get_args(hint)[1]
        return {str(k): _value(inner, v, strict, f"{path}.{k}") for k, v in value.items()}
    if hint is float:
        _expect(value, int | float, path)
        return float(value)
    if hint is int:
        _expect(value, int, path)
        return int(value)
    _expect(value, hint, path)
    return value


@functools.cache
def _fields(cls: type) -> tuple[tuple[dataclasses.Field[Any], ...], dict[str, Any]]:
    """The fields of dataclass ``cls`` and its resolved type hints: resolving them
    (``get_type_hints``) costs more than reading a whole snapshot, and they never change."""
    return dataclasses.fields(cls), get_type_hints(cls)


def _dataclass(cls: type, value: Any, strict: bool, path: str) -> Any:
    _expect(value, Mapping, path)
    specs, hints = _fields(cls)
    kwargs: dict[str, Any] = {}
    for spec in specs:
        if spec.name == "stored":
            continue
        where = f"{path}.{spec.name}"
        has_default = (
            spec.default is not dataclasses.MISSING
            or spec.default_factory is not dataclasses.MISSING
        )
        if spec.name in value:
            kwargs[spec.name] = _value(hints[spec.name], value[spec.name], strict, where)
        elif strict and not has_default:
            raise StoredSnapshotError(f"The stored review snapshot has no {where}.")
        elif not has_default:
            kwargs[spec.name] = _empty(hints[spec.name])
    return cls(**kwargs)


def _empty(hint: Any) -> Any:
    """The value a version-1 snapshot's missing field takes."""
    if get_origin(hint) in (Union, types.UnionType):
        return None
    if get_origin(hint) is tuple:
        return ()
    if get_origin(hint) is Mapping:
        return {}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass(hint, {}, False, "")
    return {str: "", int: 0, float: 0.0, bool: False}.get(hint)


def _expect(value: Any, kind: Any, path: str) -> None:
    # bool is an int in Python; a count or an amount stored as true/false is still wrong.
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise StoredSnapshotError(
            f"The stored review snapshot's {path} is {type(value).__name__}, not {kind}."
        )
