"""Writes for the reviews: remind their owners, complete (freeze) them."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse

from core.links import absolute_url
from core.mail import mail_send
from core.text import one_line

from ..data.selectors import review_frames
from ..models import Plan, Review
from .metrics import compute_baseline
from .selectors import review_snapshot

logger = logging.getLogger(__name__)
REMINDER_LEAD = timedelta(days=3)


def review_reminders_send(*, now: datetime) -> int:
    """Email each owner of a review due within 3 days, once: the reminder is claimed with a
    conditional update before sending, so two workers never both send it. A reminder whose
    sending fails gives its claim back, so the next run tries again, and the others still go.
    Returns the number of emails sent."""
    due = Review.objects.filter(
        completed_at__isnull=True,
        reminder_sent_at__isnull=True,
        due_date__lte=(now + REMINDER_LEAD).date(),
        owner__isnull=False,
    ).select_related("owner", "workflow", "organization")
    sent = 0
    for review in due:
        claimed = Review.objects.filter(pk=review.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        owner = review.owner  # never None: the query asks for an owner
        if not claimed or owner is None or not owner.email:
            continue
        url = absolute_url(
            reverse(
                "workflows:review",
                args=[review.organization.slug, review.workflow_id, review.stage],
            )
        )
        name = one_line(review.workflow.name)
        try:
            mail_send(
                to=[owner.email],
                subject=(
                    f"{review.get_stage_display()} review of {name} is due {review.due_date:%d %b}"
                ),
                template="review_reminder",
                context={
                    "stage": review.get_stage_display(),
                    "workflow": name,
                    "due_date": review.due_date,
                    "url": url,
                },
            )
        except Exception:
            logger.exception("review reminder %s not sent; it will be tried again", review.pk)
            Review.objects.filter(pk=review.pk, reminder_sent_at=now).update(reminder_sent_at=None)
            continue
        sent += 1
    logger.info("sent %d review reminders", sent)
    return sent


@transaction.atomic
def plan_baseline_freeze(*, plan: Plan, now: datetime) -> None:
    """Freeze the plan's baseline from the data that covers the pre-period now (once): no
    later upload changes it. Called when the day-30 review is completed."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.baseline is not None:
        plan.baseline, plan.baseline_frozen_at = locked.baseline, locked.baseline_frozen_at
        return
    frames = review_frames(workflow=locked.workflow)
    result = compute_baseline(frames.runs_daily, frames.events, go_live=locked.go_live_date)
    locked.baseline = result.as_json()
    locked.baseline_frozen_at = now
    locked.save(update_fields=["baseline", "baseline_frozen_at", "updated_at"])
    plan.baseline, plan.baseline_frozen_at = locked.baseline, locked.baseline_frozen_at


@transaction.atomic
def review_complete(
    *, review: Review, plan: Plan, decision: str, notes: str, now: datetime
) -> None:
    """Freeze the review's numbers as of today with its decision and notes (once)."""
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.completed_at is not None:
        return
    if locked.stage == Review.Stage.DAY_30:
        plan_baseline_freeze(plan=plan, now=now)
    locked.frozen = dict(review_snapshot(review=locked, plan=plan, as_of=now.date()).stored)
    locked.decision = decision
    locked.notes = notes
    locked.completed_at = now
    locked.save()
