"""Day 90: cost per AI touch, the AI spend of the window over the AI steps that ran.

Pure module: pandas + stdlib, no Django, no clock. PRODUCT.md section 3, "The reviews".

Cost per AI touch = total AI spend (subscriptions + model usage + maintenance hours x rate) /
AI-driven steps executed in the window. A month of spend counts by the share of its days that
fall in the window (proration); AI-driven steps are ``ai_steps`` summed over both arms.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from workflows.reviews.metrics._common import (
    USD_DIGITS,
    check_columns,
    check_values,
    check_window,
    frame_as_json,
    round_or_none,
    to_days,
)
from workflows.reviews.metrics.throughput import window_runs

SUBSCRIPTION = "subscription"


MODEL_USAGE = "model_usage"


MAINTENANCE = "maintenance"


SPEND_CATEGORIES = (SUBSCRIPTION, MODEL_USAGE, MAINTENANCE)


SPEND_COLUMNS = ("month", "category", "amount_usd")


COST_DIGITS = 4  # a cost per AI touch is often a fraction of a cent


@dataclass(frozen=True)
class CategoryCost:
    """One spend category over the window: ``spend_usd`` (prorated) and its share of the cost
    per AI touch, ``cost_per_touch_usd`` (None without AI-driven steps)."""

    category: str
    spend_usd: float
    cost_per_touch_usd: float | None

    def as_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "spend_usd": round_or_none(self.spend_usd, USD_DIGITS),
            "cost_per_touch_usd": round_or_none(self.cost_per_touch_usd, COST_DIGITS),
        }


@dataclass(frozen=True)
class CostPerTouchResult:
    """Cost per AI touch over start..end: ``spend_usd`` / ``ai_steps`` in USD per AI-driven step.

    ``cost_per_touch_usd`` is None, with ``reason``, when no AI-driven step ran. ``by_category``
    holds SPEND_CATEGORIES in order. ``monthly`` has one row per calendar month overlapping the
    window: ``month`` (date, first of month), ``spend_usd`` (prorated), ``ai_steps`` (int,
    inside the window) and ``cost_per_touch_usd`` (NaN without AI-driven steps).
    """

    start: date
    end: date
    spend_usd: float
    ai_steps: int
    cost_per_touch_usd: float | None
    reason: str
    by_category: tuple[CategoryCost, ...]
    monthly: pd.DataFrame = field(compare=False, repr=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "spend_usd": round_or_none(self.spend_usd, USD_DIGITS),
            "ai_steps": self.ai_steps,
            "cost_per_touch_usd": round_or_none(self.cost_per_touch_usd, COST_DIGITS),
            "reason": self.reason,
            "by_category": [category.as_json() for category in self.by_category],
            "monthly": frame_as_json(
                self.monthly, {"spend_usd": USD_DIGITS, "cost_per_touch_usd": COST_DIGITS}
            ),
        }


def cost_per_ai_touch(
    spend: pd.DataFrame, runs_daily: pd.DataFrame, *, start: date, end: date
) -> CostPerTouchResult:
    """Total AI spend in start..end / AI-driven steps executed in start..end (USD per step).

    ``spend`` has one row per (month, category): ``month`` (any day of the month; the first by
    convention), ``category`` (SPEND_CATEGORIES) and ``amount_usd`` for the whole month. A
    month counts by the days of it inside the window / the days of the month. ``runs_daily`` is
    the run log as for ``throughput``.

    Raises:
        ValueError: for a missing column, an unknown category, arm or status, or ``end``
            before ``start``.
    """
    check_window(start, end)
    check_columns(spend, SPEND_COLUMNS, name="The AI spend")
    check_values(spend["category"], SPEND_CATEGORIES, name="spend category")
    months = _months(start, end)
    month_of_spend = to_days(spend["month"]).dt.to_period("M").dt.start_time.dt.date
    share = month_of_spend.map({month: _share_in_window(month, start, end) for month in months})
    prorated = spend.assign(
        month=month_of_spend,
        spend_usd=spend["amount_usd"].fillna(0).astype("float64") * share.fillna(0),
    )
    runs = window_runs(runs_daily, start=start, end=end)
    runs_month = runs["day"].dt.to_period("M").dt.start_time.dt.date
    ai_steps = int(runs["ai_steps"].sum())
    by_category = prorated.groupby("category")["spend_usd"].sum()
    total = float(prorated["spend_usd"].sum())
    monthly = pd.DataFrame(
        {
            "month": months,
            "spend_usd": [
                float(prorated.loc[prorated["month"] == month, "spend_usd"].sum())
                for month in months
            ],
            "ai_steps": [int(runs.loc[runs_month == month, "ai_steps"].sum()) for month in months],
        }
    )
    monthly["ai_steps"] = monthly["ai_steps"].astype("int64")
    monthly["cost_per_touch_usd"] = monthly["spend_usd"] / monthly["ai_steps"].where(
        monthly["ai_steps"] > 0, np.nan
    )
    reason = "" if ai_steps else "No AI-driven steps ran in the window: nothing to divide by."
    return CostPerTouchResult(
        start=start,
        end=end,
        spend_usd=total,
        ai_steps=ai_steps,
        cost_per_touch_usd=total / ai_steps if ai_steps else None,
        reason=reason,
        by_category=tuple(
            CategoryCost(
                category=category,
                spend_usd=float(by_category.get(category, 0.0)),
                cost_per_touch_usd=(
                    float(by_category.get(category, 0.0)) / ai_steps if ai_steps else None
                ),
            )
            for category in SPEND_CATEGORIES
        ),
        monthly=monthly,
    )


def _months(start: date, end: date) -> list[date]:
    """The first day of every calendar month overlapping start..end."""
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _share_in_window(month: date, start: date, end: date) -> float:
    """The share of the days of ``month`` that fall within start..end."""
    month_days = calendar.monthrange(month.year, month.month)[1]
    month_end = month.replace(day=month_days)
    inside = (min(end, month_end) - max(start, month)).days + 1
    return max(inside, 0) / month_days
