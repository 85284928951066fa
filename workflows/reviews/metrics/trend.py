"""Cost per AI touch over time: across the three review windows of one workflow.

Pure module: pandas + stdlib, no Django, no clock. Issue 17, "Cost per AI touch over time":
the whole method rests on the claim that it falls as components are reused.

The review windows are the 30-day slices after go-live: days 0-29 (day 30), 30-59 (day 60)
and 60-89 (day 90), each cut at ``as_of``; a slice not begun by ``as_of`` is left out. Each
slice's cost per AI touch is ``revenue.cost_per_ai_touch`` over it (USD per AI-driven step,
spend prorated by day). ``change`` is the last slice's cost per touch over the first's,
minus 1 (None without both).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd

from workflows.reviews.metrics._common import RATE_DIGITS, round_or_none
from workflows.reviews.metrics.cost import COST_DIGITS, cost_per_ai_touch

REVIEW_DAYS = (30, 60, 90)


def cost_per_touch_by_review(
    spend: pd.DataFrame, runs_daily: pd.DataFrame, *, go_live: date, as_of: date
) -> dict[str, Any]:
    """``{"windows": [{review_day, start, end, cost_per_touch_usd, ai_steps, spend_usd}],
    "change": float | None}`` (formulas in the module docstring)."""
    windows: list[dict[str, Any]] = []
    for review_day in REVIEW_DAYS:
        start = go_live + timedelta(days=review_day - 30)
        end = min(as_of, go_live + timedelta(days=review_day - 1))
        if start > as_of:
            break
        result = cost_per_ai_touch(spend, runs_daily, start=start, end=end)
        windows.append(
            {
                "review_day": review_day,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "cost_per_touch_usd": round_or_none(result.cost_per_touch_usd, COST_DIGITS),
                "ai_steps": result.ai_steps,
                "spend_usd": round_or_none(result.spend_usd, 2),
            }
        )
    costs: list[float | None] = [w["cost_per_touch_usd"] for w in windows]
    change = None
    first, last = (costs[0], costs[-1]) if len(costs) >= 2 else (None, None)
    if first and last is not None:
        change = round_or_none(last / first - 1, RATE_DIGITS)
    return {"windows": windows, "change": change}
