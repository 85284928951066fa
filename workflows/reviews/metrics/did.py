"""Pre/post without a randomized arm: difference-in-differences against a comparison series.

Pure module: numpy + stdlib, no Django, no clock. Issue 17, "Effects by the design the data
supports". The method and the layout of its table are Card & Krueger's (1994, "Minimum
Wages and Employment: A Case Study of the Fast-Food Industry in New Jersey and
Pennsylvania", *American Economic Review* 84(4):772-793, Table 3):

    change (treated)    = after_T - before_T
    change (comparison) = after_C - before_C
    gap before          = before_T - before_C
    gap after           = after_T - after_C
    effect (DiD)        = change_T - change_C  (= gap after - gap before)

Additive scale, in the metric's units. Standard errors: a cell's SE is given (a weekly
series' is sd / sqrt(weeks)); a change's SE is sqrt(se_before^2 + se_after^2) for
independent cells, or the SE of the mean change when the same units are seen in both
periods (a panel, as Card & Krueger's stores); the two changes are independent, so
SE(DiD) = sqrt(SE(change_T)^2 + SE(change_C)^2). Weeks are treated as independent
(serial correlation, Bertrand, Duflo & Mullainathan 2004, would widen the interval).

Parallel trends: the effect holds only if, without the change, both series would have moved
alike. ``pre_trends`` fits a straight line (OLS, slope per week) to each series over the
pre-period and tests the difference of the slopes; |z| > 1.96 is a visible divergence and
the review warns. With fewer than 3 pre-period weeks there is nothing to judge by.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from workflows.reviews.metrics._common import RATE_DIGITS, Z, round_or_none

DID_METHOD = "Difference-in-differences against a comparison series (Card & Krueger 1994, Table 3)"
MIN_TREND_WEEKS = 3


@dataclass(frozen=True)
class CellMean:
    """A cell's mean with its standard error (and its number of observations, if known)."""

    mean: float
    se: float
    n: int | None = None

    @classmethod
    def of(cls, values: Any) -> CellMean:
        """Mean and sd / sqrt(n) of 1-d ``values`` (n >= 2; the SE of one value is unknown)."""
        array = np.asarray(values, dtype="float64")
        if len(array) < 2:
            raise ValueError("A cell needs at least 2 observations for its standard error.")
        return cls(
            float(array.mean()), float(array.std(ddof=1) / math.sqrt(len(array))), len(array)
        )


@dataclass(frozen=True)
class PrePost:
    """One series before and after. ``change_se``: the SE of the mean change when the same
    units are seen in both periods; None for independent cells."""

    before: CellMean
    after: CellMean
    change_se: float | None = None

    @property
    def change(self) -> float:
        return self.after.mean - self.before.mean

    @property
    def se_of_change(self) -> float:
        if self.change_se is not None:
            return self.change_se
        return math.hypot(self.before.se, self.after.se)


@dataclass(frozen=True)
class Estimate:
    value: float
    se: float

    def as_json(self) -> dict[str, Any]:
        return {
            "value": round_or_none(self.value, RATE_DIGITS),
            "se": round_or_none(self.se, RATE_DIGITS),
        }


@dataclass(frozen=True)
class DidResult:
    """Card & Krueger's Table 3 for one metric: the four cells, both changes, both gaps and
    ``effect`` (the DiD) with their SEs; additive, in the metric's units."""

    treated: PrePost
    comparison: PrePost
    treated_change: Estimate
    comparison_change: Estimate
    gap_before: Estimate
    gap_after: Estimate
    effect: Estimate

    def as_json(self) -> dict[str, Any]:
        return {
            "treated_before": round_or_none(self.treated.before.mean, RATE_DIGITS),
            "treated_after": round_or_none(self.treated.after.mean, RATE_DIGITS),
            "comparison_before": round_or_none(self.comparison.before.mean, RATE_DIGITS),
            "comparison_after": round_or_none(self.comparison.after.mean, RATE_DIGITS),
            "treated_change": self.treated_change.as_json(),
            "comparison_change": self.comparison_change.as_json(),
            "gap_before": self.gap_before.as_json(),
            "gap_after": self.gap_after.as_json(),
            "effect": self.effect.as_json(),
        }


