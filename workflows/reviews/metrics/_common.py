"""What the review metrics share: arms, the 95% intervals, date columns and JSON helpers.

Pure module: pandas + numpy + stdlib, no Django, no clock.

The interval methods (all two-sided 95%, z = 1.959964 from ``statistics.NormalDist``):

- ``rate_ratio_interval``: Wald interval on the log rate ratio of two Poisson counts,
  exp(ln RR +/- z * sqrt(1/a + 1/b)) (Rothman, Greenland & Lash, *Modern Epidemiology*,
  3rd ed., ch. 14). Undefined when either count is zero.
- ``wilson_interval``: Wilson score interval for a proportion (Wilson 1927, JASA 22:209-212).
- ``newcombe_difference_interval``: Newcombe's hybrid score interval for a difference of two
  independent proportions, built from the two Wilson intervals (Newcombe 1998, *Statistics
  in Medicine* 17:873-890, method 10).
- ``rate_difference_interval``: Wald interval for a difference of two Poisson rates,
  d +/- z * sqrt(a/Ta^2 + b/Tb^2) (Rothman & Greenland, ch. 14), for when events can
  outnumber the runs they are counted against.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

ORCHESTRATED = "orchestrated"
BASELINE = "baseline"
ARMS = (ORCHESTRATED, BASELINE)

CONFIDENCE = 0.95
Z = NormalDist().inv_cdf(1 - (1 - CONFIDENCE) / 2)

RATE_RATIO_METHOD = "Wald interval on the log rate ratio (Rothman & Greenland, Modern Epidemiology)"
NEWCOMBE_METHOD = "Newcombe hybrid score interval from Wilson score intervals (Newcombe 1998)"
RATE_DIFFERENCE_METHOD = "Wald interval for a difference of Poisson rates (Rothman & Greenland)"

# Rounding of ``as_json`` values: USD to the cent, rates and ratios to 4 decimal places.
USD_DIGITS = 2
RATE_DIGITS = 4


@dataclass(frozen=True)
class Interval:
    """A point estimate with its two-sided confidence interval (``level`` 0.95).

    ``method`` names the interval method in plain words, with its reference. Units are those
    of the estimate (a ratio has none; a difference is events per run).
    """

    estimate: float
    lower: float
    upper: float
    method: str
    level: float = CONFIDENCE

    def as_json(self) -> dict[str, Any]:
        return {
            "estimate": round_or_none(self.estimate, RATE_DIGITS),
            "lower": round_or_none(self.lower, RATE_DIGITS),
            "upper": round_or_none(self.upper, RATE_DIGITS),
            "level": self.level,
            "method": self.method,
        }


def rate_ratio_interval(
    events_a: int, exposure_a: float, events_b: int, exposure_b: float
) -> Interval:
    """(a / Ta) / (b / Tb) with the Wald interval on its log: exp(ln RR +/- z sqrt(1/a + 1/b)).

    ``a`` and ``b`` are Poisson counts (runs, events), ``Ta`` and ``Tb`` their exposures
    (weeks, runs). Both counts and both exposures must be positive.
    """
    if events_a <= 0 or events_b <= 0 or exposure_a <= 0 or exposure_b <= 0:
        raise ValueError("The log rate ratio needs positive counts and exposures in both arms.")
    ratio = (events_a / exposure_a) / (events_b / exposure_b)
    half_width = Z * math.sqrt(1 / events_a + 1 / events_b)
    log_ratio = math.log(ratio)
    return Interval(
        estimate=ratio,
        lower=math.exp(log_ratio - half_width),
        upper=math.exp(log_ratio + half_width),
        method=RATE_RATIO_METHOD,
    )


def wilson_interval(successes: int, trials: int) -> tuple[float, float]:
    """Wilson score interval (lower, upper) for ``successes`` out of ``trials`` (> 0)."""
    if trials <= 0 or not 0 <= successes <= trials:
        raise ValueError(f"Wilson interval needs 0 <= {successes} <= {trials} and trials > 0.")
    p = successes / trials
    z2 = Z * Z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half_width = Z / denominator * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    # Clamp the rounding noise at the edges (0 and n successes give exactly 0 and 1).
    return max(0.0, centre - half_width), min(1.0, centre + half_width)


def newcombe_difference_interval(
    successes_a: int, trials_a: int, successes_b: int, trials_b: int
) -> Interval:
    """p_a - p_b with Newcombe's hybrid score interval (method 10).

    With Wilson intervals (l_a, u_a) and (l_b, u_b):
    lower = d - sqrt((p_a - l_a)^2 + (u_b - p_b)^2), upper = d + sqrt((u_a - p_a)^2 +
    (p_b - l_b)^2).
    """
    p_a = successes_a / trials_a
    p_b = successes_b / trials_b
    low_a, high_a = wilson_interval(successes_a, trials_a)
    low_b, high_b = wilson_interval(successes_b, trials_b)
    difference = p_a - p_b
    return Interval(
        estimate=difference,
        lower=difference - math.sqrt((p_a - low_a) ** 2 + (high_b - p_b) ** 2),
        upper=difference + math.sqrt((high_a - p_a) ** 2 + (p_b - low_b) ** 2),
        method=NEWCOMBE_METHOD,
    )


def rate_difference_interval(
    events_a: int, exposure_a: float, events_b: int, exposure_b: float
) -> Interval:
    """a/Ta - b/Tb with the Wald interval d +/- z sqrt(a/Ta^2 + b/Tb^2); exposures > 0."""
    difference = events_a / exposure_a - events_b / exposure_b
    half_width = Z * math.sqrt(events_a / exposure_a**2 + events_b / exposure_b**2)
    return Interval(
        estimate=difference,
        lower=difference - half_width,
        upper=difference + half_width,
        method=RATE_DIFFERENCE_METHOD,
    )


def check_columns(frame: pd.DataFrame, required: Iterable[str], *, name: str) -> None:
    """Raise ValueError naming the columns ``frame`` lacks."""
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} is missing the column(s): {', '.join(missing)}.")


def check_values(values: pd.Series, allowed: Iterable[str], *, name: str) -> None:
    """Raise ValueError naming the values of ``values`` outside ``allowed``."""
    unknown = sorted(set(values.dropna().astype(str)) - set(allowed))
    if unknown:
        raise ValueError(
            f"Unknown {name}: {', '.join(unknown)} (expected one of {', '.join(allowed)})."
        )


def check_window(start: date, end: date) -> None:
    if end < start:
        raise ValueError(f"The window ends ({end}) before it starts ({start}).")


def to_days(values: pd.Series) -> pd.Series:
    """Naive datetime64 at midnight for a column of dates or datetimes (missing: NaT).

    Python ``date`` objects, naive datetime64 and tz-aware datetime64 are all accepted; a
    tz-aware value is converted to UTC first, so an event's day is its UTC calendar day.
    """
    days = pd.to_datetime(values)
    if isinstance(days.dtype, pd.DatetimeTZDtype):
        days = days.dt.tz_convert("UTC").dt.tz_localize(None)
    return days.dt.normalize()


def in_window(days: pd.Series, start: date, end: date) -> pd.Series:
    """Boolean mask: ``days`` (from ``to_days``) within start..end, both inclusive."""
    return (days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))


def window_days(start: date, end: date) -> int:
    """Days in start..end, both inclusive."""
    return (end - start).days + 1


def week_starts(start: date, end: date) -> list[date]:
    """The start of every 7-day week of the window, weeks anchored on ``start``."""
    return [start + timedelta(days=7 * week) for week in range((window_days(start, end) + 6) // 7)]


def week_start_of(days: pd.Series, start: date) -> pd.Series:
    """The ``week_starts`` week each day (from ``to_days``) falls in, as python dates."""
    offsets = (days - pd.Timestamp(start)).dt.days // 7
    return offsets.map(lambda weeks: start + timedelta(days=7 * int(weeks)))


def round_or_none(value: float | None, digits: int) -> float | None:
    """``value`` rounded, None for None, NaN or an infinity (JSON has neither; a chart shows
    None as a gap, so an empty week reads as "no data", not as zero)."""
    if value is None or not math.isfinite(float(value)):
        return None
    return round(float(value), digits)


def json_value(value: Any, digits: int = RATE_DIGITS) -> Any:
    """A plain JSON value: dates ISO, numpy scalars unwrapped, floats rounded, NaN/NaT None."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, datetime | pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer | int):
        return int(value)
    if isinstance(value, np.floating | float):
        return round_or_none(float(value), digits)
    return str(value)


def frame_as_json(frame: pd.DataFrame, digits: Mapping[str, int]) -> list[dict[str, Any]]:
    """Rows of ``frame`` as dicts of plain JSON values; float columns rounded by ``digits``
    (column -> decimal places, RATE_DIGITS when not named)."""
    return [
        {
            str(column): json_value(value, digits.get(str(column), RATE_DIGITS))
            for column, value in row.items()
        }
        for row in frame.to_dict(orient="records")
    ]


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 run``, ``12 runs``; ``plural_form`` for irregular words."""
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count} {word}"
