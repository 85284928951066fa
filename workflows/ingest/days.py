"""Where each day's runs come from, and the live days' aggregates.

The rule (shown on the data page too): **one source per day, live first.**

- Runs that arrive live (pushed to the ingest API, or pulled from n8n) are kept one row per
  run (``IngestedRun``); the day-30 review reads daily aggregates (``RunDay``), and a day's
  LIVE aggregates are derived from its live runs again whenever one arrives
  (``live_days_refresh``). A day is the UTC date of a run's start, as in a CSV run log.
- A CSV run log upload replaces the CSV aggregates of the days it covers and never touches
  live runs or their aggregates.
- A day with at least one live run counts its live runs only; the CSV rows of that day stay
  stored but are not counted (``RunDay.objects.counted()``), and the data page says so. So
  a run that came both live and in a CSV is never counted twice, in either order, and
  nothing that arrived through the API is wiped by an upload. A day without live runs
  counts the last CSV uploaded for it.

So upload CSVs for the days before pushing or pulling began; from the first live run of a
day on, that day is live.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate

from ..models import CandidateWorkflow, IngestedRun, RunDay, RunSource


def live_days_refresh(*, workflow: CandidateWorkflow, days: Iterable[date]) -> None:
    """Derive the LIVE ``RunDay`` rows of ``days`` from the workflow's ``IngestedRun`` rows
    again (grouped by day, arm, status and stop step, as a CSV's are). Call inside the
    transaction that stored the runs, holding the workflow's row lock."""
    days = sorted(set(days))
    if not days:
        return
    RunDay.objects.filter(workflow=workflow, source=RunSource.LIVE, day__in=days).delete()
    grouped = (
        IngestedRun.objects.filter(workflow=workflow)
        .annotate(run_day=TruncDate("started_at", tzinfo=UTC))
        .filter(run_day__in=days)
        .values("run_day", "arm", "status", "stopped_at_step")
        .annotate(
            runs=Count("pk"),
            ai=Sum("ai_steps"),
            total=Sum("steps_total"),
            succeeded=Sum("steps_succeeded"),
        )
        .order_by()
    )
    RunDay.objects.bulk_create(
        RunDay(
            workflow=workflow,
            source=RunSource.LIVE,
            day=row["run_day"],
            arm=row["arm"],
            status=row["status"],
            stopped_at_step=row["stopped_at_step"],
            runs=row["runs"],
            ai_steps=row["ai"],
            steps_total=row["total"],
            steps_succeeded=row["succeeded"],
        )
        for row in grouped
    )


@dataclass(frozen=True)
class DaySource:
    """One day as the data page shows it: the source counted, the runs counted, and the
    CSV runs stored for that day but not counted (a live day's)."""

    day: date
    source: str
    counted_runs: int
    csv_runs_not_counted: int

    @property
    def source_label(self) -> str:
        return RunSource(self.source).label


def day_sources(*, workflow: CandidateWorkflow, limit: int = 14) -> list[DaySource]:
    """The last ``limit`` days with runs, newest first, each with its source (one query)."""
    rows = (
        RunDay.objects.filter(workflow=workflow)
        .values("day", "source")
        .annotate(runs=Sum("runs"))
        .order_by("-day")
    )
    by_day: dict[date, dict[str, int]] = {}
    for row in rows:
        if row["day"] not in by_day and len(by_day) == limit:
            break
        by_day.setdefault(row["day"], {})[row["source"]] = row["runs"]
    result = []
    for day, runs in by_day.items():
        live = runs.get(RunSource.LIVE)
        csv = runs.get(RunSource.CSV, 0)
        if live is not None:
            result.append(DaySource(day, RunSource.LIVE, live, csv))
        else:
            result.append(DaySource(day, RunSource.CSV, csv, 0))
    return result


def live_days_among(*, workflow: CandidateWorkflow, days: Iterable[date]) -> list[date]:
    """Which of ``days`` are live days (their CSV rows are not counted)."""
    return sorted(
        RunDay.objects.filter(workflow=workflow, source=RunSource.LIVE, day__in=list(days))
        .values_list("day", flat=True)
        .distinct()
    )