def difference_in_differences(treated: PrePost, comparison: PrePost) -> DidResult:
    """The DiD table of ``treated`` against ``comparison`` (formulas in the module docstring)."""
    treated_change = Estimate(treated.change, treated.se_of_change)
    comparison_change = Estimate(comparison.change, comparison.se_of_change)
    return DidResult(
        treated=treated,
        comparison=comparison,
        treated_change=treated_change,
        comparison_change=comparison_change,
        gap_before=Estimate(
            treated.before.mean - comparison.before.mean,
            math.hypot(treated.before.se, comparison.before.se),
        ),
        gap_after=Estimate(
            treated.after.mean - comparison.after.mean,
            math.hypot(treated.after.se, comparison.after.se),
        ),
        effect=Estimate(
            treated_change.value - comparison_change.value,
            math.hypot(treated_change.se, comparison_change.se),
        ),
    )


@dataclass(frozen=True)
class PreTrends:
    """OLS slopes (units per week) of both series over the pre-period, the difference
    treated - comparison with its SE and z, and whether they ``diverge`` (|z| > 1.96).
    ``judged`` is False (and the slopes None) under 3 pre-period weeks."""

    weeks: int
    treated_slope: float | None
    comparison_slope: float | None
    difference: float | None
    difference_se: float | None
    z: float | None
    diverge: bool
    judged: bool
    message: str

    def as_json(self) -> dict[str, Any]:
        return {
            "weeks": self.weeks,
            "treated_slope": round_or_none(self.treated_slope, RATE_DIGITS),
            "comparison_slope": round_or_none(self.comparison_slope, RATE_DIGITS),
            "difference": round_or_none(self.difference, RATE_DIGITS),
            "difference_se": round_or_none(self.difference_se, RATE_DIGITS),
            "z": round_or_none(self.z, RATE_DIGITS),
            "diverge": self.diverge,
            "judged": self.judged,
            "message": self.message,
        }


def pre_trends(treated: Any, comparison: Any, *, comparison_name: str) -> PreTrends:
    """Compare the pre-period trends of two weekly series of equal length (oldest first)."""
    t = np.asarray(treated, dtype="float64")
    c = np.asarray(comparison, dtype="float64")
    if len(t) != len(c):
        raise ValueError("Both pre-period series need the same weeks.")
    weeks = len(t)
    if weeks < MIN_TREND_WEEKS:
        return PreTrends(
            weeks,
            None,
            None,
            None,
            None,
            None,
            False,
            False,
            f"Only {weeks} pre-period week(s): too few to judge whether the trends run parallel.",
        )
    slope_t, se_t = _slope(t)
    slope_c, se_c = _slope(c)
    difference = slope_t - slope_c
    se = math.hypot(se_t, se_c)
    z = (
        difference / se
        if se > 0
        else (0.0 if difference == 0 else math.copysign(math.inf, difference))
    )
    diverge = abs(z) > Z
    message = (
        f"The pre-period trends diverge (slopes {slope_t:+.2f} and {slope_c:+.2f} a week, "
        f"z = {z:.1f}): the workflow and {comparison_name} were already moving apart before "
        "go-live, so the difference-in-differences may credit the change with a trend."
        if diverge
        else f"The pre-period trends of the workflow and {comparison_name} run close to "
        f"parallel (slopes {slope_t:+.2f} and {slope_c:+.2f} a week)."
    )
    return PreTrends(
        weeks,
        slope_t,
        slope_c,
        difference,
        se,
        z if math.isfinite(z) else None,
        diverge,
        True,
        message,
    )


def _slope(values: np.ndarray) -> tuple[float, float]:
    """OLS slope of ``values`` on 0..n-1 and its standard error (n >= 3)."""
    n = len(values)
    x = np.arange(n, dtype="float64")
    x_centred = x - x.mean()
    sxx = float((x_centred**2).sum())
    slope = float((x_centred * (values - values.mean())).sum() / sxx)
    residuals = values - values.mean() - slope * x_centred
    sigma2 = float((residuals**2).sum() / (n - 2))
    return slope, math.sqrt(sigma2 / sxx)
