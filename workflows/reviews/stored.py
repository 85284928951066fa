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

Units: amounts in USD (float), rates 0..1, dates as ISO 8601 strings, as stored.
``charts`` holds Plotly figure dicts by name; tables the page does not show (weekly rows,
the daily pipeline, the opportunity breakdown) stay JSON rows; ``stored`` is the JSON itself,
which the CSV export flattens and a completion stores.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Union, get_args, get_origin, get_type_hints

SNAPSHOT_VERSION = 2

Row = Mapping[str, Any]


class StoredSnapshotError(ValueError):
    """A stored snapshot this module cannot read (an unknown version, a missing field, or a
    value of the wrong type)."""


@dataclass(frozen=True)
class Interval:
    """An estimate with its confidence interval (``level``, e.g. 0.95) and how it was made."""

    estimate: float | None
    lower: float | None
    upper: float | None
    level: float
    method: str


@dataclass(frozen=True)
class ArmRuns:
    """One arm's runs over the window: counts by status, runs a week, completion 0..1."""

    arm: str
    runs: int
    succeeded: int
    failed: int
    running: int
    runs_per_week: float | None
    completion_rate: float | None


@dataclass(frozen=True)
class StopStep:
    """A step where ``runs`` runs stopped, as written in the run log."""

    step: str
    runs: int


@dataclass(frozen=True)
class Throughput:
    """Day 30: runs a week by arm, their ratio (or why none), and where runs stop."""

    start: str
    end: str
    days: int
    weeks: float
    orchestrated: ArmRuns
    baseline: ArmRuns
    ratio: Interval | None
    ratio_reason: str
    stop_steps: tuple[StopStep, ...]
    stop_steps_by_arm: Mapping[str, tuple[StopStep, ...]]
    weekly: tuple[Row, ...]


@dataclass(frozen=True)
class ArmConversion:
    """One arm's downstream events over its runs: ``per_run`` = events / runs."""

    arm: str
    runs: int
    events: int
    per_run: float | None


@dataclass(frozen=True)
class Conversion:
    """Day 60: events of ``kind`` per trigger by arm, their ratio and difference."""

    start: str
    end: str
    kind: str
    orchestrated: ArmConversion
    baseline: ArmConversion
    ratio: Interval | None
    ratio_reason: str
    difference: Interval | None
    difference_reason: str
    weekly: tuple[Row, ...]


@dataclass(frozen=True)
class StageAmount:
    """Pipeline created in one opportunity stage (open, won, lost)."""

    stage: str
    amount_usd: float
    opportunities: int


@dataclass(frozen=True)
class Pipeline:
    """Day 90: AI-attributable pipeline beside the non-AI pipeline, by stage and AI flag."""

    start: str
    end: str
    attributable_usd: float
    non_ai_usd: float
    total_usd: float
    opportunities: int
    credited_opportunities: int
    won_usd: float
    lost_usd: float
    open_usd: float
    by_stage: tuple[StageAmount, ...]
    by_flag: tuple[Row, ...]
    policy: Row
    daily: tuple[Row, ...]
    breakdown: tuple[Row, ...]


@dataclass(frozen=True)
class Cost:
    """Day 90: total AI spend / AI-driven steps executed (None with no steps, see reason)."""

    start: str
    end: str
    spend_usd: float
    ai_steps: int
    cost_per_touch_usd: float | None
    reason: str
    monthly: tuple[Row, ...]
    by_category: tuple[Row, ...]


@dataclass(frozen=True)
class Payback:
    """Day 90: days from the build until cumulative pipeline met the build cost, or a
    projection of them (``is_projection``), or why neither (``reason``)."""

    reached: bool
    days: int | None
    reached_on: str | None
    is_projection: bool
    projected_days: int | None
    projected_on: str | None
    average_daily_usd: float | None
    reason: str
    build_cost_usd: float
    build_date: str
    cumulative_usd: float
    as_of: str
    series: tuple[Row, ...]


@dataclass(frozen=True)
class Baseline:
    """The pre-period before go-live (issue 17), frozen at the day-30 review (``frozen``)
    or computed live; ``weeks`` 0 means none, and ``reason`` says why."""

    go_live: str
    start: str | None
    end: str | None
    weeks: int
    runs: int
    runs_per_week: float | None
    completion_rate: float | None
    conversion: Mapping[str, float | None]
    events: Mapping[str, int]
    weekday_runs: tuple[float | None, ...]
    weekday_per_run: tuple[float | None, ...]
    too_short: bool
    reason: str
    weekly: tuple[Row, ...]
    frozen: bool
    frozen_at: str | None
    backfilled: bool = False


