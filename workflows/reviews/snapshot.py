"""A review's numbers as one JSON snapshot: the stage's metrics over its window, with
warnings and chart figures. Live before the review is completed, frozen after.

Pure module: pandas and the metrics, no Django, no clock (``as_of`` is passed in). This
module writes the snapshot's JSON (version ``SNAPSHOT_VERSION``), the form a completed review
stores; ``stored.snapshot_read`` reads it, live or frozen, as the typed ``ReviewSnapshot`` the
page, the CSV export and the board report show, so a completed review shows exactly what
was known when it was held.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd

from . import metrics
from .charts import (
    conversion_figure,
    cost_per_touch_figure,
    payback_figure,
    weekly_throughput_figure,
)
from .stored import SNAPSHOT_VERSION

CONVERSION_KIND = "booked_call"
DAY_60 = 60  # from this stage on, conversion (Review.Stage.DAY_60)
DAY_90 = 90  # from this stage on, pipeline, cost and payback (Review.Stage.DAY_90)


@dataclass(frozen=True)
class ReviewFrames:
    """The stored review data of a workflow as the metrics expect it."""

    runs_daily: pd.DataFrame
    events: pd.DataFrame
    opportunities: pd.DataFrame
    spend: pd.DataFrame


def snapshot_window(*, go_live: date, due_date: date, as_of: date) -> tuple[date, date]:
    """The days a review measures: go-live .. min(as_of, due date); empty (end before
    start) before go-live."""
    return go_live, min(as_of, due_date)


def review_snapshot_compute(
    *,
    stage: int,
    go_live: date,
    due_date: date,
    as_of: date,
    frames: ReviewFrames | None,
    policy: metrics.CreditPolicy,
    build_cost_usd: Decimal,
) -> dict[str, Any]:
    """The stage's metrics over its window with warnings and chart figures, as the JSON a
    completed review stores (read it with ``stored.snapshot_read``). ``frames`` may be None
    only when the window is empty (nothing to measure yet).

    Raises:
        ValueError: ``frames`` is None for a window with days to measure.
    """
    start, end = snapshot_window(go_live=go_live, due_date=due_date, as_of=as_of)
    snapshot: dict[str, Any] = {
        "version": SNAPSHOT_VERSION,
        "stage": stage,
        "as_of": as_of.isoformat(),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "warnings": [],
        "charts": {},
    }
    if end < start:
        snapshot["warnings"].append(
            f"The workflow goes live on {start:%d %b %Y}: there is nothing to measure yet."
        )
        snapshot["empty"] = True
        return snapshot
    if frames is None:
        raise ValueError("a window with days to measure needs the review's frames")
    warnings: list[str] = []

    runs = metrics.throughput(frames.runs_daily, start=start, end=end)
    snapshot["throughput"] = runs.as_json()
    snapshot["charts"]["throughput"] = weekly_throughput_figure(runs.weekly)
    warnings += metrics.throughput_warnings(runs, go_live=start, as_of=as_of)

    if stage >= DAY_60:
        conv = metrics.conversion(
            frames.runs_daily, frames.events, kind=CONVERSION_KIND, start=start, end=end
        )
        snapshot["conversion"] = conv.as_json()
        snapshot["charts"]["conversion"] = conversion_figure(
            conv.weekly, "per_run", "Booked calls per trigger"
        )
        warnings += metrics.conversion_warnings(conv, go_live=start, as_of=as_of)

    if stage >= DAY_90:
        pipeline = metrics.attributable_pipeline(
            frames.opportunities, policy=policy, start=start, end=end
        )
        cost = metrics.cost_per_ai_touch(frames.spend, frames.runs_daily, start=start, end=end)
        back = metrics.payback(
            pipeline.daily, build_cost_usd=build_cost_usd, build_date=start, as_of=end
        )
        snapshot["pipeline"] = pipeline.as_json()
        snapshot["cost"] = cost.as_json()
        snapshot["payback"] = back.as_json()
        series = back.series.rename(columns={"cumulative_usd": "cumulative_pipeline_usd"})
        if back.is_projection and back.projected_on and back.average_daily_usd:
            series = with_projection(series, back)
        snapshot["charts"]["payback"] = payback_figure(
            series,
            float(build_cost_usd),
            back.reached_on.isoformat() if back.reached_on else None,
        )
        snapshot["charts"]["cost"] = cost_per_touch_figure(
            cost.monthly.rename(columns={"cost_per_touch_usd": "cost_per_touch"})
        )
        warnings += metrics.revenue_warnings(
            pipeline, go_live=start, as_of=as_of, cost=cost, payback=back
        )
    snapshot["warnings"] = list(dict.fromkeys(warnings))
    return snapshot


def with_projection(series: pd.DataFrame, back: metrics.PaybackResult) -> pd.DataFrame:
    """Extend the cumulative series in a straight line to the projected payback day."""
    last_day = pd.Timestamp(series["day"].iloc[-1]).date() if len(series) else back.build_date
    last_value = float(series["cumulative_pipeline_usd"].iloc[-1]) if len(series) else 0.0
    if back.projected_on is None or back.average_daily_usd is None:
        return series  # nothing projected
    days = max(1, (back.projected_on - last_day).days)
    step = max(1, days // 20)
    rows = [
        {
            "day": last_day + timedelta(days=d),
            "cumulative_pipeline_usd": last_value + d * back.average_daily_usd,
            "projected": True,
        }
        for d in range(0, days + 1, step)
    ]
    actual = series.assign(projected=False)
    return pd.concat([actual, pd.DataFrame(rows)], ignore_index=True)


def snapshot_rows(snapshot: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """Flatten a snapshot's JSON (``ReviewSnapshot.stored``) into (section, metric, value)
    rows for CSV: every number it holds, not only those the page shows."""
    rows: list[tuple[str, str, Any]] = [
        ("review", "as_of", snapshot.get("as_of")),
        ("review", "window", f"{snapshot.get('start')}..{snapshot.get('end')}"),
    ]
    for section in ("throughput", "conversion", "pipeline", "cost", "payback"):
        for key, value in (snapshot.get(section) or {}).items():
            if isinstance(value, dict):
                for sub, inner in value.items():
                    if not isinstance(inner, list | dict):
                        rows.append((section, f"{key}.{sub}", inner))
            elif not isinstance(value, list):
                rows.append((section, key, value))
    rows += [("warnings", str(i + 1), w) for i, w in enumerate(snapshot.get("warnings", []))]
    return rows
