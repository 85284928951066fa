"""Day 30: did the orchestrated chain run more than the baseline, and where do runs stop?

Pure module: pandas + stdlib, no Django, no clock. PRODUCT.md section 3, "The reviews":
throughput per week, orchestrated vs baseline, with a confidence interval; where runs stop.

- Runs per week per arm = runs started in the window (any status) / weeks, where weeks =
  days of the window (start..end inclusive) / 7.
- Throughput ratio = orchestrated runs per week / baseline runs per week; both arms share the
  window, so it is the ratio of the two run counts. 95% CI: Wald interval on the log rate
  ratio of two Poisson counts, exp(ln RR +/- 1.96 sqrt(1/a + 1/b)) (Rothman, Greenland &
  Lash, Modern Epidemiology, ch. 14). With no runs in either arm the ratio is None and
  ``ratio_reason`` says why.
- Completion rate per arm = succeeded / (succeeded + failed); running runs are excluded.
- Stop steps: the 5 steps where most runs stopped (``stopped_at_step`` not empty), by runs
  descending, then step name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from workflows.data.imports.runlog import DAILY_COLUMNS
from workflows.reviews.metrics._common import (
    ARMS,
    BASELINE,
    ORCHESTRATED,
    RATE_DIGITS,
    Interval,
    check_columns,
    check_values,
    check_window,
    frame_as_json,
    in_window,
    rate_ratio_interval,
    round_or_none,
    to_days,
    week_start_of,
    week_starts,
    window_days,
)

SUCCEEDED = "succeeded"
FAILED = "failed"
RUNNING = "running"
STATUSES = (SUCCEEDED, FAILED, RUNNING)

RUNS_DAILY_COLUMNS = DAILY_COLUMNS  # the importer writes exactly these
DAYS_PER_WEEK = 7
TOP_STOP_STEPS = 5


@dataclass(frozen=True)
class ArmThroughput:
    """One arm over the window: run counts by status, ``runs_per_week`` (runs a week) and
    ``completion_rate`` (0..1, None when no run has finished)."""

    arm: str
    runs: int
    runs_per_week: float
    succeeded: int
    failed: int
    running: int
    completion_rate: float | None

    def as_json(self) -> dict[str, Any]:
        return {
            "arm": self.arm,
            "runs": self.runs,
            "runs_per_week": round_or_none(self.runs_per_week, 2),
            "succeeded": self.succeeded,
            "failed": self.failed,
            "running": self.running,
            "completion_rate": round_or_none(self.completion_rate, RATE_DIGITS),
        }


@dataclass(frozen=True)
class ThroughputResult:
    """The day-30 throughput comparison over start..end (both inclusive).

    ``weeks`` = ``days`` / 7; ``ratio`` is orchestrated / baseline runs per week with its 95%
    CI, or None with ``ratio_reason``; ``stop_steps`` holds up to 5 (step, runs) pairs, both
    arms together, and ``stop_steps_by_arm`` the same per arm as (arm, pairs), orchestrated
    first. ``weekly`` has one row per (week, arm), weeks anchored on ``start``, columns
    ``week_start`` (date), ``arm``, ``runs`` (int) and ``days`` (days of the window in that
    week: 7, or fewer for the last one).
    """

    start: date
    end: date
    days: int
    weeks: float
    orchestrated: ArmThroughput
    baseline: ArmThroughput
    ratio: Interval | None
    ratio_reason: str
    stop_steps: tuple[tuple[str, int], ...]
    stop_steps_by_arm: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    weekly: pd.DataFrame = field(compare=False, repr=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "weeks": round_or_none(self.weeks, RATE_DIGITS),
            "orchestrated": self.orchestrated.as_json(),
            "baseline": self.baseline.as_json(),
            "ratio": self.ratio.as_json() if self.ratio else None,
            "ratio_reason": self.ratio_reason,
            "stop_steps": _stop_steps_json(self.stop_steps),
            "stop_steps_by_arm": {
                arm: _stop_steps_json(steps) for arm, steps in self.stop_steps_by_arm
            },
            "weekly": frame_as_json(self.weekly, {}),
        }


def throughput(runs_daily: pd.DataFrame, *, start: date, end: date) -> ThroughputResult:
    """Runs per week per arm over start..end, their ratio with a 95% CI, and where runs stop.

    ``runs_daily`` has one row per (day, arm, status, stopped_at_step) with the columns of
    RUNS_DAILY_COLUMNS; ``day`` may be python dates or datetime64.

    Raises:
        ValueError: for a missing column, an unknown arm or status, or ``end`` before
            ``start``.
    """
    check_window(start, end)
    runs = window_runs(runs_daily, start=start, end=end)
    days = window_days(start, end)
    weeks = days / DAYS_PER_WEEK
    orchestrated = _arm_throughput(runs, ORCHESTRATED, weeks)
    baseline = _arm_throughput(runs, BASELINE, weeks)
    ratio, reason = _ratio(orchestrated, baseline, weeks)
    return ThroughputResult(
        start=start,
        end=end,
        days=days,
        weeks=weeks,
        orchestrated=orchestrated,
        baseline=baseline,
        ratio=ratio,
        ratio_reason=reason,
        stop_steps=_stop_steps(runs),
        stop_steps_by_arm=tuple((arm, _stop_steps(runs[runs["arm"] == arm])) for arm in ARMS),
        weekly=_weekly(runs, start=start, end=end),
    )


def window_runs(runs_daily: pd.DataFrame, *, start: date, end: date) -> pd.DataFrame:
    """The rows of ``runs_daily`` within start..end, checked, with ``day`` as naive
    datetime64 and ``stopped_at_step`` as str ("" when the run did not stop)."""
    check_columns(runs_daily, RUNS_DAILY_COLUMNS, name="The run log")
    check_values(runs_daily["arm"], ARMS, name="arm")
    check_values(runs_daily["status"], STATUSES, name="run status")
    runs = runs_daily.loc[:, list(RUNS_DAILY_COLUMNS)].copy()
    runs["day"] = to_days(runs["day"])
    runs["stopped_at_step"] = runs["stopped_at_step"].fillna("").astype(str).str.strip()
    for column in ("runs", "ai_steps", "steps_total", "steps_succeeded"):
        runs[column] = runs[column].fillna(0).astype("int64")
    return runs[in_window(runs["day"], start, end)].reset_index(drop=True)


def _arm_throughput(runs: pd.DataFrame, arm: str, weeks: float) -> ArmThroughput:
    arm_runs = runs[runs["arm"] == arm]
    by_status = arm_runs.groupby("status")["runs"].sum()
    succeeded = int(by_status.get(SUCCEEDED, 0))
    failed = int(by_status.get(FAILED, 0))
    total = int(arm_runs["runs"].sum())
    finished = succeeded + failed
    return ArmThroughput(
        arm=arm,
        runs=total,
        runs_per_week=total / weeks,
        succeeded=succeeded,
        failed=failed,
        running=int(by_status.get(RUNNING, 0)),
        completion_rate=succeeded / finished if finished else None,
    )


def _ratio(
    orchestrated: ArmThroughput, baseline: ArmThroughput, weeks: float
) -> tuple[Interval | None, str]:
    empty = [arm.arm for arm in (orchestrated, baseline) if arm.runs == 0]
    if empty:
        arms = " and ".join(empty)
        return None, (
            f"No {arms} runs in the window: the throughput ratio and its confidence interval "
            "need at least one run in each arm."
        )
    return rate_ratio_interval(orchestrated.runs, weeks, baseline.runs, weeks), ""


def _stop_steps(runs: pd.DataFrame) -> tuple[tuple[str, int], ...]:
    stopped = runs[runs["stopped_at_step"] != ""]
    counts = stopped.groupby("stopped_at_step")["runs"].sum()
    ranked = sorted(
        ((str(step), int(count)) for step, count in counts.items() if count > 0),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return tuple(ranked[:TOP_STOP_STEPS])


def _weekly(runs: pd.DataFrame, *, start: date, end: date) -> pd.DataFrame:
    weeks = week_starts(start, end)
    grid = pd.MultiIndex.from_product([weeks, list(ARMS)], names=["week_start", "arm"])
    counts = (
        runs.assign(week_start=week_start_of(runs["day"], start))
        .groupby(["week_start", "arm"])["runs"]
        .sum()
        .reindex(grid, fill_value=0)
        .astype("int64")
        .reset_index()
    )
    last_week_days = window_days(start, end) - DAYS_PER_WEEK * (len(weeks) - 1)
    counts["days"] = [
        DAYS_PER_WEEK if week != weeks[-1] else last_week_days for week in counts["week_start"]
    ]
    return counts


def _stop_steps_json(steps: tuple[tuple[str, int], ...]) -> list[dict[str, Any]]:
    return [{"step": step, "runs": runs} for step, runs in steps]
