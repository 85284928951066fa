"""The portfolio: every chosen workflow's stage, reusable components, and cost per AI touch
across the portfolio over time (a fixed number of queries whatever the number of workflows)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.models import Organization

from ..data.imports.runlog import DAILY_COLUMNS
from ..data.selectors import SPEND_COLUMNS
from ..models import CandidateWorkflow, Plan, Review, RunDay, SpendMonth, Step, WorkflowMap
from ..reviews.charts import FONT
from .cost_cache import workflow_cost_cached
from .stages import CompletedReview, workflow_stage


@dataclass(frozen=True)
class PortfolioRow:
    workflow: CandidateWorkflow
    stage: str
    cost_per_touch_usd: float | None
    ai_steps: int
    components: tuple[str, ...]


def _stage(plan: Plan | None, reviews: list[Review], as_of: date) -> str:
    return workflow_stage(
        go_live=plan.go_live_date if plan else None,
        completed=[
            CompletedReview(r.stage, r.get_stage_display(), r.get_decision_display())
            for r in reviews
            if r.completed_at
        ],
        as_of=as_of,
    )


def portfolio_get(
    *, organization: Organization, as_of: date
) -> tuple[list[PortfolioRow], dict[str, Any]]:
    """Rows for the chosen workflows (portfolio position set) and the cost-per-touch chart."""
    workflows = list(
        CandidateWorkflow.objects.for_organization(organization)
        .filter(portfolio_position__isnull=False)
        .order_by("portfolio_position")
    )
    ids = [w.pk for w in workflows]
    plans = {p.workflow_id: p for p in Plan.objects.filter(workflow_id__in=ids)}
    reviews: dict[int, list[Review]] = defaultdict(list)
    for review in Review.objects.filter(workflow_id__in=ids).defer("frozen"):  # stages only
        reviews[review.workflow_id].append(review)
    components: dict[int, set[str]] = defaultdict(set)
    for workflow_id, component in (
        Step.objects.filter(map__workflow_id__in=ids, map__kind=WorkflowMap.Kind.FUTURE)
        .exclude(component="")
        .values_list("map__workflow_id", "component")
    ):
        components[workflow_id].add(Step.Component(component).label)
    runs: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for workflow_id, *values in (
        RunDay.objects.filter(workflow_id__in=ids)
        .counted()
        .order_by("workflow_id", "day", "pk")
        .values_list("workflow_id", *DAILY_COLUMNS)
    ):
        runs[workflow_id].append(tuple(values))
    spend: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for workflow_id, *values in (
        SpendMonth.objects.filter(workflow_id__in=ids)
        .order_by("workflow_id", "month", "pk")
        .values_list("workflow_id", *SPEND_COLUMNS)
    ):
        spend[workflow_id].append(tuple(values))
    rows, traces = [], []
    for workflow in workflows:
        plan = plans.get(workflow.pk)
        cost = None
        if plan is not None and runs.get(workflow.pk) and as_of >= plan.go_live_date:
            cost = workflow_cost_cached(
                workflow_id=workflow.pk,
                go_live_date=plan.go_live_date,
                as_of=as_of,
                runs=runs[workflow.pk],
                spend=spend.get(workflow.pk, []),
            )
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": workflow.name[:40],
                    "x": list(cost.months),
                    "y": list(cost.monthly_usd),
                }
            )
        rows.append(
            PortfolioRow(
                workflow=workflow,
                stage=_stage(plan, reviews.get(workflow.pk, []), as_of),
                cost_per_touch_usd=cost.cost_per_touch_usd if cost else None,
                ai_steps=cost.ai_steps if cost else 0,
                components=tuple(sorted(components.get(workflow.pk, ()))),
            )
        )
    chart = {
        "data": traces,
        "layout": {
            "height": 320,
            "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
            "font": FONT,
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "yaxis": {"title": {"text": "USD per AI touch"}, "rangemode": "tozero"},
            "xaxis": {"type": "date"},
            "legend": {"orientation": "h", "y": -0.2},
        },
    }
    return rows, chart
