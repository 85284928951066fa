"""The CFO-grade sections of a review snapshot (issue 17): baseline, effects by design,
risk-adjusted revenue, NPV, payback range and the cost-per-touch trend.

Reads only: the pure ``metrics`` modules do the arithmetic. ``review_snapshot`` merges
``cfo_sections`` into its snapshot, so a completed review freezes these numbers with the rest.
A review frozen before these sections existed has none of their keys; the page and the board
report then say "not computed then".
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from benchmark.selectors import organization_score_get

from ..data.selectors import ReviewFrames, review_frames
from ..models import CandidateWorkflow, Opportunity, Plan, Review
from . import metrics
from .cfo_charts import cost_trend_figure, pre_trend_figure
from .metrics import effects, risk, sequential
from .metrics.npv import spend_per_day, workflow_npv
from .metrics.trend import cost_per_touch_by_review

UNKNOWN_ANSWERS = (None, "unknown", "dont_know", "idk")


def baseline_get(*, plan: Plan, frames: ReviewFrames) -> dict[str, Any]:
    """The plan's frozen baseline, or one computed now from the data (``frozen`` False)."""
    if plan.baseline is not None:
        return _frozen_baseline(plan)
    live = metrics.compute_baseline(frames.runs_daily, frames.events, go_live=plan.go_live_date)
    return {**live.as_json(), "frozen": False, "frozen_at": None}


def _frozen_baseline(plan: Plan) -> dict[str, Any]:
    return {
        **(plan.baseline or {}),
        "frozen": True,
        "frozen_at": plan.baseline_frozen_at.isoformat() if plan.baseline_frozen_at else None,
    }


def plan_baseline_get(*, plan: Plan, workflow: CandidateWorkflow) -> dict[str, Any]:
    """``baseline_get`` for the plan page of ``workflow``, reading its stored review data
    (four queries) only when the baseline is not frozen yet: a frozen one needs none."""
    if plan.baseline is not None:
        return _frozen_baseline(plan)
    return baseline_get(plan=plan, frames=review_frames(workflow=workflow))


def baseline_status(baseline: dict[str, Any]) -> str:
    if not baseline.get("weeks"):
        return risk.BASELINE_MISSING
    return risk.BASELINE_SHORT if baseline.get("too_short") else risk.BASELINE_OK


def unknown_share_get(*, plan: Plan) -> float | None:
    """The share of the organization's self-score answers that were "I don't know" (None
    without a self-score)."""
    score = organization_score_get(organization=plan.organization)
    if score is None:
        return None
    answers = score.response.answers or {}
    if not answers:
        return None
    unknown = sum(1 for value in answers.values() if value in UNKNOWN_ANSWERS)
    return unknown / len(answers)


