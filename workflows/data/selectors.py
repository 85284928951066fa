"""Reads of the stored review data: the frames the metrics take, and how much is stored."""

from __future__ import annotations

import pandas as pd
from django.db.models import Sum

from ..models import CandidateWorkflow, DownstreamEvent, Opportunity, RunDay, SpendMonth
from ..reviews.snapshot import ReviewFrames
from .imports.runlog import DAILY_COLUMNS


def review_frames(*, workflow: CandidateWorkflow) -> ReviewFrames:
    runs = pd.DataFrame.from_records(
        RunDay.objects.filter(workflow=workflow).counted().values(*DAILY_COLUMNS),
        columns=list(DAILY_COLUMNS),
    )
    events = pd.DataFrame.from_records(
        DownstreamEvent.objects.filter(workflow=workflow).values("occurred_at", "kind", "arm"),
        columns=["occurred_at", "kind", "arm"],
    )
    if len(events):
        events["occurred_at"] = pd.to_datetime(events["occurred_at"], utc=True)
    opportunity_columns = [
        "opportunity_id",
        "created_date",
        "amount_usd",
        "ai_flag",
        "touch_date",
        "stage",
    ]
    opportunities = pd.DataFrame.from_records(
        Opportunity.objects.filter(workflow=workflow).values(*opportunity_columns),
        columns=opportunity_columns,
    )
    if len(opportunities):
        opportunities["amount_usd"] = opportunities["amount_usd"].astype(float)
    spend = pd.DataFrame.from_records(
        SpendMonth.objects.filter(workflow=workflow).values("month", "category", "amount_usd"),
        columns=["month", "category", "amount_usd"],
    )
    if len(spend):
        spend["amount_usd"] = spend["amount_usd"].astype(float)
    return ReviewFrames(runs, events, opportunities, spend)


def data_counts(*, workflow: CandidateWorkflow) -> dict[str, int]:
    """How much review data is stored: runs, events, opportunities, months of spend."""
    return {
        "runs": RunDay.objects.filter(workflow=workflow).counted().aggregate(n=Sum("runs"))["n"]
        or 0,
        "events": DownstreamEvent.objects.filter(workflow=workflow).count(),
        "opportunities": Opportunity.objects.filter(workflow=workflow).count(),
        "spend_months": SpendMonth.objects.filter(workflow=workflow)
        .values("month")
        .distinct()
        .count(),
    }
