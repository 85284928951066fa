"""Writes for the 30-day plan: create, reschedule, mark milestones done."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction

from ..models import CandidateWorkflow, Milestone, Plan, Review
from .schedule import default_go_live, plan_milestones, review_due_dates


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


@transaction.atomic
def plan_update(*, plan: Plan) -> None:
    """Save the plan's settings (validated by its form) and move its milestones and open
    reviews to its dates."""
    plan.save()
    plan_reschedule(plan=plan, start_date=plan.start_date, go_live_date=plan.go_live_date)


def milestone_mark(*, milestone: Milestone, done: bool, now: datetime) -> None:
    milestone.done_at = now if done else None
    milestone.save(update_fields=["done_at", "updated_at"])


def milestone_owner_set(*, milestone: Milestone, owner: User | None) -> None:
    """Give the milestone an owner (None: nobody)."""
    milestone.owner = owner
    milestone.save(update_fields=["owner", "updated_at"])
