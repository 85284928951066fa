"""Reads of the stored review data: the frames the metrics take, and how much is stored."""

from __future__ import annotations

import pandas as pd
from django.db.models import QuerySet, Sum

from ..models import CandidateWorkflow, DownstreamEvent, Opportunity, RunDay, SpendMonth
from ..reviews.snapshot import ReviewFrames
from .imports.runlog import DAILY_COLUMNS

SPEND_COLUMNS = ("month", "category", "amount_usd")


def runs_daily_frame(runs: QuerySet[RunDay], *, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """The run log's daily sums (``DAILY_COLUMNS``) of ``runs``, after the ``by`` columns
    (e.g. ``("workflow_id",)`` for several workflows at once); the columns even when empty."""
    columns = [*by, *DAILY_COLUMNS]
    return pd.DataFrame.from_records(runs.values(*columns), columns=columns)


def spend_frame(spend: QuerySet[SpendMonth], *, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """AI spend by month and category (``SPEND_COLUMNS``, amount_usd as float USD) of
    ``spend``, after the ``by`` columns; the columns even when empty."""
    columns = [*by, *SPEND_COLUMNS]
    frame = pd.DataFrame.from_records(spend.values(*columns), columns=columns)
    if len(frame):
        frame["amount_usd"] = frame["amount_usd"].astype(float)
    return frame


def review_frames(*, workflow: CandidateWorkflow) -> ReviewFrames:
    """The workflow's stored review data as the metrics take it: runs a day (the days'
    counted source, see ``RunDay.objects.counted``), downstream events (occurred_at as UTC
    datetimes), opportunities and spend (amounts as float USD). Four queries."""
    runs = runs_daily_frame(RunDay.objects.filter(workflow=workflow).counted())
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
    spend = spend_frame(SpendMonth.objects.filter(workflow=workflow))
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
