"""A review's snapshot from the database: live before completion, frozen after. The maths
is ``snapshot`` (pure) and the reading of the stored JSON ``stored`` (pure); this module
loads what they need."""

from __future__ import annotations

from datetime import date

from ..data.selectors import review_frames
from ..models import Plan, Review
from . import metrics
from .cfo_selectors import cfo_sections
from .snapshot import ReviewFrames, review_snapshot_compute, snapshot_window
from .stored import ReviewSnapshot, snapshot_read


def review_snapshot(
    *, review: Review, plan: Plan, as_of: date, frames: ReviewFrames | None = None
) -> ReviewSnapshot:
    """Compute the stage's metrics over go-live .. min(as_of, due date), with warnings and
    chart figures, and the CFO sections. Four queries unless ``frames`` is given (none
    before go-live); ``.stored`` is the versioned JSON a completion freezes."""
    start, end = snapshot_window(go_live=plan.go_live_date, due_date=review.due_date, as_of=as_of)
    if frames is None and end >= start:
        frames = review_frames(workflow=review.workflow)
    snapshot = review_snapshot_compute(
        stage=review.stage,
        go_live=plan.go_live_date,
        due_date=review.due_date,
        as_of=as_of,
        frames=frames,
        policy=metrics.CreditPolicy(
            assisted=plan.assisted_credit, half_life_days=plan.half_life_days
        ),
        build_cost_usd=plan.build_cost_usd,
    )
    if snapshot.get("empty") or frames is None:
        return snapshot_read(snapshot)
    # The CFO-grade sections: baseline, effects by design, risk-adjusted ranges, NPV.
    cfo, cfo_warnings = cfo_sections(
        review=review, plan=plan, as_of=as_of, start=start, end=end, frames=frames
    )
    snapshot["charts"].update(cfo.pop("cfo_charts"))
    snapshot.update(cfo)
    snapshot["warnings"] = list(dict.fromkeys([*snapshot["warnings"], *cfo_warnings]))
    return snapshot_read(snapshot)


def review_display(*, review: Review, plan: Plan | None, as_of: date) -> ReviewSnapshot | None:
    """The frozen snapshot of a completed review (read by the reader of its version), else
    a live one (None without a plan)."""
    if review.frozen:
        return snapshot_read(review.frozen)
    if plan is None:
        return None
    return review_snapshot(review=review, plan=plan, as_of=as_of)
