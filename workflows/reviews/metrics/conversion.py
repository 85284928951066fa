"""Day 60: did the orchestrated chain produce more downstream events per trigger?

Pure module: pandas + stdlib, no Django, no clock. PRODUCT.md section 3, "The reviews":
conversion per trigger vs baseline, with a confidence interval.

- Conversion per arm = events of one kind (booked call, opportunity, closed-won) in the window
  / runs (triggers) started in the window. An event's day is its UTC calendar day.
- Ratio = orchestrated conversion / baseline conversion, events as Poisson counts with the
  runs as exposure. 95% CI: Wald interval on the log rate ratio,
  exp(ln RR +/- 1.96 sqrt(1/a + 1/b)) (Rothman, Greenland & Lash, Modern Epidemiology,
  ch. 14). None, with a reason, when an arm has no runs or no events.
- Difference = orchestrated - baseline conversion (events per run). 95% CI: when neither arm
  has more events than runs, conversion is a proportion and the interval is Newcombe's hybrid
  score interval from the two Wilson score intervals (Newcombe 1998, Statistics in Medicine
  17:873-890, method 10); otherwise the Wald interval for a difference of Poisson rates,
  d +/- 1.96 sqrt(a/Ta^2 + b/Tb^2). None, with a reason, when an arm has no runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

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
    newcombe_difference_interval,
    rate_difference_interval,
    rate_ratio_interval,
    round_or_none,
    to_days,
    week_start_of,
    week_starts,
)
from workflows.reviews.metrics.throughput import window_runs

BOOKED_CALL = "booked_call"
OPPORTUNITY = "opportunity"
CLOSED_WON = "closed_won"
KINDS = (BOOKED_CALL, OPPORTUNITY, CLOSED_WON)

# The words for one and for many of each kind, for reasons and warnings.
KIND_WORDS = {
    BOOKED_CALL: ("booked call", "booked calls"),
    OPPORTUNITY: ("opportunity", "opportunities"),
    CLOSED_WON: ("closed-won deal", "closed-won deals"),
}

EVENTS_COLUMNS = ("occurred_at", "kind", "arm")


@dataclass(frozen=True)
class ArmConversion:
    """One arm over the window: ``runs`` (triggers), ``events`` of the kind, and
    ``per_run`` = events / runs (events per run; None with no runs)."""

    arm: str
    runs: int
    events: int
    per_run: float | None

    def as_json(self) -> dict[str, Any]:
        return {
            "arm": self.arm,
            "runs": self.runs,
            "events": self.events,
            "per_run": round_or_none(self.per_run, RATE_DIGITS),
        }


@dataclass(frozen=True)
class ConversionResult:
    """The day-60 conversion comparison for one event ``kind`` over start..end (inclusive).

    ``ratio`` (orchestrated / baseline events per run) and ``difference`` (orchestrated -
    baseline, events per run) carry their 95% CI, or are None with a reason. ``weekly`` has one
    row per (week, arm), weeks anchored on ``start``: ``week_start`` (date), ``arm``, ``runs``,
    ``events`` (ints) and ``per_run`` (float, NaN without runs).
    """

    kind: str
    start: date
    end: date
    orchestrated: ArmConversion
    baseline: ArmConversion
    ratio: Interval | None
    ratio_reason: str
    difference: Interval | None
    difference_reason: str
    weekly: pd.DataFrame = field(compare=False, repr=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "orchestrated": self.orchestrated.as_json(),
            "baseline": self.baseline.as_json(),
            "ratio": self.ratio.as_json() if self.ratio else None,
            "ratio_reason": self.ratio_reason,
            "difference": self.difference.as_json() if self.difference else None,
            "difference_reason": self.difference_reason,
            "weekly": frame_as_json(self.weekly, {}),
        }


def conversion(
    runs_daily: pd.DataFrame, events: pd.DataFrame, *, kind: str, start: date, end: date
) -> ConversionResult:
    """Events of ``kind`` per run by arm over start..end, ratio and difference with 95% CIs.

    ``runs_daily`` is the run log as for ``throughput``; ``events`` has the columns
    ``occurred_at`` (datetime64, UTC), ``kind`` and ``arm``.

    Raises:
        ValueError: for an unknown ``kind``, arm or status, a missing column, or ``end``
            before ``start``.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown event kind {kind!r} (expected one of {', '.join(KINDS)}).")
    check_window(start, end)
    runs = window_runs(runs_daily, start=start, end=end)
    chosen = _window_events(events, kind=kind, start=start, end=end)
    orchestrated = _arm_conversion(runs, chosen, ORCHESTRATED)
    baseline = _arm_conversion(runs, chosen, BASELINE)
    ratio, ratio_reason = _ratio(orchestrated, baseline, kind)
    difference, difference_reason = _difference(orchestrated, baseline)
    return ConversionResult(
        kind=kind,
        start=start,
        end=end,
        orchestrated=orchestrated,
        baseline=baseline,
        ratio=ratio,
        ratio_reason=ratio_reason,
        difference=difference,
        difference_reason=difference_reason,
        weekly=_weekly(runs, chosen, start=start, end=end),
    )


