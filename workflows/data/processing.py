"""The background import of an upload: parse, store, record progress and failures.

Called by ``workflows.tasks`` (and the pages that show imports, for the stale sweep).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from decimal import Decimal

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..ingest.days import live_days_among
from ..models import (
    CandidateWorkflow,
    DataImport,
    DownstreamEvent,
    Opportunity,
    RunDay,
    RunSource,
    SpendMonth,
)
from .imports import CsvBytes, CsvImportError, ImportSettings, read_upload_utf8
from .imports.preview import parse_upload
from .imports.runlog import DAILY_COLUMNS

logger = logging.getLogger(__name__)


STALLED_MESSAGE = (
    "The import stopped before it finished (its worker was interrupted). Nothing from this "
    "file was stored. Retry it."
)


def _progress(data_import: DataImport, percent: int) -> None:
    """Record progress; ``updated_at`` is the heartbeat that tells a live import from one
    whose worker died (``data_imports_expire_stale``)."""
    DataImport.objects.filter(pk=data_import.pk).update(
        progress=percent, status=DataImport.Status.PROCESSING, updated_at=timezone.now()
    )


def data_import_process(*, data_import: DataImport, as_of: date) -> None:
    """Parse and store one upload. Idempotent: a finished import is left alone. A file with
    any bad row stores nothing and lists every bad row with its line number (a failure of
    kind INVALID, which retrying cannot fix). Any other exception propagates to the task,
    which retries transient errors and records the rest with ``data_import_fail``; storing
    is one transaction per import, so nothing is half-stored either way."""
    if data_import.status not in (DataImport.Status.QUEUED, DataImport.Status.PROCESSING):
        return  # finished, failed, or not confirmed yet
    _progress(data_import, 5)
    try:
        with data_import.file.open("rb") as handle:
            raw = handle.read(settings.DATA_IMPORT_MAX_BYTES + 1)
        upload = read_upload_utf8(raw, max_bytes=settings.DATA_IMPORT_MAX_BYTES)
        _progress(data_import, 25)
        rows, note = _parse_and_store(data_import, upload, as_of)
    except CsvImportError as exc:
        DataImport.objects.filter(pk=data_import.pk).update(
            status=DataImport.Status.FAILED,
            failure=DataImport.Failure.INVALID,
            progress=100,
            message=str(exc)[:500],
            problems=[
                {"line": p.line, "column": p.column, "message": p.message}
                for p in exc.problems[:200]
            ],
            updated_at=timezone.now(),
        )
        return
    DataImport.objects.filter(pk=data_import.pk).update(
        status=DataImport.Status.DONE,
        progress=100,
        row_count=rows,
        message=note[:500],
        failure="",
        updated_at=timezone.now(),
    )


def data_import_fail(
    *, import_id: int, reason: str, failure: str = DataImport.Failure.ERROR
) -> None:
    """Mark an import failed with a plain reason (unless it finished meanwhile)."""
    DataImport.objects.filter(pk=import_id).exclude(status=DataImport.Status.DONE).update(
        status=DataImport.Status.FAILED,
        failure=failure,
        progress=100,
        message=reason[:500],
        problems=[],
        updated_at=timezone.now(),
    )


def data_import_wait_for_retry(*, import_id: int, reason: str) -> None:
    """A transient error: the task will run again shortly; say so on the import's row."""
    DataImport.objects.filter(pk=import_id, status=DataImport.Status.PROCESSING).update(
        status=DataImport.Status.QUEUED, progress=0, message=reason[:500], updated_at=timezone.now()
    )


def data_imports_expire_stale(*, now: datetime, workflow: CandidateWorkflow | None = None) -> int:
    """Mark failed (STALLED, retryable) the imports "processing" with no progress for
    DATA_IMPORT_STALE_SECONDS: their worker died or was killed. Returns how many.

    Called by the beat sweep and by the pages that show imports, since beat does not run in
    the embedded default. A read that records this is still safe: the update is conditional
    and idempotent, and states a fact the row had already become (nothing is running it).
    """
    cutoff = now - timedelta(seconds=settings.DATA_IMPORT_STALE_SECONDS)
    stale = DataImport.objects.filter(status=DataImport.Status.PROCESSING, updated_at__lt=cutoff)
    if workflow is not None:
        stale = stale.filter(workflow=workflow)
    return stale.update(
        status=DataImport.Status.FAILED,
        failure=DataImport.Failure.STALLED,
        progress=100,
        message=STALLED_MESSAGE,
        problems=[],
        updated_at=now,
    )


