"""The stage's metrics of a stored review snapshot, as frozen dataclasses: throughput (day
30), conversion (day 60), then attributable pipeline, cost per AI touch and payback (day 90).

Pure module: standard library only. ``stored.snapshot_read`` builds these from the JSON
that ``workflows.reviews.metrics`` writes (each result's ``as_json``); field names are the
JSON's keys. Amounts in USD, rates 0..1, dates as ISO 8601 strings. Tables the page does
not show (weekly rows, the daily pipeline, the opportunity breakdown) stay JSON rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Row = Mapping[str, Any]


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
