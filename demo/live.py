"""The demo organization's live data: about 90 days of runs, booked calls, opportunities
and AI spend for the first workflow (day 30 and 60 completed, eight weeks of baseline
before go-live, a comparison series), and a second workflow whose day-30 review is open."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User

from workflows.models import (
    CandidateWorkflow,
    DownstreamEvent,
    Opportunity,
    Review,
    RunDay,
    SpendMonth,
)
from workflows.plans.services import plan_create
from workflows.reviews.services import review_complete

BUILD_COST_USD = Decimal(80000)


def _demo_stage(rng: random.Random, created: date, today: date) -> tuple[str, str, date]:
    """A demo deal's stage, its Salesforce stage name and its close date: deals older than
    about a month are mostly decided (about 40% of those won), newer ones mostly open."""
    close = created + timedelta(days=rng.randint(20, 60))
    age = (today - created).days
    draw = rng.random()
    if close <= today and draw < 0.8:
        return ("won", "Closed Won", close) if draw < 0.32 else ("lost", "Closed Lost", close)
    if age < 10:
        return "open", "Qualification", close
    return (
        "open",
        rng.choice(["Needs Analysis", "Proposal/Price Quote", "Negotiation/Review"]),
        close,
    )


def demo_open_review_load(workflow: CandidateWorkflow, owner: User, now: datetime) -> None:
    """The second workflow went live 31 days ago: its 30-day review is due and still open,
    so a newcomer can read one and complete it (README, "A tour")."""
    rng = random.Random(30)  # nosec B311 # noqa: S311 - demo data
    today = now.date()
    go_live = today - timedelta(days=31)
    plan = plan_create(
        workflow=workflow,
        start_date=go_live - timedelta(days=14),
        timezone="America/New_York",
        owner=owner,
    )
    plan.build_cost_usd = Decimal(6000)
    plan.save(update_fields=["build_cost_usd"])
    run_days = []
    for offset in range(31):
        day = go_live + timedelta(days=offset)
        if day.weekday() != 0:
            continue  # the report is built on Mondays
        for arm, failed in [("orchestrated", rng.random() < 0.2), ("baseline", False)]:
            run_days.append(
                RunDay(
                    workflow=workflow,
                    day=day,
                    arm=arm,
                    status="failed" if failed else "succeeded",
                    stopped_at_step="Pull the CRM export" if failed else "",
                    runs=1,
                    ai_steps=2 if arm == "orchestrated" else 0,
                    steps_total=3,
                    steps_succeeded=1 if failed else 3,
                )
            )
    RunDay.objects.bulk_create(run_days)
    for milestone in plan.milestones.filter(due_date__lt=today):
        milestone.done_at = datetime.combine(milestone.due_date, time(17, 0), tzinfo=UTC)
        milestone.save(update_fields=["done_at"])


def _demo_pre_period(
    workflow: CandidateWorkflow, comparison: CandidateWorkflow, go_live: date, today: date
) -> None:
    """Eight weeks of baseline runs and booked calls before go-live (the baseline), and a run
    log of the comparison series (webinar follow-up, which the change did not touch) from
    then to today, for the difference-in-differences. Its own generator: the runs after
    go-live stay as they were."""
    rng = random.Random(89)  # nosec B311 # noqa: S311 - demo data
    run_days, events = [], []
    first = go_live - timedelta(weeks=8)
    for offset in range((today - first).days + 1):
        day = first + timedelta(days=offset)
        weekday = day.weekday() < 5
        series = [(comparison, 5 if weekday else 1, 0.88, 0.06)]
        if day < go_live:
            series.append((workflow, 8 if weekday else 2, 0.84, 0.08))
        for target, mean, success, book in series:
            runs = max(0, round(rng.gauss(mean, mean**0.5)))
            failed = sum(1 for _ in range(runs) if rng.random() > success)
            for status, count in [("succeeded", runs - failed), ("failed", failed)]:
                if count:
                    run_days.append(
                        RunDay(
                            workflow=target,
                            day=day,
                            arm="baseline",
                            status=status,
                            stopped_at_step="" if status == "succeeded" else "Look the company up",
                            runs=count,
                            ai_steps=0,
                            steps_total=4 * count,
                            steps_succeeded=4 * count if status == "succeeded" else 2 * count,
                        )
                    )
            for n in range(runs - failed):
                if rng.random() < book:
                    events.append(
                        DownstreamEvent(
                            workflow=target,
                            event_id=f"pre-{target.pk}-{day:%Y%m%d}-{n}",
                            occurred_at=datetime.combine(day, time(9 + n % 8, 30), tzinfo=UTC),
                            kind="booked_call",
                            arm="baseline",
                        )
                    )
    RunDay.objects.bulk_create(run_days)
    DownstreamEvent.objects.bulk_create(events)


def demo_live_workflow_load(
    workflow: CandidateWorkflow, owner: User, now: datetime, *, comparison: CandidateWorkflow
) -> None:
    """About 90 days of runs, booked calls, opportunities and AI spend after go-live, so
    every review of the demo workflow has real charts; day 30 and day 60 are completed.
    Before go-live, eight weeks of baseline runs; the webinar follow-up is the named
    comparison series."""
    rng = random.Random(90)  # nosec B311 # noqa: S311 - demo data
    # Stages draw from their own generator, so the runs, events and amounts stay as before.
    stages = random.Random(91)  # nosec B311 # noqa: S311 - demo data
    today = now.date()
    start = today - timedelta(days=106)
    plan = plan_create(
        workflow=workflow, start_date=start, timezone="America/New_York", owner=owner
    )
    plan.build_cost_usd = BUILD_COST_USD
    plan.comparison_workflow = comparison
    plan.save(update_fields=["build_cost_usd", "comparison_workflow"])
    go_live = plan.go_live_date
    _demo_pre_period(workflow, comparison, go_live, today)
    run_days: list[RunDay] = []
    events: list[DownstreamEvent] = []
    opportunities: list[Opportunity] = []
    for offset in range((today - go_live).days + 1):
        day = go_live + timedelta(days=offset)
        weekday = day.weekday() < 5
        for arm, mean, success, book in [
            ("orchestrated", 11 if weekday else 4, 0.93, 0.19),
            ("baseline", 6 if weekday else 1, 0.84, 0.08),
        ]:
            runs = max(0, round(rng.gauss(mean, mean**0.5)))
            failed = sum(1 for _ in range(runs) if rng.random() > success)
            stop = (
                "Parse the answer and route it" if arm == "orchestrated" else "Look the company up"
            )
            for status, count, step in [("succeeded", runs - failed, ""), ("failed", failed, stop)]:
                if count:
                    ai = 3 * count if arm == "orchestrated" else 0
                    run_days.append(
                        RunDay(
                            workflow=workflow,
                            day=day,
                            arm=arm,
                            status=status,
                            stopped_at_step=step,
                            runs=count,
                            ai_steps=ai,
                            steps_total=4 * count,
                            steps_succeeded=4 * count if status == "succeeded" else 2 * count,
                        )
                    )
            for n in range(runs - failed):
                if rng.random() < book:
                    at = datetime.combine(day, time(10 + n % 7, 0), tzinfo=UTC)
                    key = f"{arm[:3]}-{day:%Y%m%d}-{n}"
                    events.append(
                        DownstreamEvent(
                            workflow=workflow,
                            event_id=key,
                            occurred_at=at,
                            kind="booked_call",
                            arm=arm,
                        )
                    )
                    if rng.random() < 0.15:
                        flag = (
                            ("generated" if rng.random() < 0.5 else "assisted")
                            if arm == "orchestrated"
                            else "none"
                        )
                        created = day + timedelta(days=rng.randint(2, 9))
                        if created <= today:
                            stage, crm_stage, close_date = _demo_stage(stages, created, today)
                            opportunities.append(
                                Opportunity(
                                    workflow=workflow,
                                    opportunity_id=f"0060{len(opportunities):05d}",
                                    created_date=created,
                                    amount_usd=Decimal(round(rng.lognormvariate(8.9, 0.4), -2)),
                                    ai_flag=flag,
                                    touch_date=day if flag != "none" else None,
                                    stage=stage,
                                    crm_stage=crm_stage,
                                    close_date=close_date,
                                )
                            )
    RunDay.objects.bulk_create(run_days)
    DownstreamEvent.objects.bulk_create(events)
    Opportunity.objects.bulk_create(opportunities)
    month = go_live.replace(day=1)
    spend = []
    while month <= today:
        spend += [
            SpendMonth(
                workflow=workflow, month=month, category="subscription", amount_usd=Decimal(1290)
            ),
            SpendMonth(
                workflow=workflow,
                month=month,
                category="model_usage",
                amount_usd=Decimal(rng.randint(180, 260)),
            ),
            SpendMonth(
                workflow=workflow, month=month, category="maintenance", amount_usd=Decimal(6 * 85)
            ),
        ]
        month = (month + timedelta(days=32)).replace(day=1)
    SpendMonth.objects.bulk_create(spend)
    for review_stage, decision, note in [
        (
            30,
            "keep_25",
            "Throughput held above the baseline; two recurring failures got error routes.",
        ),
        (
            60,
            "cut_over",
            "More than twice the booked calls per trigger: cut over all inbound demo requests.",
        ),
        (
            90,
            "cut_over",
            "On track to pay back the build; choose workflow 2 with the same filter.",
        ),
    ]:
        review = Review.objects.get(workflow=workflow, stage=review_stage)
        review_complete(
            review=review,
            plan=plan,
            decision=decision,
            notes=note,
            now=datetime.combine(review.due_date, time(16, 0), tzinfo=UTC),
        )
    for milestone in plan.milestones.all():
        milestone.done_at = datetime.combine(milestone.due_date, time(17, 0), tzinfo=UTC)
        milestone.save(update_fields=["done_at"])
