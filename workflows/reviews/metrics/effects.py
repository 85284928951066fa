"""Effects by the design the data supports, each labelled with its design.

Pure module: pandas + numpy + stdlib, no Django, no clock. Issue 17, "Effects by the design
the data supports" and "Three looks, one error rate per metric".

- ``arm_effects``: where week 3 routed a random share of traffic, the two arms are an
  experiment: the CUPED-adjusted difference of the arms (``cuped``), the covariate being the
  pre-period's value on the same weekday (``baseline``).
- ``did_effects``: where there is no randomized arm (or as a second view beside it), pre/post
  against a comparison series the team names: difference-in-differences on weekly values
  (``did``), with both series' pre-period trends for judging parallel trends by eye and a
  warning when they diverge.

Every effect is additive (orchestrated minus baseline, or the DiD, in the metric's units:
runs a week, booked calls per run), the same at every review, and carries the repeated 95%
confidence interval of its look (``sequential``): estimate +/- c_k x SE, with c_k = 3.71,
2.51, 1.99 at days 30, 60, 90, so each metric keeps one 5% error rate over the three looks.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from workflows.reviews.metrics._common import BASELINE, ORCHESTRATED, frame_as_json, to_days
from workflows.reviews.metrics.conversion import BOOKED_CALL
from workflows.reviews.metrics.cuped import CUPED_METHOD, cuped
from workflows.reviews.metrics.did import (
    DID_METHOD,
    CellMean,
    PrePost,
    difference_in_differences,
    pre_trends,
)
from workflows.reviews.metrics.sequential import repeated_interval

EFFECT_SCALE = (
    "Additive: orchestrated minus baseline (or the difference-in-differences) in the metric's "
    "own units, the same at every review."
)
RANDOMIZED = "randomized"
DID = "did"
THROUGHPUT = "throughput"
CONVERSION = "conversion"
UNITS = {THROUGHPUT: "runs a week", CONVERSION: "booked calls per run"}


def _effect_json(
    design: str,
    method: str,
    metric: str,
    estimate: float,
    se: float,
    review_day: int,
    extra: dict[str, Any],
) -> dict[str, Any]:
    interval = repeated_interval(estimate, se, review_day=review_day)
    return {
        "design": design,
        "method": method,
        "metric": metric,
        "units": UNITS[metric],
        "scale": "additive",
        "interval": interval.as_json(),
        **extra,
    }


def arm_effects(
    runs_daily: pd.DataFrame,
    events: pd.DataFrame,
    *,
    weekday_runs: tuple[float | None, ...] | None,
    weekday_per_run: tuple[float | None, ...] | None,
    start: date,
    end: date,
    review_day: int,
) -> dict[str, Any]:
    """The randomized arms' CUPED effects over start..end: throughput (runs a week; units are
    days, Y = the arm's runs that day) and, from day 60, conversion (booked calls per run;
    Y = the arm's booked calls per run on a day it ran). Without a baseline's weekday profile
    the covariate is constant and nothing is adjusted (said in ``adjusted``).

    Returns ``{metric: effect JSON or {"reason": ...}}``.
    """
    days = [start + timedelta(days=d) for d in range((end - start).days + 1)]
    run_days = to_days(runs_daily["day"])
    per_day = (
        runs_daily.assign(day=run_days).groupby(["day", "arm"])["runs"].sum().astype("float64")
    )
    event_days = (
        to_days(events["occurred_at"]) if len(events) else pd.Series(dtype="datetime64[ns]")
    )
    booked = (
        events.loc[events["kind"] == BOOKED_CALL]
        .assign(day=event_days)
        .groupby(["day", "arm"])
        .size()
        if len(events)
        else pd.Series(dtype="float64")
    )
    adjusted = weekday_runs is not None and any(v is not None for v in weekday_runs)
    results: dict[str, Any] = {}
    y: dict[str, list[float]] = {ORCHESTRATED: [], BASELINE: []}
    x: dict[str, list[float]] = {ORCHESTRATED: [], BASELINE: []}
    for day in days:
        covariate = (weekday_runs or (None,) * 7)[day.weekday()]
        for arm in (ORCHESTRATED, BASELINE):
            y[arm].append(float(per_day.get((pd.Timestamp(day), arm), 0.0)))
            x[arm].append(covariate if covariate is not None else 0.0)
    if len(days) < 2:
        results[THROUGHPUT] = {"reason": "Fewer than 2 days in the window."}
    else:
        effect = cuped(y[ORCHESTRATED], x[ORCHESTRATED], y[BASELINE], x[BASELINE], scale=7)
        results[THROUGHPUT] = _effect_json(
            RANDOMIZED,
            CUPED_METHOD,
            THROUGHPUT,
            effect.estimate,
            effect.standard_error,
            review_day,
            {"cuped": effect.as_json(), "adjusted": adjusted},
        )
    if review_day >= 60:
        y = {ORCHESTRATED: [], BASELINE: []}
        x = {ORCHESTRATED: [], BASELINE: []}
        profile = weekday_per_run or (None,) * 7
        known = [v for v in profile if v is not None]
        fallback = float(np.mean(known)) if known else 0.0
        for day in days:
            for arm in (ORCHESTRATED, BASELINE):
                n = float(per_day.get((pd.Timestamp(day), arm), 0.0))
                if n > 0:
                    y[arm].append(float(booked.get((pd.Timestamp(day), arm), 0)) / n)
                    covariate = profile[day.weekday()]
                    x[arm].append(covariate if covariate is not None else fallback)
        if min(len(y[ORCHESTRATED]), len(y[BASELINE])) < 2:
            results[CONVERSION] = {"reason": "Fewer than 2 days with runs in an arm."}
        else:
            effect = cuped(y[ORCHESTRATED], x[ORCHESTRATED], y[BASELINE], x[BASELINE])
            results[CONVERSION] = _effect_json(
                RANDOMIZED,
                CUPED_METHOD,
                CONVERSION,
                effect.estimate,
                effect.standard_error,
                review_day,
                {"cuped": effect.as_json(), "adjusted": adjusted},
            )
    return results


def weekly_series(
    runs_daily: pd.DataFrame, events: pd.DataFrame, *, go_live: date, pre_weeks: int, end: date
) -> pd.DataFrame:
    """Whole weeks from ``pre_weeks`` before go-live to the last whole week ending by ``end``:
    ``week``, ``week_start``, ``runs`` (all arms) and ``per_run`` (booked calls per run)."""
    post_weeks = max(0, ((end - go_live).days + 1) // 7)
    weeks = list(range(-pre_weeks, post_weeks))
    run_days = to_days(runs_daily["day"])
    run_week = (run_days - pd.Timestamp(go_live)).dt.days // 7
    runs = runs_daily["runs"].astype("float64").groupby(run_week).sum()
    if len(events):
        event_days = to_days(events["occurred_at"])
        chosen = events["kind"] == BOOKED_CALL
        booked = ((event_days[chosen] - pd.Timestamp(go_live)).dt.days // 7).value_counts()
    else:
        booked = pd.Series(dtype="int64")
    rows = []
    for w in weeks:
        n = float(runs.get(w, 0.0))
        rows.append(
            {
                "week": w,
                "week_start": go_live + timedelta(days=7 * w),
                "runs": n,
                "per_run": float(booked.get(w, 0)) / n if n else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["week", "week_start", "runs", "per_run"])


def did_effects(
    treated: pd.DataFrame,
    comparison: pd.DataFrame,
    *,
    comparison_name: str,
    review_day: int,
) -> dict[str, Any]:
    """Difference-in-differences of the workflow against the comparison series, per metric,
    from two ``weekly_series`` frames over the same weeks. Returns ``{metric: effect JSON
    with the DiD table and the pre-trends, or {"reason": ...}}`` and ``"weekly"``: both
    series for the chart."""
    results: dict[str, Any] = {
        "comparison_name": comparison_name,
        "weekly": {
            "treated": frame_as_json(treated, {}),
            "comparison": frame_as_json(comparison, {}),
        },
    }
    metrics = [THROUGHPUT] + ([CONVERSION] if review_day >= 60 else [])
    for metric in metrics:
        column = "runs" if metric == THROUGHPUT else "per_run"
        cells = {}
        for name, frame in (("treated", treated), ("comparison", comparison)):
            before = frame.loc[frame["week"] < 0, column].dropna()
            after = frame.loc[frame["week"] >= 0, column].dropna()
            cells[name] = (before, after)
        short = [
            f"{name} {period}"
            for name, pair in cells.items()
            for period, values in zip(("before", "after"), pair, strict=True)
            if len(values) < 2
        ]
        if short:
            results[metric] = {
                "reason": "Difference-in-differences needs 2 whole weeks in each cell; short: "
                + ", ".join(short)
                + "."
            }
            continue
        table = difference_in_differences(
            PrePost(CellMean.of(cells["treated"][0]), CellMean.of(cells["treated"][1])),
            PrePost(CellMean.of(cells["comparison"][0]), CellMean.of(cells["comparison"][1])),
        )
        pre = (
            treated.loc[treated["week"] < 0, ["week", column]]
            .merge(
                comparison.loc[comparison["week"] < 0, ["week", column]],
                on="week",
                suffixes=("_t", "_c"),
            )
            .dropna()
        )
        trends = pre_trends(pre[f"{column}_t"], pre[f"{column}_c"], comparison_name=comparison_name)
        results[metric] = _effect_json(
            DID,
            DID_METHOD,
            metric,
            table.effect.value,
            table.effect.se,
            review_day,
            {"table": table.as_json(), "pre_trends": trends.as_json()},
        )
    return results
