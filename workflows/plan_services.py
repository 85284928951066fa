"""Writes for the 30-day plan and its reviews: create, reschedule, mark done, remind."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from core.links import absolute_url
from core.text import one_line

from .data_services import review_frames
from .metrics import compute_baseline
from .models import CandidateWorkflow, Milestone, Plan, Review
from .plan import default_go_live, plan_milestones, review_due_dates
from .review_selectors import review_snapshot

logger = logging.getLogger(__name__)
REMINDER_LEAD = timedelta(days=3)


@transaction.atomic
def plan_create(
    *, workflow: CandidateWorkflow, start_date: date, timezone: str, owner: User | None
) -> Plan:
    """Create the plan, its ten milestones and the three reviews (owned by ``owner``)."""
    plan = Plan.objects.create(
        organization=workflow.organization,
        workflow=workflow,
        start_date=start_date,
        go_live_date=default_go_live(start_date),
        timezone=timezone,
    )
    Milestone.objects.bulk_create(
        Milestone(
            plan=plan,
            key=m.key,
            week=m.week,
            title=m.title,
            detail=m.detail,
            due_date=m.due_date,
            owner=owner,
        )
        for m in plan_milestones(start_date)
    )
    for stage, due in review_due_dates(plan.go_live_date).items():
        Review.objects.update_or_create(
            workflow=workflow,
            stage=stage,
            defaults={"organization": workflow.organization, "due_date": due, "owner": owner},
        )
    return plan


@transaction.atomic
def plan_reschedule(*, plan: Plan, start_date: date, go_live_date: date) -> None:
    """Move the plan: milestones follow the start date, open reviews follow go-live;
    completed reviews keep the dates they were held on."""
    plan.start_date, plan.go_live_date = start_date, go_live_date
    plan.save(update_fields=["start_date", "go_live_date", "updated_at"])
    due = {m.key: m.due_date for m in plan_milestones(start_date)}
    for milestone in plan.milestones.all():
        milestone.due_date = due.get(milestone.key, milestone.due_date)
        milestone.save(update_fields=["due_date", "updated_at"])
    for stage, review_date in review_due_dates(go_live_date).items():
        Review.objects.filter(
            workflow=plan.workflow, stage=stage, completed_at__isnull=True
        ).update(due_date=review_date, reminder_sent_at=None)


def milestone_mark(*, milestone: Milestone, done: bool, now: datetime) -> None:
    milestone.done_at = now if done else None
    milestone.save(update_fields=["done_at", "updated_at"])


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
        if not claimed or not review.owner.email:
            continue
        url = absolute_url(
            reverse(
                "workflows:review",
                args=[review.organization.slug, review.workflow_id, review.stage],
            )
        )
        name = one_line(review.workflow.name)
        try:
            send_mail(
                subject=one_line(
                    f"{review.get_stage_display()} review of {name} is due {review.due_date:%d %b}"
                ),
                message=(
                    f"The {review.get_stage_display().lower()} review of {name} is due on "
                    f"{review.due_date:%A %d %B %Y}.\n\nLoad the latest data and hold it: {url}"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[review.owner.email],
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
    locked.frozen = review_snapshot(review=locked, plan=plan, as_of=now.date())
    locked.decision = decision
    locked.notes = notes
    locked.completed_at = now
    locked.save()