def cfo_sections(
    *,
    review: Review,
    plan: Plan,
    as_of: date,
    start: date,
    end: date,
    frames: ReviewFrames,
) -> tuple[dict[str, Any], list[str]]:
    """The snapshot's CFO sections and their warnings over start..end (go-live .. the end of
    the review's window)."""
    sections: dict[str, Any] = {}
    warnings: list[str] = []
    charts: dict[str, Any] = {}
    baseline = baseline_get(plan=plan, frames=frames)
    sections["baseline"] = baseline
    if baseline.get("reason"):
        warnings.append(baseline["reason"])

    day = int(review.stage)
    found: dict[str, Any] = {
        "scale": effects.EFFECT_SCALE,
        "sequential_method": sequential.SEQUENTIAL_METHOD,
        "look": sequential.look_number(day),
        "z": round(sequential.look_boundary(day), 4),
    }
    has_baseline_arm = bool(
        len(frames.runs_daily)
        and (
            (pd.to_datetime(frames.runs_daily["day"]) >= pd.Timestamp(start))
            & (frames.runs_daily["arm"] == metrics.BASELINE)
        ).any()
    )
    if plan.arms_randomized and has_baseline_arm:
        found["randomized"] = effects.arm_effects(
            frames.runs_daily,
            frames.events,
            weekday_runs=tuple(baseline.get("weekday_runs") or ()) or None,
            weekday_per_run=tuple(baseline.get("weekday_per_run") or ()) or None,
            start=start,
            end=end,
            review_day=day,
        )
    else:
        found["randomized"] = None
        found["randomized_reason"] = (
            "The plan says week 3 did not route traffic at random: the arms are not an experiment."
            if not plan.arms_randomized
            else "No baseline-arm runs after go-live: there is no randomized arm to compare."
        )
    comparison = plan.comparison_workflow
    if comparison is not None and baseline.get("weeks"):
        other = review_frames(workflow=comparison)
        weeks = int(baseline["weeks"])
        treated = effects.weekly_series(
            frames.runs_daily, frames.events, go_live=start, pre_weeks=weeks, end=end
        )
        control = effects.weekly_series(
            other.runs_daily, other.events, go_live=start, pre_weeks=weeks, end=end
        )
        found["did"] = effects.did_effects(
            treated, control, comparison_name=comparison.name, review_day=day
        )
        for metric, column, title in (
            (effects.THROUGHPUT, "runs", "Runs a week"),
            (effects.CONVERSION, "per_run", "Booked calls per run"),
        ):
            effect = found["did"].get(metric)
            if not effect:
                continue
            charts[f"pretrend_{metric}"] = pre_trend_figure(
                found["did"]["weekly"]["treated"],
                found["did"]["weekly"]["comparison"],
                column=column,
                y_title=title,
                comparison_name=comparison.name,
                go_live=start.isoformat(),
            )
            trends = effect.get("pre_trends")
            if trends and trends["diverge"]:
                warnings.append(trends["message"])
    else:
        found["did"] = None
        found["did_reason"] = (
            "Name a comparison series on the plan (another workflow the change did not touch) "
            "for a difference-in-differences."
            if comparison is None
            else "No pre-period: a difference-in-differences needs weeks before go-live."
        )
    if found["randomized"] is None and found["did"] is None:
        warnings.append(
            "No design supports an effect yet: the arms were not randomized and no comparison "
            "series is named. A before/after change alone cannot say it would not have "
            "happened anyway."
        )
    sections["effects"] = found

    if review.stage >= Review.Stage.DAY_90:
        sections.update(
            _revenue_sections(plan=plan, frames=frames, baseline=baseline, start=start, end=end)
        )
        charts["cost_trend"] = cost_trend_figure(sections["cost_trend"]["windows"])
    sections["cfo_charts"] = charts
    return sections, warnings


def _revenue_sections(
    *, plan: Plan, frames: ReviewFrames, baseline: dict[str, Any], start: date, end: date
) -> dict[str, Any]:
    policy = metrics.CreditPolicy(assisted=plan.assisted_credit, half_life_days=plan.half_life_days)
    pipeline = metrics.attributable_pipeline(
        frames.opportunities, policy=policy, start=start, end=end
    )
    adjustment = risk.risk_adjustment(
        credited_opportunities=pipeline.credited_opportunities,
        window_days=(end - start).days + 1,
        unknown_share=unknown_share_get(plan=plan),
        baseline=baseline_status(baseline),
    )
    scenarios, se = risk.pipeline_range(pipeline, adjustment)
    measured = pipeline.attributable_usd
    paybacks = risk.payback_range(
        pipeline.daily,
        scenarios,
        measured,
        build_cost_usd=plan.build_cost_usd,
        build_date=start,
        as_of=end,
    )
    closes = dict(
        Opportunity.objects.filter(workflow=plan.workflow, stage=Opportunity.Stage.WON).values_list(
            "opportunity_id", "close_date"
        )
    )
    breakdown = pipeline.breakdown
    won_rows = breakdown[breakdown["stage"] == "won"]
    won = pd.DataFrame(
        {
            "close_date": [
                closes.get(oid) or created
                for oid, created in zip(
                    won_rows["opportunity_id"], won_rows["created_date"], strict=True
                )
            ],
            "attributed_usd": won_rows["attributed_usd"].astype("float64"),
        }
    )
    factors = {name: scenarios.factor(name, measured) for name in risk.SCENARIOS}
    value = workflow_npv(
        won,
        spend_per_day(frames.spend, start=start, end=end),
        build_cost_usd=plan.build_cost_usd,
        go_live=start,
        as_of=end,
        discount_rate=float(plan.discount_rate),
        gross_margin=float(plan.gross_margin),
        factors=factors,
    )
    return {
        "risk": adjustment.as_json(),
        "pipeline_range": {
            **scenarios.as_json(),
            "standard_error": round(se, 2),
            "open_usd": round(pipeline.open_usd, 2),
            "won_usd": round(pipeline.won_usd, 2),
            "lost_usd": round(pipeline.lost_usd, 2),
        },
        "payback_range": paybacks.as_json(),
        "npv": value.as_json(),
        "cost_trend": cost_per_touch_by_review(
            frames.spend, frames.runs_daily, go_live=start, as_of=end
        ),
    }
