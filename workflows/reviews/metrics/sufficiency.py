"""Whether each review's metrics can defend themselves yet, as plain-English warnings.

Pure module: stdlib only, no Django, no clock (``as_of`` is "today"). PRODUCT.md section 3:
"Each metric is shown only when its data can defend it: the 3 revenue metrics before day 90,
or on too few runs, come with a plain warning." Each function returns a tuple of warning
sentences (str), empty when the metric can be shown without one. The thresholds:

- every review: not before its day (30, 60 or 90 days after go-live);
- throughput (day 30): at least MIN_RUNS_PER_ARM (30) runs in each arm; 29 warns, 30 does not;
- conversion (day 60): at least MIN_EVENTS_PER_ARM (20) events of the kind in each arm (the
  log rate ratio's interval rests on the smaller count), and runs in both arms;
- revenue (day 90): at least MIN_CREDITED_OPPORTUNITIES (5) opportunities earning AI credit,
  and each metric's window at least MIN_REVENUE_WINDOW_DAYS (90) days; a cost per AI touch
  without AI-driven steps and a payback that is only a projection are said so.
"""

from __future__ import annotations

from datetime import date, timedelta

from workflows.reviews.metrics._common import plural
from workflows.reviews.metrics.conversion import KIND_WORDS, ConversionResult
from workflows.reviews.metrics.cost import CostPerTouchResult
from workflows.reviews.metrics.payback import PaybackResult
from workflows.reviews.metrics.revenue import PipelineResult
from workflows.reviews.metrics.throughput import ThroughputResult

THROUGHPUT_REVIEW_DAY = 30
CONVERSION_REVIEW_DAY = 60
REVENUE_REVIEW_DAY = 90

MIN_RUNS_PER_ARM = 30
MIN_EVENTS_PER_ARM = 20
MIN_CREDITED_OPPORTUNITIES = 5
MIN_REVENUE_WINDOW_DAYS = 90


def throughput_warnings(result: ThroughputResult, *, go_live: date, as_of: date) -> tuple[str, ...]:
    """Warnings for the day-30 throughput comparison: too early, or under 30 runs in an arm."""
    warnings = list(
        _too_early("the throughput comparison is", THROUGHPUT_REVIEW_DAY, go_live, as_of)
    )
    for arm in (result.orchestrated, result.baseline):
        if arm.runs < MIN_RUNS_PER_ARM:
            warnings.append(
                f"{_only(arm.runs, f'{arm.arm} run', f'{arm.arm} runs')}: the throughput "
                f"comparison needs at least {MIN_RUNS_PER_ARM} in each arm."
            )
    return tuple(warnings)


def conversion_warnings(result: ConversionResult, *, go_live: date, as_of: date) -> tuple[str, ...]:
    """Warnings for the day-60 conversion comparison: too early, an arm without runs, or
    under 20 events of the kind in an arm."""
    warnings = list(
        _too_early("the conversion comparison is", CONVERSION_REVIEW_DAY, go_live, as_of)
    )
    one, many = KIND_WORDS[result.kind]
    for arm in (result.orchestrated, result.baseline):
        if arm.runs == 0:
            warnings.append(f"No {arm.arm} runs: conversion per trigger needs runs in both arms.")
        elif arm.events < MIN_EVENTS_PER_ARM:
            warnings.append(
                f"{_only(arm.events, f'{arm.arm} {one}', f'{arm.arm} {many}')}: the conversion "
                f"comparison needs at least {MIN_EVENTS_PER_ARM} in each arm."
            )
    return tuple(warnings)


def revenue_warnings(
    pipeline: PipelineResult,
    *,
    go_live: date,
    as_of: date,
    cost: CostPerTouchResult | None = None,
    payback: PaybackResult | None = None,
) -> tuple[str, ...]:
    """Warnings for the day-90 revenue metrics: too early, under 5 opportunities earning AI
    credit, a window under 90 days, no AI-driven steps, or a payback that is a projection."""
    warnings = list(_too_early("the revenue metrics are", REVENUE_REVIEW_DAY, go_live, as_of))
    credited = pipeline.credited_opportunities
    if credited < MIN_CREDITED_OPPORTUNITIES:
        earn = "earns" if credited == 1 else "earn"
        warnings.append(
            f"{_only(credited, 'opportunity', 'opportunities')} {earn} AI credit: the "
            f"AI-attributable pipeline needs at least {MIN_CREDITED_OPPORTUNITIES}."
        )
    windows = [("AI-attributable pipeline", pipeline.start, pipeline.end)]
    if cost is not None:
        windows.append(("cost per AI touch", cost.start, cost.end))
    for metric, start, end in windows:
        days = (end - start).days + 1
        if days < MIN_REVENUE_WINDOW_DAYS:
            warnings.append(
                f"The {metric} covers only {plural(days, 'day')}: revenue metrics need at "
                f"least {MIN_REVENUE_WINDOW_DAYS}."
            )
    if cost is not None and cost.cost_per_touch_usd is None:
        warnings.append(f"No cost per AI touch yet. {cost.reason}")
    if payback is not None and payback.is_projection:
        if payback.projected_days is None:
            warnings.append(f"The build has not paid back yet. {payback.reason}")
        else:
            warnings.append(
                f"The payback period of {plural(payback.projected_days, 'day')} is a "
                "projection, not a result: the build has not paid back yet."
            )
    return tuple(warnings)


def _too_early(subject: str, review_day: int, go_live: date, as_of: date) -> tuple[str, ...]:
    day = (as_of - go_live).days
    if day >= review_day:
        return ()
    due = (go_live + timedelta(days=review_day)).isoformat()
    if day < 0:
        return (
            f"The workflow has not gone live yet: {subject} not defensible before the "
            f"day-{review_day} review ({due}).",
        )
    return (
        f"It is day {day} after go-live: {subject} not defensible before the "
        f"day-{review_day} review ({due}).",
    )


def _only(count: int, one: str, many: str) -> str:
    """``No baseline runs``, ``Only 1 baseline run``, ``Only 12 baseline runs``."""
    if count == 0:
        return f"No {many}"
    return f"Only {count} {one if count == 1 else many}"
