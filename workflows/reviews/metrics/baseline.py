"""The baseline: the weeks before go-live, the yardstick every review is compared with.

Pure module: pandas + stdlib, no Django, no clock. Issue 17, "A frozen baseline".

The pre-period is the whole weeks before go-live that the data covers, at most
MAX_WEEKS (12): it ends the day before go-live and starts ``weeks`` x 7 days earlier, where
``weeks`` = (go-live - first day of runs) // 7, capped. Runs of either arm before go-live
count (before go-live every run is a baseline run). Over the pre-period:

- runs a week = runs / weeks;
- completion rate = succeeded / (succeeded + failed), running runs excluded;
- conversion per trigger, for each event kind = events of that kind / runs (events per run);
- the weekday profile (the CUPED covariate, see ``effects``): mean runs a day and booked
  calls per run on each weekday (0 = Monday) of the pre-period;
- ``weekly``: one row per pre-period week: ``week_start`` (date), ``runs`` (int),
  ``events`` (booked calls, int) and ``per_run`` (booked calls per run, None without runs).

Under MIN_WEEKS (4) weeks the pre-period is too short to defend: ``too_short`` is True and
``reason`` says so; the numbers are still given, for what they are worth. The caller freezes
``as_json()`` when the day-30 review is completed, so a later upload never changes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from workflows.reviews.metrics._common import (
    RATE_DIGITS,
    check_columns,
    frame_as_json,
    plural,
    round_or_none,
    to_days,
)
from workflows.reviews.metrics.conversion import BOOKED_CALL, EVENTS_COLUMNS, KINDS
from workflows.reviews.metrics.throughput import FAILED, RUNS_DAILY_COLUMNS, SUCCEEDED

MAX_WEEKS = 12
MIN_WEEKS = 4
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class BaselineResult:
    """The pre-period before ``go_live``: ``start``..``end`` (inclusive, None without data),
    ``weeks`` whole weeks, ``runs`` and ``runs_per_week`` (runs a week), ``completion_rate``
    (0..1), ``conversion`` (kind -> events per run) and ``events`` (kind -> count);
    ``weekday_runs`` and ``weekday_per_run``: 7 values, Monday first (runs a day, booked calls
    per run; None for a weekday without runs)."""

    go_live: date
    start: date | None
    end: date | None
    weeks: int
    runs: int
    runs_per_week: float | None
    completion_rate: float | None
    conversion: dict[str, float | None]
    events: dict[str, int]
    weekday_runs: tuple[float | None, ...]
    weekday_per_run: tuple[float | None, ...]
    too_short: bool
    reason: str
    weekly: pd.DataFrame = field(compare=False, repr=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "go_live": self.go_live.isoformat(),
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "weeks": self.weeks,
            "runs": self.runs,
            "runs_per_week": round_or_none(self.runs_per_week, 2),
            "completion_rate": round_or_none(self.completion_rate, RATE_DIGITS),
            "conversion": {k: round_or_none(v, RATE_DIGITS) for k, v in self.conversion.items()},
            "events": dict(self.events),
            "weekday_runs": [round_or_none(v, RATE_DIGITS) for v in self.weekday_runs],
            "weekday_per_run": [round_or_none(v, RATE_DIGITS) for v in self.weekday_per_run],
            "too_short": self.too_short,
            "reason": self.reason,
            "weekly": frame_as_json(self.weekly, {}),
        }


def compute_baseline(
    runs_daily: pd.DataFrame, events: pd.DataFrame, *, go_live: date, max_weeks: int = MAX_WEEKS
) -> BaselineResult:
    """The baseline over the whole weeks of data before ``go_live`` (at most ``max_weeks``).

    ``runs_daily`` is the run log (RUNS_DAILY_COLUMNS), ``events`` the downstream events
    (``occurred_at``, ``kind``, ``arm``), as for ``throughput`` and ``conversion``.
    """
    check_columns(runs_daily, RUNS_DAILY_COLUMNS, name="The run log")
    check_columns(events, EVENTS_COLUMNS, name="The downstream events")
    run_days = to_days(runs_daily["day"])
    before = run_days < pd.Timestamp(go_live)
    first = run_days[before].min() if before.any() else None
    weeks = 0 if first is None else min(max_weeks, (go_live - first.date()).days // 7)
    if weeks == 0:
        return _empty(go_live, first)
    start = go_live - timedelta(days=7 * weeks)
    end = go_live - timedelta(days=1)
    inside = (run_days >= pd.Timestamp(start)) & (run_days <= pd.Timestamp(end))
    runs = runs_daily.loc[inside].assign(day=run_days[inside])
    runs["runs"] = runs["runs"].fillna(0).astype("int64")
    event_days = to_days(events["occurred_at"])
    chosen = events.loc[
        (event_days >= pd.Timestamp(start)) & (event_days <= pd.Timestamp(end))
    ].assign(day=event_days)
    total = int(runs["runs"].sum())
    by_status = runs.groupby("status")["runs"].sum()
    finished = int(by_status.get(SUCCEEDED, 0)) + int(by_status.get(FAILED, 0))
    counts = {kind: int((chosen["kind"] == kind).sum()) for kind in KINDS}
    booked = chosen[chosen["kind"] == BOOKED_CALL]
    weekly = _weekly(runs, booked, start=start, weeks=weeks)
    too_short = weeks < MIN_WEEKS
    reason = (
        f"The pre-period covers only {plural(weeks, 'week')} before go-live: a baseline needs "
        f"at least {MIN_WEEKS} to be defended."
        if too_short
        else ""
    )
    return BaselineResult(
        go_live=go_live,
        start=start,
        end=end,
        weeks=weeks,
        runs=total,
        runs_per_week=total / weeks,
        completion_rate=int(by_status.get(SUCCEEDED, 0)) / finished if finished else None,
        conversion={kind: counts[kind] / total if total else None for kind in KINDS},
        events=counts,
        weekday_runs=_weekday_runs(runs, start=start, weeks=weeks),
        weekday_per_run=_weekday_per_run(runs, booked),
        too_short=too_short,
        reason=reason,
        weekly=weekly,
    )


def _empty(go_live: date, first: pd.Timestamp | None) -> BaselineResult:
    reason = (
        "No runs before go-live: there is no baseline to compare with. Load the run log of "
        "the weeks before go-live."
        if first is None
        else f"The pre-period covers less than a week before go-live: a baseline needs at "
        f"least {MIN_WEEKS} weeks to be defended."
    )
    return BaselineResult(
        go_live=go_live,
        start=None,
        end=None,
        weeks=0,
        runs=0,
        runs_per_week=None,
        completion_rate=None,
        conversion={kind: None for kind in KINDS},
        events={kind: 0 for kind in KINDS},
        weekday_runs=(None,) * 7,
        weekday_per_run=(None,) * 7,
        too_short=True,
        reason=reason,
        weekly=pd.DataFrame(columns=["week_start", "runs", "events", "per_run"]),
    )


def _weekly(runs: pd.DataFrame, booked: pd.DataFrame, *, start: date, weeks: int) -> pd.DataFrame:
    starts = [start + timedelta(days=7 * w) for w in range(weeks)]
    run_week = (runs["day"] - pd.Timestamp(start)).dt.days // 7
    event_week = (booked["day"] - pd.Timestamp(start)).dt.days // 7
    run_counts = runs.groupby(run_week)["runs"].sum()
    event_counts = booked.groupby(event_week).size()
    rows = []
    for w, week_start in enumerate(starts):
        n = int(run_counts.get(w, 0))
        e = int(event_counts.get(w, 0))
        rows.append(
            {"week_start": week_start, "runs": n, "events": e, "per_run": e / n if n else None}
        )
    return pd.DataFrame(rows, columns=["week_start", "runs", "events", "per_run"])


def _weekday_runs(runs: pd.DataFrame, *, start: date, weeks: int) -> tuple[float | None, ...]:
    """Mean runs a day on each weekday: every weekday occurs ``weeks`` times."""
    by_weekday = runs.groupby(runs["day"].dt.day_of_week)["runs"].sum()
    return tuple(float(by_weekday.get(d, 0)) / weeks for d in range(7))


def _weekday_per_run(runs: pd.DataFrame, booked: pd.DataFrame) -> tuple[float | None, ...]:
    run_counts = runs.groupby(runs["day"].dt.day_of_week)["runs"].sum()
    event_counts = booked.groupby(booked["day"].dt.day_of_week).size()
    values: list[float | None] = []
    for d in range(7):
        n = int(run_counts.get(d, 0))
        values.append(int(event_counts.get(d, 0)) / n if n else None)
    return tuple(values)