def _window_events(events: pd.DataFrame, *, kind: str, start: date, end: date) -> pd.DataFrame:
    check_columns(events, EVENTS_COLUMNS, name="The downstream events")
    check_values(events["kind"], KINDS, name="event kind")
    check_values(events["arm"], ARMS, name="arm")
    chosen = events.loc[events["kind"] == kind, ["occurred_at", "arm"]].copy()
    chosen["day"] = to_days(chosen["occurred_at"])
    return chosen[in_window(chosen["day"], start, end)].reset_index(drop=True)


def _arm_conversion(runs: pd.DataFrame, events: pd.DataFrame, arm: str) -> ArmConversion:
    arm_runs = int(runs.loc[runs["arm"] == arm, "runs"].sum())
    arm_events = int((events["arm"] == arm).sum())
    return ArmConversion(
        arm=arm,
        runs=arm_runs,
        events=arm_events,
        per_run=arm_events / arm_runs if arm_runs else None,
    )


def _ratio(
    orchestrated: ArmConversion, baseline: ArmConversion, kind: str
) -> tuple[Interval | None, str]:
    no_runs = [arm.arm for arm in (orchestrated, baseline) if arm.runs == 0]
    if no_runs:
        return None, _no_runs_reason(no_runs, "conversion ratio")
    no_events = [arm.arm for arm in (orchestrated, baseline) if arm.events == 0]
    if no_events:
        return None, (
            f"No {KIND_WORDS[kind][1]} in the {' and '.join(no_events)} arm: the conversion "
            "ratio and its confidence interval need at least one in each arm."
        )
    interval = rate_ratio_interval(
        orchestrated.events, orchestrated.runs, baseline.events, baseline.runs
    )
    return interval, ""


def _difference(
    orchestrated: ArmConversion, baseline: ArmConversion
) -> tuple[Interval | None, str]:
    no_runs = [arm.arm for arm in (orchestrated, baseline) if arm.runs == 0]
    if no_runs:
        return None, _no_runs_reason(no_runs, "conversion difference")
    arms = (orchestrated.events, orchestrated.runs, baseline.events, baseline.runs)
    if orchestrated.events <= orchestrated.runs and baseline.events <= baseline.runs:
        return newcombe_difference_interval(*arms), ""
    return rate_difference_interval(*arms), ""


def _no_runs_reason(arms: list[str], what: str) -> str:
    return (
        f"No {' and '.join(arms)} runs in the window: the {what} needs runs (triggers) in "
        "both arms."
    )


def _weekly(runs: pd.DataFrame, events: pd.DataFrame, *, start: date, end: date) -> pd.DataFrame:
    grid = pd.MultiIndex.from_product(
        [week_starts(start, end), list(ARMS)], names=["week_start", "arm"]
    )
    run_counts = (
        runs.assign(week_start=week_start_of(runs["day"], start))
        .groupby(["week_start", "arm"])["runs"]
        .sum()
        .reindex(grid, fill_value=0)
    )
    event_counts = (
        events.assign(week_start=week_start_of(events["day"], start))
        .groupby(["week_start", "arm"])
        .size()
        .reindex(grid, fill_value=0)
    )
    weekly = pd.DataFrame(
        {"runs": run_counts.astype("int64"), "events": event_counts.astype("int64")}
    ).reset_index()
    weekly["per_run"] = weekly["events"] / weekly["runs"].where(weekly["runs"] > 0, np.nan)
    return weekly
