"""Day 90: the payback period of the build.

Pure module: pandas + stdlib, no Django, no clock (``as_of`` is "today"). PRODUCT.md
section 3, "The reviews": days from the build until cumulative attributed pipeline equals the
build cost; where not reached yet, a projection clearly labelled as one.

The attributed pipeline is ``PipelineResult.daily``: AI-attributable pipeline of the deals
that are open or won, that is pipeline created minus lost. A closed-lost deal never counts
toward payback (the review shows it apart, as lost pipeline); an open deal counts, as the
pipeline it still is, until it is lost.

- Cumulative attributable pipeline (USD) counts the days from ``build_date`` to ``as_of``,
  both inclusive; later days in the input are ignored, as they were not known on ``as_of``.
- Reached on the first day it is at least the build cost (within half a cent, so float sums
  do not miss an exact hit); payback days = that day - build date. A build cost of 0 is
  reached on the build date, day 0.
- Not reached: the average daily attributable pipeline over the last 30 days of data (or all
  of them, if fewer) projects the rest: projected days = days to the last day of data +
  ceil(remaining cost / average). Always flagged ``is_projection``; None, with a reason,
  when that average is 0 or the projection is more than 10 years (3,650 days) away.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd

from workflows.reviews.metrics._common import (
    USD_DIGITS,
    check_columns,
    frame_as_json,
    in_window,
    plural,
    round_or_none,
    to_days,
)

PROJECTION_DAYS = 30
# Past ten years a projection says nothing useful (and dates run out): it is left out.
PROJECTION_HORIZON_DAYS = 3650
REACHED_TOLERANCE_USD = 0.005
NOTHING_TO_PROJECT = "No attributable pipeline yet to project from."


@dataclass(frozen=True)
class PaybackResult:
    """Payback of ``build_cost_usd`` as of ``as_of``.

    ``cumulative_usd`` is the attributable pipeline from the build date to ``as_of``.
    Reached: ``days`` (int, days since the build date) and ``reached_on``. Not reached:
    ``is_projection`` is True and ``projected_days`` / ``projected_on`` are the projection from
    ``average_daily_usd`` (USD a day over the last ``projection_basis_days`` days of data), or
    None with ``reason``. ``series`` has one row per day of data: ``day`` (date),
    ``cumulative_usd`` and ``build_cost_usd``.
    """

    build_date: date
    as_of: date
    build_cost_usd: float
    cumulative_usd: float
    reached: bool
    days: int | None
    reached_on: date | None
    is_projection: bool
    projected_days: int | None
    projected_on: date | None
    average_daily_usd: float | None
    projection_basis_days: int
    reason: str
    series: pd.DataFrame = field(compare=False, repr=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "build_date": self.build_date.isoformat(),
            "as_of": self.as_of.isoformat(),
            "build_cost_usd": round_or_none(self.build_cost_usd, USD_DIGITS),
            "cumulative_usd": round_or_none(self.cumulative_usd, USD_DIGITS),
            "reached": self.reached,
            "days": self.days,
            "reached_on": self.reached_on.isoformat() if self.reached_on else None,
            "is_projection": self.is_projection,
            "projected_days": self.projected_days,
            "projected_on": self.projected_on.isoformat() if self.projected_on else None,
            "average_daily_usd": round_or_none(self.average_daily_usd, USD_DIGITS),
            "projection_basis_days": self.projection_basis_days,
            "reason": self.reason,
            "series": frame_as_json(
                self.series, {"cumulative_usd": USD_DIGITS, "build_cost_usd": USD_DIGITS}
            ),
        }


def payback(
    pipeline_daily: pd.DataFrame,
    *,
    build_cost_usd: Decimal | float,
    build_date: date,
    as_of: date,
) -> PaybackResult:
    """Days from ``build_date`` until cumulative attributable pipeline covers the build cost.

    ``pipeline_daily`` has a ``day`` column (date) and ``attributed_usd`` (USD attributed that
    day), as ``PipelineResult.daily``; days may repeat or be missing (a missing day is 0).

    Raises:
        ValueError: for a missing column, a negative build cost, or ``as_of`` before
            ``build_date``.
    """
    check_columns(pipeline_daily, ("day", "attributed_usd"), name="The daily pipeline")
    cost = float(build_cost_usd)
    if not math.isfinite(cost) or cost < 0:
        raise ValueError(f"The build cost must be zero or more USD, got {build_cost_usd}.")
    if as_of < build_date:
        raise ValueError(f"As of {as_of} is before the build date {build_date}.")
    daily = _calendar_days(pipeline_daily, build_date=build_date, as_of=as_of)
    daily["cumulative_usd"] = daily["attributed_usd"].cumsum()
    cumulative = float(daily["cumulative_usd"].iloc[-1]) if len(daily) else 0.0
    series = pd.DataFrame(
        {"day": daily["day"], "cumulative_usd": daily["cumulative_usd"], "build_cost_usd": cost}
    )
    base: dict[str, Any] = {
        "build_date": build_date,
        "as_of": as_of,
        "build_cost_usd": cost,
        "cumulative_usd": cumulative,
        "series": series,
    }
    if cost == 0:
        return _reached(build_date, base)
    hits = daily.loc[daily["cumulative_usd"] >= cost - REACHED_TOLERANCE_USD, "day"]
    if len(hits):
        return _reached(hits.iloc[0], base)
    recent = daily.tail(PROJECTION_DAYS)
    average = float(recent["attributed_usd"].mean()) if len(recent) else 0.0
    projected_days: int | None = None
    projected_on: date | None = None
    reason = NOTHING_TO_PROJECT
    if average > 0:
        last_day = daily["day"].iloc[-1]
        # A float, not yet an int: a tiny average makes it huge or infinite.
        projected = (last_day - build_date).days + (cost - cumulative) / average
        days = plural(len(recent), "day")
        if not projected <= PROJECTION_HORIZON_DAYS:
            reason = (
                f"At the average of the last {days} ({average:,.2f} USD a day) the build would "
                f"take more than {PROJECTION_HORIZON_DAYS // 365} years to pay back."
            )
        else:
            projected_days = math.ceil(projected)
            projected_on = build_date + timedelta(days=projected_days)
            reason = (
                f"Not reached yet: a projection from the average of the last {days} of "
                "attributable pipeline, not a result."
            )
    return PaybackResult(
        reached=False,
        days=None,
        reached_on=None,
        is_projection=True,
        projected_days=projected_days,
        projected_on=projected_on,
        average_daily_usd=average if len(recent) else None,
        projection_basis_days=len(recent),
        reason=reason,
        **base,
    )


def _reached(day: date, base: dict[str, Any]) -> PaybackResult:
    return PaybackResult(
        reached=True,
        days=(day - base["build_date"]).days,
        reached_on=day,
        is_projection=False,
        projected_days=None,
        projected_on=None,
        average_daily_usd=None,
        projection_basis_days=0,
        reason="",
        **base,
    )


def _calendar_days(pipeline_daily: pd.DataFrame, *, build_date: date, as_of: date) -> pd.DataFrame:
    """One row per calendar day from the first to the last day of data in build_date..as_of:
    ``day`` (date) and ``attributed_usd`` summed over that day's rows (0 on a missing day)."""
    days = to_days(pipeline_daily["day"])
    inside = in_window(days, build_date, as_of)
    amounts = pipeline_daily.loc[inside, "attributed_usd"].fillna(0).astype("float64")
    per_day = amounts.groupby(days[inside].dt.date).sum()
    if per_day.empty:
        return pd.DataFrame({"day": [], "attributed_usd": []}).astype({"attributed_usd": "float64"})
    first, last = min(per_day.index), max(per_day.index)
    calendar = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    return pd.DataFrame(
        {"day": calendar, "attributed_usd": [float(per_day.get(day, 0.0)) for day in calendar]}
    )
