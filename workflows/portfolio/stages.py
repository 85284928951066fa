"""Where each chosen workflow stands, in words: not planned, building, or live on day N with
its latest completed review.

Pure module: standard library only, no clock (``as_of`` is passed in).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CompletedReview:
    """A completed review as the stage reads it: its day (30, 60, 90) and its labels."""

    stage: int
    stage_label: str  # "Day 30: throughput"
    decision_label: str  # "Keep at 25%"


def workflow_stage(
    *, go_live: date | None, completed: Sequence[CompletedReview], as_of: date
) -> str:
    """The stage of a workflow whose plan goes live on ``go_live`` (None: no plan yet)."""
    if go_live is None:
        return "Not planned yet"
    if as_of < go_live:
        return f"Building: goes live {go_live:%d %b}"
    day = (as_of - go_live).days
    if completed:
        last = max(completed, key=lambda review: review.stage)
        return f"Live, day {day}: {last.stage_label} review done ({last.decision_label.lower()})"
    return f"Live, day {day}"