@dataclass(frozen=True)
class Cuped:
    """CUPED's adjustment of a randomized effect (Deng et al. 2013): ``theta``, the days in
    each arm, and the standard errors with and without it."""

    theta: float | None
    estimate: float | None
    unadjusted: float | None
    standard_error: float | None
    unadjusted_se: float | None
    variance_reduction: float | None
    n_orchestrated: int
    n_baseline: int
    mean_orchestrated: float | None
    mean_baseline: float | None


@dataclass(frozen=True)
class Estimate:
    """A value with its standard error."""

    value: float | None
    se: float | None


@dataclass(frozen=True)
class DidTable:
    """The difference-in-differences laid out as Card & Krueger's Table 3."""

    treated_before: float | None
    treated_after: float | None
    comparison_before: float | None
    comparison_after: float | None
    gap_before: Estimate
    gap_after: Estimate
    treated_change: Estimate
    comparison_change: Estimate
    effect: Estimate


@dataclass(frozen=True)
class PreTrends:
    """Whether the pre-period trends of the workflow and its comparison diverge."""

    judged: bool
    diverge: bool
    message: str


@dataclass(frozen=True)
class Effect:
    """One metric's effect by one design, or only the ``reason`` it could not be estimated.
    Randomized effects carry ``adjusted`` and ``cuped``; DiD ones ``table`` and
    ``pre_trends``."""

    reason: str = ""
    metric: str = ""
    design: str = ""
    scale: str = ""
    units: str = ""
    method: str = ""
    interval: Interval | None = None
    adjusted: bool = False
    cuped: Cuped | None = None
    table: DidTable | None = None
    pre_trends: PreTrends | None = None


@dataclass(frozen=True)
class RandomizedEffects:
    """The effects of the randomized arms, by metric."""

    throughput: Effect | None = None
    conversion: Effect | None = None


@dataclass(frozen=True)
class DidEffects:
    """The effects against the comparison series ``comparison_name``, by metric, and the
    weekly series behind them."""

    comparison_name: str
    weekly: Mapping[str, tuple[Row, ...]]
    throughput: Effect | None = None
    conversion: Effect | None = None


@dataclass(frozen=True)
class Effects:
    """Effects by the designs the data supports, on the ``look``-th of three looks."""

    scale: str
    sequential_method: str
    look: int
    z: float
    randomized: RandomizedEffects | None
    did: DidEffects | None
    randomized_reason: str = ""
    did_reason: str = ""


@dataclass(frozen=True)
class RiskFactor:
    """One weak spot of the data and its haircut in percent."""

    name: str
    percent: float
    reason: str


@dataclass(frozen=True)
class Risk:
    """The TEI risk haircut: the factors and their compound, in percent."""

    factors: tuple[RiskFactor, ...]
    haircut_percent: float
    rules: tuple[str, ...]


@dataclass(frozen=True)
class PipelineRange:
    """Attributable pipeline low / likely / high, its standard error, and the pipeline
    created by stage, in USD."""

    low: float
    likely: float
    high: float
    standard_error: float
    open_usd: float
    won_usd: float
    lost_usd: float


@dataclass(frozen=True)
class PaybackScenario:
    """One scenario's payback: ``days`` (None when not in sight), ``label`` (reached,
    projected, not in sight) and the day ``on``."""

    days: int | None
    label: str
    on: str | None
    reason: str


@dataclass(frozen=True)
class PaybackRange:
    """The payback period in each scenario."""

    low: PaybackScenario
    likely: PaybackScenario
    high: PaybackScenario


@dataclass(frozen=True)
class Scenarios:
    """A USD amount in each scenario."""

    low: float | None
    likely: float | None
    high: float | None


@dataclass(frozen=True)
class Npv:
    """The net present value to date and over 3 years (projected), by scenario, with its
    inputs (rates 0..1, cash flows in USD per 30-day period)."""

    npv_to_date: Scenarios
    npv_projected: Scenarios
    gross_margin: float
    discount_rate: float
    won_attributed_usd: float
    cash_flows: tuple[float, ...]
    method: str


@dataclass(frozen=True)
class CostWindow:
    """The cost per AI touch in one review's window."""

    review_day: int
    start: str
    end: str
    cost_per_touch_usd: float | None
    ai_steps: int
    spend_usd: float | None


@dataclass(frozen=True)
class CostTrend:
    """The cost per AI touch review by review, and its change from the first to the last."""

    windows: tuple[CostWindow, ...]
    change: float | None


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


# The reader: one walk over the dataclasses' type hints ------------------------------------


def _read(
    cls: type[ReviewSnapshot], data: Mapping[str, Any], *, strict: bool, stored: Mapping[str, Any]
) -> ReviewSnapshot:
    snapshot = _value(cls, data, strict, "snapshot")
    assert isinstance(snapshot, ReviewSnapshot)  # noqa: S101 - _value builds cls
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


def _dataclass(cls: type, value: Any, strict: bool, path: str) -> Any:
    _expect(value, Mapping, path)
    hints = get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for spec in dataclasses.fields(cls):
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