def _parse_and_store(data_import: DataImport, upload: CsvBytes, as_of: date) -> tuple[int, str]:
    """Store the parsed rows; the row count and a note for the import's row ("" or which
    days of a run log count live runs instead)."""
    workflow = data_import.workflow
    note = ""
    parsed = parse_upload(
        data_import.kind,
        upload,
        ImportSettings.from_json(data_import.options),
        as_of=as_of,
        legacy_preset=ImportSettings.legacy_preset(data_import.options),
    )
    _progress(data_import, 60)
    frame = parsed.rows
    if parsed.run_log is not None:
        note = run_days_store(workflow=workflow, daily=parsed.run_log.daily)
    elif parsed.kind == DataImport.Kind.EVENTS:
        _upsert(
            DownstreamEvent,
            workflow,
            ["event_id"],
            [
                DownstreamEvent(
                    workflow=workflow,
                    event_id=str(r.event_id)[:100],
                    occurred_at=r.occurred_at.to_pydatetime(),
                    kind=r.kind,
                    arm=r.arm,
                    run_id=str(r.run_id or "")[:100],
                )
                for r in frame.itertuples()
            ],
            ["occurred_at", "kind", "arm", "run_id"],
        )
    elif parsed.kind == DataImport.Kind.OPPORTUNITIES:
        _upsert(
            Opportunity,
            workflow,
            ["opportunity_id"],
            [
                Opportunity(
                    workflow=workflow,
                    opportunity_id=str(r.opportunity_id)[:100],
                    created_date=r.created_date,
                    amount_usd=Decimal(str(round(float(r.amount_usd), 2))),
                    ai_flag=r.ai_flag,
                    touch_date=None if pd.isna(r.touch_date) else r.touch_date,
                    stage=r.stage,
                    crm_stage=str(r.crm_stage)[:100],
                    close_date=None if pd.isna(r.close_date) else r.close_date,
                )
                for r in frame.itertuples()
            ],
            _opportunity_updates(parsed.carried),
        )
    else:
        _upsert(
            SpendMonth,
            workflow,
            ["month", "category"],
            [
                SpendMonth(
                    workflow=workflow,
                    month=r.month,
                    category=r.category,
                    amount_usd=Decimal(str(round(float(r.amount_usd), 2))),
                )
                for r in frame.itertuples()
            ],
            ["amount_usd"],
        )
    return parsed.row_count, note


# An optional opportunity column the file does not carry keeps what is stored: a later
# report without stages must not reopen every won deal.
_OPTIONAL_OPPORTUNITY_COLUMNS = {
    "ai_flag": ("ai_flag",),
    "touch_date": ("touch_date",),
    "stage": ("stage", "crm_stage"),
    "is_won": ("stage", "crm_stage"),
    "close_date": ("close_date",),
}


def _opportunity_updates(carried: frozenset[str] | None) -> list[str]:
    """The columns an opportunity upload overwrites on rows it already holds."""
    updates = ["created_date", "amount_usd"]
    for field, columns in _OPTIONAL_OPPORTUNITY_COLUMNS.items():
        if carried is None or field in carried:
            updates += [c for c in columns if c not in updates]
    return updates


@transaction.atomic
def run_days_store(*, workflow: CandidateWorkflow, daily: pd.DataFrame) -> str:
    """Store a run log's day aggregates (``RunLogImport.daily``, whose ``day`` holds
    ``datetime.date`` values and whose columns are DAILY_COLUMNS: one RunDay per row).

    A run log replaces the CSV rows of the days it covers: re-uploading the same runs
    never doubles them. Live runs are never touched, and on a day that has any, the file's
    rows are kept but not counted (``workflows.ingest.days``). Returns "" or a note for the
    import's row saying which days those are."""
    # Whole columns as Python values (dates, str, int) at once: a row at a time through
    # itertuples and pd.Timestamp cost more than the INSERT.
    values = [daily[name].tolist() for name in DAILY_COLUMNS]
    days = sorted(set(values[0]))
    if days:
        RunDay.objects.filter(workflow=workflow, day__in=days, source=RunSource.CSV).delete()
    RunDay.objects.bulk_create(
        [
            RunDay(
                workflow=workflow,
                day=day,
                arm=arm,
                status=status,
                stopped_at_step=str(step)[:200],
                runs=runs,
                ai_steps=ai_steps,
                steps_total=steps_total,
                steps_succeeded=steps_succeeded,
            )
            for (day, arm, status, step, runs, ai_steps, steps_total, steps_succeeded) in zip(
                *values, strict=True
            )
        ],
        batch_size=2000,
    )
    live = live_days_among(workflow=workflow, days=days)
    if not live:
        return ""
    shown = ", ".join(day.isoformat() for day in live[:5]) + (" ..." if len(live) > 5 else "")
    return (
        f"{len(live)} of the file's days already have live runs ({shown}): the file's rows "
        "for those days are kept but not counted, so no run is counted twice."
    )


@transaction.atomic
def _upsert(model, workflow, keys, objects, update_fields) -> None:
    model.objects.bulk_create(
        objects,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["workflow", *keys],
        update_fields=update_fields,
    )
