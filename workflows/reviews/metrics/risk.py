"""Revenue, risk-adjusted: low, likely and high, with the haircut that follows the data.

Pure module: pandas + stdlib, no Django, no clock. Issue 17, "Revenue, risk-adjusted".

Risk adjustment is Forrester's Total Economic Impact (TEI) practice: a benefit is reduced by
a percentage that reflects how uncertain its estimate is, and the factors are shown
(Forrester, "The Total Economic Impact Methodology", risk-adjusted benefits). Here the
haircut follows the data, factor by factor (RISK_RULES):

- few credited opportunities: under 5, 25%; under 10, 15%; under 20, 5%;
- a short window: under 60 days, 20%; under 90 days, 10%;
- unknowns in the self-score: half the share of "I don't know" answers, at most 20%;
- the baseline: missing, 15%; pre-period under 4 weeks, 10%.

The factors compound: haircut = 1 - product(1 - f_i). For AI-attributable pipeline (USD):

    high   = measured (as the data says, unadjusted)
    likely = measured x (1 - haircut)                      (TEI's risk-adjusted figure)
    low    = max(0, measured - 1.96 x SE) x (1 - haircut)

where SE = sqrt(sum of attributed_i^2) over the credited opportunities: the total of a
Poisson number of deals of varying size (compound Poisson variance, e.g. Klugman, Panjer &
Willmot, *Loss Models*, ch. 9). The payback period is computed for each of the three
(the daily attributable pipeline scaled by scenario / measured), each labelled reached or
projected; the low pipeline gives the longest payback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd

from workflows.reviews.metrics._common import USD_DIGITS, Z, round_or_none
from workflows.reviews.metrics.payback import PaybackResult, payback
from workflows.reviews.metrics.revenue import PipelineResult

LOW, LIKELY, HIGH = "low", "likely", "high"
SCENARIOS = (LOW, LIKELY, HIGH)

BASELINE_OK = "ok"
BASELINE_SHORT = "too_short"
BASELINE_MISSING = "missing"

RISK_RULES = (
    "Few credited opportunities: under 5, 25%; under 10, 15%; under 20, 5%.",
    "A short window: under 60 days, 20%; under 90 days, 10%.",
    'Unknowns in the self-score: half the share of "I don\'t know" answers, at most 20%.',
    "The baseline: missing, 15%; a pre-period under 4 weeks, 10%.",
)


@dataclass(frozen=True)
class RiskFactor:
    """One reason to doubt the number: ``name``, ``share`` (0..1 haircut) and ``reason``."""

    name: str
    share: float
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "percent": round(100 * self.share, 1), "reason": self.reason}


@dataclass(frozen=True)
class RiskAdjustment:
    """The factors (all four, 0% where the data is fine) and the compounded ``haircut``."""

    factors: tuple[RiskFactor, ...]
    haircut: float

    def as_json(self) -> dict[str, Any]:
        return {
            "factors": [f.as_json() for f in self.factors],
            "haircut_percent": round(100 * self.haircut, 1),
            "rules": list(RISK_RULES),
        }


def risk_adjustment(
    *,
    credited_opportunities: int,
    window_days: int,
    unknown_share: float | None,
    baseline: str,
) -> RiskAdjustment:
    """The TEI haircut from the data's weak spots (rules in the module docstring).

    ``unknown_share`` is the share (0..1) of the self-score's answers that were "I don't
    know" (None without a self-score: counted as 20%, the cap); ``baseline`` is BASELINE_OK,
    BASELINE_SHORT or BASELINE_MISSING.
    """
    n = credited_opportunities
    opportunities = 0.25 if n < 5 else 0.15 if n < 10 else 0.05 if n < 20 else 0.0
    window = 0.20 if window_days < 60 else 0.10 if window_days < 90 else 0.0
    if unknown_share is None:
        unknowns, unknown_reason = 0.20, "No self-score to judge the inputs by."
    else:
        unknowns = min(0.20, unknown_share / 2)
        unknown_reason = (
            f"{100 * unknown_share:.0f}% of the self-score's answers were \"I don't know\"."
        )
    base = {BASELINE_OK: 0.0, BASELINE_SHORT: 0.10, BASELINE_MISSING: 0.15}[baseline]
    factors = (
        RiskFactor(
            "Credited opportunities",
            opportunities,
            f"{n} opportunit{'y' if n == 1 else 'ies'} earn AI credit.",
        ),
        RiskFactor("Window", window, f"The revenue window covers {window_days} days."),
        RiskFactor("Unknowns in the self-score", unknowns, unknown_reason),
        RiskFactor(
            "Baseline",
            base,
            {
                BASELINE_OK: "A baseline of 4 weeks or more before go-live.",
                BASELINE_SHORT: "The pre-period is under 4 weeks.",
                BASELINE_MISSING: "No baseline before go-live.",
            }[baseline],
        ),
    )
    kept = math.prod(1 - f.share for f in factors)
    return RiskAdjustment(factors=factors, haircut=1 - kept)


@dataclass(frozen=True)
class Range:
    """A low / likely / high triple in USD."""

    low: float
    likely: float
    high: float

    def as_json(self) -> dict[str, Any]:
        return {
            LOW: round_or_none(self.low, USD_DIGITS),
            LIKELY: round_or_none(self.likely, USD_DIGITS),
            HIGH: round_or_none(self.high, USD_DIGITS),
        }

    def factor(self, scenario: str, measured: float) -> float:
        """The scenario's value / the measured value (1 when nothing was measured)."""
        return getattr(self, scenario) / measured if measured > 0 else 1.0


def pipeline_range(pipeline: PipelineResult, risk: RiskAdjustment) -> tuple[Range, float]:
    """Low / likely / high AI-attributable pipeline (USD) and the SE of the measured total."""
    measured = pipeline.attributable_usd
    attributed = pipeline.breakdown["attributed_usd"].astype("float64")
    se = math.sqrt(float((attributed**2).sum()))
    keep = 1 - risk.haircut
    return Range(low=max(0.0, measured - Z * se) * keep, likely=measured * keep, high=measured), se


@dataclass(frozen=True)
class PaybackRange:
    """The payback period of each scenario (``low`` pipeline gives the longest)."""

    low: PaybackResult
    likely: PaybackResult
    high: PaybackResult

    def as_json(self) -> dict[str, Any]:
        return {name: _payback_summary(getattr(self, name)) for name in SCENARIOS}


def payback_range(
    pipeline_daily: pd.DataFrame,
    pipeline: Range,
    measured_usd: float,
    *,
    build_cost_usd: Decimal | float,
    build_date: date,
    as_of: date,
) -> PaybackRange:
    """``payback`` on the daily attributable pipeline scaled to each scenario."""
    results = {}
    for scenario in SCENARIOS:
        scaled = pipeline_daily.assign(
            attributed_usd=pipeline_daily["attributed_usd"]
            * pipeline.factor(scenario, measured_usd)
        )
        results[scenario] = payback(
            scaled, build_cost_usd=build_cost_usd, build_date=build_date, as_of=as_of
        )
    return PaybackRange(**results)


def _payback_summary(result: PaybackResult) -> dict[str, Any]:
    days = result.days if result.reached else result.projected_days
    return {
        "days": days,
        "label": "reached"
        if result.reached
        else ("projected" if days is not None else "not in sight"),
        "on": on.isoformat() if (on := result.reached_on or result.projected_on) else None,
        "reason": result.reason,
    }
