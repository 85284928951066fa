"""Randomized arms: the difference of the two arms, adjusted by the pre-period (CUPED).

Pure module: numpy + pandas + stdlib, no Django, no clock. Issue 17, "Effects by the design
the data supports": where week 3 routed a random share of traffic, the arms are an
experiment and are compared directly.

CUPED (Deng, Xu, Kohavi & Walker 2013, "Improving the sensitivity of online controlled
experiments by utilizing pre-experiment data", WSDM '13, section 3.1): for each unit with
outcome Y and a pre-period covariate X, which the treatment cannot have moved,

    theta = Cov(X, Y) / Var(X)                     (pooled over both arms)
    Y_cv  = Y - theta * (X - mean(X))              (mean(X) pooled over both arms)
    effect = mean(Y_cv | orchestrated) - mean(Y_cv | baseline)
    SE    = sqrt(Var(Y_cv | orch) / n_orch + Var(Y_cv | base) / n_base)   (sample variances)

The effect is unbiased whatever theta is, and its variance falls by the share
corr(X, Y)^2. With Var(X) = 0 theta is 0 (nothing to adjust with).

The scale is additive: orchestrated minus baseline, in the metric's units. The units here
are days: for throughput Y is the arm's runs that day and X the pre-period mean runs on that
weekday; for conversion Y is the arm's booked calls per run that day (days with runs) and X
the pre-period booked calls per run on that weekday. Throughput is reported as runs a week
(7 x the daily effect).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from workflows.reviews.metrics._common import RATE_DIGITS, round_or_none

CUPED_METHOD = "CUPED: arms compared directly, adjusted by the pre-period (Deng et al. 2013)"


@dataclass(frozen=True)
class CupedResult:
    """Adjusted difference ``estimate`` (orchestrated - baseline, additive, in the units of Y
    times ``scale``) with ``standard_error``; ``unadjusted`` and ``unadjusted_se`` are the plain
    difference of means; ``theta`` the CUPED coefficient; ``variance_reduction`` 0..1 (1 -
    Var adjusted / Var plain of the estimate); ``n_orchestrated`` / ``n_baseline`` units."""

    estimate: float
    standard_error: float
    unadjusted: float
    unadjusted_se: float
    theta: float
    variance_reduction: float
    n_orchestrated: int
    n_baseline: int
    mean_orchestrated: float
    mean_baseline: float

    def as_json(self) -> dict[str, Any]:
        return {
            "estimate": round_or_none(self.estimate, RATE_DIGITS),
            "standard_error": round_or_none(self.standard_error, RATE_DIGITS),
            "unadjusted": round_or_none(self.unadjusted, RATE_DIGITS),
            "unadjusted_se": round_or_none(self.unadjusted_se, RATE_DIGITS),
            "theta": round_or_none(self.theta, RATE_DIGITS),
            "variance_reduction": round_or_none(self.variance_reduction, RATE_DIGITS),
            "n_orchestrated": self.n_orchestrated,
            "n_baseline": self.n_baseline,
            "mean_orchestrated": round_or_none(self.mean_orchestrated, RATE_DIGITS),
            "mean_baseline": round_or_none(self.mean_baseline, RATE_DIGITS),
        }


def cuped(
    y_orchestrated: Any,
    x_orchestrated: Any,
    y_baseline: Any,
    x_baseline: Any,
    *,
    scale: float = 1.0,
) -> CupedResult:
    """The CUPED-adjusted difference of means of two arms (formulas in the module docstring).

    Each argument is a 1-d array of per-unit values; X is the pre-period covariate of each
    unit. ``scale`` multiplies the estimate and its SE (7 turns runs a day into runs a week).

    Raises:
        ValueError: for arrays of unequal length, non-finite values, or fewer than 2 units in
            an arm (a sample variance needs 2).
    """
    yo, xo, yb, xb = (
        np.asarray(v, dtype="float64")
        for v in (y_orchestrated, x_orchestrated, y_baseline, x_baseline)
    )
    if len(yo) != len(xo) or len(yb) != len(xb):
        raise ValueError("Each unit needs an outcome and a covariate.")
    if len(yo) < 2 or len(yb) < 2:
        raise ValueError("CUPED needs at least 2 units in each arm.")
    if not all(np.isfinite(v).all() for v in (yo, xo, yb, xb)):
        raise ValueError("CUPED needs finite outcomes and covariates.")
    x = np.concatenate([xo, xb])
    y = np.concatenate([yo, yb])
    variance_x = float(np.var(x, ddof=1))
    theta = float(np.cov(x, y, ddof=1)[0, 1] / variance_x) if variance_x > 0 else 0.0
    x_mean = float(x.mean())
    adjusted_o = yo - theta * (xo - x_mean)
    adjusted_b = yb - theta * (xb - x_mean)
    se = math.sqrt(adjusted_o.var(ddof=1) / len(yo) + adjusted_b.var(ddof=1) / len(yb))
    plain_se = math.sqrt(yo.var(ddof=1) / len(yo) + yb.var(ddof=1) / len(yb))
    reduction = 1 - (se / plain_se) ** 2 if plain_se > 0 else 0.0
    return CupedResult(
        estimate=scale * float(adjusted_o.mean() - adjusted_b.mean()),
        standard_error=scale * se,
        unadjusted=scale * float(yo.mean() - yb.mean()),
        unadjusted_se=scale * plain_se,
        theta=theta,
        variance_reduction=reduction,
        n_orchestrated=len(yo),
        n_baseline=len(yb),
        mean_orchestrated=scale * float(adjusted_o.mean()),
        mean_baseline=scale * float(adjusted_b.mean()),
    )
