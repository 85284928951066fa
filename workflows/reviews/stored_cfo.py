"""The CFO-grade sections of a stored review snapshot (issue 17), as frozen dataclasses:
the baseline, effects by design, the risk haircut, the low / likely / high ranges, NPV and
the cost per AI touch review by review.

Pure module: standard library only. ``stored.snapshot_read`` builds these from the JSON
``cfo_selectors.cfo_sections`` writes; field names are the JSON's keys. Amounts in USD,
rates 0..1, dates as ISO 8601 strings. A field with a default is one the JSON holds only
in some cases (an effect that could not be estimated holds only its ``reason``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from workflows.reviews.stored_metrics import Interval, Row


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
