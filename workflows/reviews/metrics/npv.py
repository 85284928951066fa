"""The net present value of the workflow, on cash: won revenue times gross margin.

Pure module: pandas + stdlib, no Django, no clock. Issue 17, "Revenue, risk-adjusted".

Pipeline is not cash, so, as Forrester's Total Economic Impact does (benefits and costs as
cash flows, discounted; Forrester, "The Total Economic Impact Methodology"), the benefit is
the AI-attributed share of *won* deals times the gross margin the team sets, booked on the
close date; open pipeline is shown beside it, never inside it. Costs are the one-time build
cost (period 0, undiscounted) and the AI spend (subscriptions, model usage, maintenance).

Periods are 30 days from go-live: period m >= 1 covers days 30(m-1) .. 30m-1 after go-live.
The period rate follows the team's yearly discount rate r: rate = (1 + r) ** (30 / 365) - 1.

    CF_0 = -build cost
    CF_m = margin x won attributed USD closed in period m - AI spend in period m
    NPV  = sum over m of CF_m / (1 + rate) ** m        (numpy-financial's ``npv`` convention)

``to_date``: the periods from go-live to ``as_of`` (a period in progress counts with what it
has). ``projected``: the TEI three-year horizon (36 periods of 30 days, about 35.5 months),
the periods after the last whole one repeating the mean net cash flow of the whole periods
seen; always labelled a projection. Each scenario (low, likely, high) scales the benefits by
the scenario's factor from ``risk.pipeline_range``; costs are not scaled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd

from workflows.reviews.metrics._common import USD_DIGITS, round_or_none, to_days

PERIOD_DAYS = 30
HORIZON_PERIODS = 36
NPV_METHOD = (
    "NPV on won revenue x gross margin, 30-day periods from go-live, build cost at period 0 "
    "(Forrester Total Economic Impact)"
)


def period_rate(yearly_rate: float) -> float:
    """The 30-day rate equivalent to ``yearly_rate`` (0.10 for 10% a year)."""
    return float((1 + yearly_rate) ** (PERIOD_DAYS / 365) - 1)


def npv(rate: float, cash_flows: list[float]) -> float:
    """sum CF_t / (1 + rate) ** t, t from 0 (the first flow undiscounted)."""
    return sum(flow / (1 + rate) ** t for t, flow in enumerate(cash_flows))


@dataclass(frozen=True)
class NpvResult:
    """``benefits``, ``costs`` and ``cash_flows`` (USD) per period (index 0 = the build),
    ``npv_to_date`` and ``npv_projected`` (USD, three-year horizon; None with fewer than one
    whole period) for each scenario; ``discount_rate`` and ``gross_margin`` as set (0..1)."""

    go_live: date
    as_of: date
    discount_rate: float
    gross_margin: float
    periods: int
    whole_periods: int
    won_attributed_usd: float
    benefits: tuple[float, ...]
    costs: tuple[float, ...]
    cash_flows: tuple[float, ...]
    npv_to_date: dict[str, float]
    npv_projected: dict[str, float | None]

    def as_json(self) -> dict[str, Any]:
        return {
            "go_live": self.go_live.isoformat(),
            "as_of": self.as_of.isoformat(),
            "discount_rate": self.discount_rate,
            "gross_margin": self.gross_margin,
            "periods": self.periods,
            "whole_periods": self.whole_periods,
            "horizon_periods": HORIZON_PERIODS,
            "period_days": PERIOD_DAYS,
            "won_attributed_usd": round_or_none(self.won_attributed_usd, USD_DIGITS),
            "benefits": [round_or_none(v, USD_DIGITS) for v in self.benefits],
            "costs": [round_or_none(v, USD_DIGITS) for v in self.costs],
            "cash_flows": [round_or_none(v, USD_DIGITS) for v in self.cash_flows],
            "npv_to_date": {k: round_or_none(v, USD_DIGITS) for k, v in self.npv_to_date.items()},
            "npv_projected": {
                k: round_or_none(v, USD_DIGITS) for k, v in self.npv_projected.items()
            },
            "method": NPV_METHOD,
        }


def workflow_npv(
    won: pd.DataFrame,
    spend_daily: pd.DataFrame,
    *,
    build_cost_usd: Decimal | float,
    go_live: date,
    as_of: date,
    discount_rate: float,
    gross_margin: float,
    factors: dict[str, float] | None = None,
) -> NpvResult:
    """The NPV of the workflow (formulas in the module docstring).

    ``won`` has ``close_date`` and ``attributed_usd`` (the AI-attributed USD of each won
    deal); ``spend_daily`` has ``day`` and ``spend_usd`` (AI spend per day, prorated from
    the months). ``factors`` maps scenario -> benefit factor (default likely only, 1.0).

    Raises:
        ValueError: for ``as_of`` before ``go_live`` or a rate or margin out of range.
    """
    if as_of < go_live:
        raise ValueError(f"As of {as_of} is before go-live {go_live}.")
    if not 0 <= gross_margin <= 1 or not -1 < discount_rate <= 1:
        raise ValueError("The gross margin is 0..1 and the discount rate -1..1 a year.")
    factors = factors or {"likely": 1.0}
    days_live = (as_of - go_live).days + 1
    periods = -(-days_live // PERIOD_DAYS)
    whole = days_live // PERIOD_DAYS
    benefits = _per_period(won, "close_date", "attributed_usd", go_live, as_of, periods)
    costs = _per_period(spend_daily, "day", "spend_usd", go_live, as_of, periods)
    margin_benefits = [gross_margin * b for b in benefits]
    build = float(build_cost_usd)
    flows = [-build] + [b - c for b, c in zip(margin_benefits, costs, strict=True)]
    rate = period_rate(discount_rate)
    to_date: dict[str, float] = {}
    projected: dict[str, float | None] = {}
    for name, factor in factors.items():
        scenario = [-build] + [factor * b - c for b, c in zip(margin_benefits, costs, strict=True)]
        to_date[name] = npv(rate, scenario)
        if whole:
            seen = scenario[1 : whole + 1]
            mean = sum(seen) / whole
            horizon = scenario[: whole + 1] + [mean] * (HORIZON_PERIODS - whole)
            projected[name] = npv(rate, horizon)
        else:
            projected[name] = None
    return NpvResult(
        go_live=go_live,
        as_of=as_of,
        discount_rate=discount_rate,
        gross_margin=gross_margin,
        periods=periods,
        whole_periods=whole,
        won_attributed_usd=float(sum(benefits)),
        benefits=tuple(margin_benefits),
        costs=tuple(costs),
        cash_flows=tuple(flows),
        npv_to_date=to_date,
        npv_projected=projected,
    )


def _per_period(
    frame: pd.DataFrame,
    day_column: str,
    value_column: str,
    go_live: date,
    as_of: date,
    periods: int,
) -> list[float]:
    """Sum of ``value_column`` per 30-day period m = 1..periods, days go_live..as_of."""
    totals = [0.0] * periods
    if frame.empty:
        return totals
    days = to_days(frame[day_column])
    values = frame[value_column].fillna(0).astype("float64")
    inside = days.notna() & (days >= pd.Timestamp(go_live)) & (days <= pd.Timestamp(as_of))
    offsets = (days[inside] - pd.Timestamp(go_live)).dt.days // PERIOD_DAYS
    for offset, value in zip(offsets, values[inside], strict=True):
        totals[int(offset)] += float(value)
    return totals


def spend_per_day(spend: pd.DataFrame, *, start: date, end: date) -> pd.DataFrame:
    """AI spend spread evenly over the days of its month, for start..end: ``day``,
    ``spend_usd``. ``spend`` has ``month`` and ``amount_usd`` (whole month), as for
    ``cost_per_ai_touch``."""
    if spend.empty:
        return pd.DataFrame({"day": [], "spend_usd": []})
    months = to_days(spend["month"]).dt.to_period("M")
    per_month = spend["amount_usd"].fillna(0).astype("float64").groupby(months).sum()
    days, amounts = [], []
    day = start
    while day <= end:
        period = pd.Period(day, freq="M")
        amount = float(per_month.get(period, 0.0))
        days.append(day)
        amounts.append(amount / period.days_in_month)
        day += timedelta(days=1)
    return pd.DataFrame({"day": days, "spend_usd": amounts})
