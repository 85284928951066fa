"""A run as the ingest API and the n8n pull receive it: checked, canonical, digested.

Pure module: standard library only. The fields are the run log's (PRODUCT.md section 3,
``workflows.data.imports.runlog``): run id, start and end time, status, arm, steps total and
succeeded, AI-driven steps, the step where it stopped, plus an optional cost in USD.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

STATUSES = ("succeeded", "failed", "running")
STATUS_ALIASES = {"success": "succeeded", "ok": "succeeded", "error": "failed", "failure": "failed"}
ARMS = ("orchestrated", "baseline")
ARM_ALIASES = {"orch": "orchestrated", "base": "baseline"}
EVENT_KINDS = ("booked_call", "opportunity", "closed_won")
MAX_STEPS = 10_000
# As for a CSV run log: date-times from 2000-01-01 to a day past now (the caller's clock).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
RUN_ID_CHARS = 100
STEP_CHARS = 200


class RunRefused(ValueError):
    """A run whose fields contradict each other; ``problems`` maps field -> message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class RunRecord:
    """One run: ``started_at``/``ended_at`` aware datetimes (UTC), ``status`` one of
    STATUSES and ``arm`` one of ARMS (canonical spellings), step counts whole numbers,
    ``cost_usd`` a Decimal or None."""

    run_id: str
    started_at: datetime
    ended_at: datetime | None
    status: str
    arm: str
    steps_total: int
    steps_succeeded: int
    ai_steps: int
    stopped_at_step: str = ""
    cost_usd: Decimal | None = None

    @property
    def day(self) -> str:
        """The UTC date of ``started_at`` (ISO), the day the run counts on, as in a CSV."""
        return self.started_at.astimezone(UTC).date().isoformat()


def canonical_choice(value: str, choices: tuple[str, ...], aliases: dict[str, str]) -> str | None:
    """``value`` as one of ``choices`` (case-insensitive, aliases allowed), or None."""
    lowered = value.strip().lower()
    lowered = aliases.get(lowered, lowered)
    return lowered if lowered in choices else None


def run_check(
    *,
    run_id: str,
    started_at: datetime,
    ended_at: datetime | None,
    status: str,
    arm: str,
    steps_total: int,
    steps_succeeded: int,
    ai_steps: int,
    stopped_at_step: str = "",
    cost_usd: Decimal | None = None,
    latest: datetime | None = None,
) -> RunRecord:
    """A RunRecord from received values, or RunRefused naming every bad field: an empty or
    over-long run id, a naive datetime or one before 2000 or after ``latest`` (the caller's
    now plus a day), an end before the start, an unknown status or arm, counts outside
    0..MAX_STEPS or above ``steps_total``, a negative cost."""
    problems: dict[str, str] = {}
    run_id = run_id.strip()
    if not run_id or len(run_id) > RUN_ID_CHARS:
        problems["run_id"] = f"must be 1 to {RUN_ID_CHARS} characters"
    for name, moment in (("started_at", started_at), ("ended_at", ended_at)):
        if moment is not None and moment.utcoffset() is None:
            problems[name] = "must carry a time zone (for example 2026-03-02T09:00:00Z)"
        elif moment is not None and (moment < EARLIEST or (latest is not None and moment > latest)):
            problems[name] = "must fall between 2000-01-01 and tomorrow"
    if (
        ended_at is not None
        and "started_at" not in problems
        and "ended_at" not in problems
        and ended_at < started_at
    ):
        problems["ended_at"] = "is before started_at"
    canonical_status = canonical_choice(status, STATUSES, STATUS_ALIASES)
    if canonical_status is None:
        problems["status"] = "must be one of " + ", ".join(STATUSES)
    canonical_arm = canonical_choice(arm, ARMS, ARM_ALIASES)
    if canonical_arm is None:
        problems["arm"] = "must be one of " + ", ".join(ARMS)
    if not 0 <= steps_total <= MAX_STEPS:
        problems["steps_total"] = f"must be 0 to {MAX_STEPS}"
    for name, value in (("steps_succeeded", steps_succeeded), ("ai_steps", ai_steps)):
        if not 0 <= value <= steps_total:
            problems[name] = "must be 0 to steps_total"
    if len(stopped_at_step) > STEP_CHARS:
        problems["stopped_at_step"] = f"must be at most {STEP_CHARS} characters"
    if cost_usd is not None and (not cost_usd.is_finite() or not 0 <= cost_usd < 10**8):
        problems["cost_usd"] = "must be 0 or more, under 100,000,000"
    if problems:
        raise RunRefused(problems)
    return RunRecord(
        run_id=run_id,
        started_at=started_at.astimezone(UTC),
        ended_at=None if ended_at is None else ended_at.astimezone(UTC),
        status=str(canonical_status),
        arm=str(canonical_arm),
        steps_total=steps_total,
        steps_succeeded=steps_succeeded,
        ai_steps=ai_steps,
        stopped_at_step=stopped_at_step.strip(),
        cost_usd=None if cost_usd is None else cost_usd.quantize(Decimal("0.0001")),
    )


def run_digest(run: RunRecord) -> str:
    """SHA-256 (hex) of the run's canonical fields: equal digests mean the same run, sent
    again; the same run id with another digest is a conflict. Times compare as instants
    (UTC, microseconds), so "+01:00" and "Z" spellings of one moment are the same run."""
    fields = {
        "run_id": run.run_id,
        "started_at": run.started_at.astimezone(UTC).isoformat(),
        "ended_at": None if run.ended_at is None else run.ended_at.astimezone(UTC).isoformat(),
        "status": run.status,
        "arm": run.arm,
        "steps_total": run.steps_total,
        "steps_succeeded": run.steps_succeeded,
        "ai_steps": run.ai_steps,
        "stopped_at_step": run.stopped_at_step,
        "cost_usd": None if run.cost_usd is None else str(run.cost_usd),
    }
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
