"""The demo organizations: a consultant, two client organizations, self-scores and audits.

Everything here is flagged as demo (organizations ``is_demo``, responses ``is_demo``) and
never counted as peers. Loading is idempotent: an existing demo organization is left as it is.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from audits.models import Audit, AuditTool
from audits.selectors import ASSESSMENT_QUESTION_IDS
from benchmark.scoring import ToolCounts
from benchmark.selectors import definition_get_current
from benchmark.services import response_submit
from workflows.models import (
    CandidateWorkflow,
    DownstreamEvent,
    Opportunity,
    Review,
    RunDay,
    SpendMonth,
    Step,
    WorkflowMap,
)
from workflows.plan_services import plan_create, review_complete

from .models import Membership, Organization

DEMO_PASSWORD = "demo-benchmark-2026"  # nosec B105 # noqa: S105 - published demo accounts, demo data only


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    organization: str


def _user(email: str, first: str, last: str) -> User:
    user, created = User.objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first, "last_name": last}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _answers(levels: dict[str, int], default: int, counts: ToolCounts) -> dict:
    return {
        q.id: counts if q.kind == "tool_count" else levels.get(q.id, default)
        for q in definition_get_current().questions
    }


PROFILE = {"revenue_band": "20-50m", "business_model": "b2b", "team_size": "6-15"}


@transaction.atomic
def demo_organizations_load(*, now: datetime) -> list[DemoAccount]:
    """Create the demo organizations once; return the accounts to sign in with."""
    consultant = _user("consultant@demo.example", "Casey", "Morgan")
    accounts = [DemoAccount(consultant.email, "Consultant", "Northwind Analytics, Globex Health")]
    if Organization.objects.filter(slug="northwind-demo").exists():
        return accounts + _client_accounts()

    northwind = Organization.objects.create(
        name="Northwind Analytics", slug="northwind-demo", is_demo=True
    )
    globex = Organization.objects.create(name="Globex Health", slug="globex-demo", is_demo=True)
    vp = _user("vp@demo.example", "Vera", "Pike")
    ops = _user("ops@demo.example", "Tom", "Ives")
    Membership.objects.create(
        user=consultant, organization=northwind, role=Membership.Role.CONSULTANT
    )
    Membership.objects.create(user=consultant, organization=globex, role=Membership.Role.CONSULTANT)
    vp_m = Membership.objects.create(
        user=vp, organization=northwind, role=Membership.Role.CLIENT_ADMIN
    )
    ops_m = Membership.objects.create(user=ops, organization=northwind, role=Membership.Role.MEMBER)

    # Self-scores: the VP twice (progress over 60 days), the ops lead once (more sceptical).
    for membership, completed_at, levels, default, counts in [
        (
            vp_m,
            now - timedelta(days=62),
            {"orchestration_chain": 0, "attribution_flags": 0},
            1,
            ToolCounts(11, 4),
        ),
        (
            vp_m,
            now - timedelta(days=2),
            {"orchestration_chain": 1, "measurement_pipeline": 2},
            2,
            ToolCounts(6, 4),
        ),
        (
            ops_m,
            now - timedelta(days=3),
            {"data_truth": 0, "reporting_weekly": 0, "stack_use": 1},
            1,
            ToolCounts(6, 2),
        ),
    ]:
        response_submit(
            profile=PROFILE,
            answers=_answers(levels, default, counts),
            completed_at=completed_at,
            is_demo=True,
            organization=membership.organization,
            respondent=membership.user,
        )

    audit = Audit.objects.create(
        organization=northwind,
        created_by=vp,
        status=Audit.Status.REPLIED,
        contact_name="Vera Pike",
        contact_email=vp.email,
        revenue_band="20-50m",
        implementation_budget="25-50k",
        decision_role="signs_off",
        metric_to_move="booked_meetings",
        urgency="60_days",
        crm="HubSpot",
        monthly_lead_volume=1400,
        replied_to=vp.email,
        revenue_gap=(
            "Demo requests sit in a shared inbox until an SDR looks them up and writes back; "
            "overnight leads wait until morning and half never book."
        ),
        assessment={q: 1 for q in ASSESSMENT_QUESTION_IDS},
        submitted_at=now - timedelta(days=1, hours=4),
        reply_due_at=now - timedelta(hours=4),
        computed_tier="qualified",
        named_gap="Inbound demo-request follow-up",
        gap_value_usd=Decimal(88400),
        recommendation=(
            "Orchestrate the first touch: CRM webhook, AI enrichment, AI-drafted reply, send, and "
            "AI intent parsing of the answer with human routing for pricing questions. "
            "A 30-day build at the low end of your budget pays back in about 90 days."
        ),
        booking_link="https://calendar.demo.example/casey/30min",
        replied_at=now - timedelta(hours=6),
        replied_by=consultant,
    )
    for name, cost, seats, daily, integrated in [
        ("ChatGPT Team", 300, 12, True, ""),
        ("Jasper", 490, 5, False, ""),
        ("Clay", 800, 2, True, "HubSpot"),
        ("Gong", 1200, 8, True, "HubSpot, Salesforce"),
        ("Copy.ai", 249, 4, False, ""),
        ("Otter.ai", 100, 10, False, "Zoom"),
    ]:
        AuditTool.objects.create(
            audit=audit,
            name=name,
            monthly_cost_usd=cost,
            seats=seats,
            used_daily=daily,
            integrated_with=integrated,
        )
    for name, hours, people, ai, degrees, pain in [
        (
            "Inbound demo-request follow-up",
            20,
            3,
            True,
            1,
            "Leads wait 47 minutes in business hours and 12 overnight.",
        ),
        ("Weekly pipeline report", 6, 2, True, 3, "Built by hand from three exports every Monday."),
        ("Webinar follow-up emails", 4, 1, True, 2, "Sent two days late, if at all."),
    ]:
        CandidateWorkflow.objects.create(
            organization=northwind,
            audit=audit,
            name=name,
            hours_per_week=hours,
            people_involved=people,
            ai_can_automate_step=ai,
            degrees_from_revenue=degrees,
            pain=pain,
        )

    first = CandidateWorkflow.objects.get(
        organization=northwind, name="Inbound demo-request follow-up"
    )
    first.portfolio_position = 1
    first.save(update_fields=["portfolio_position"])
    _demo_maps(first)
    _demo_live_workflow(first, vp, now)
    second = CandidateWorkflow.objects.get(organization=northwind, name="Weekly pipeline report")
    second.portfolio_position = 2
    second.save(update_fields=["portfolio_position"])
    _demo_open_review(second, vp, now)
    for name, component in [
        ("Enrich the new contact", Step.Component.ENRICHMENT),
        ("Draft the first reply", Step.Component.MESSAGE_GENERATION),
        ("Parse the answer and route it", Step.Component.CALENDAR_PARSING),
    ]:
        future_steps = Step.objects.filter(map__workflow=first, map__kind="future")
        future_steps.filter(name=name).update(component=component)

    pending = Audit.objects.create(
        organization=globex,
        status=Audit.Status.SUBMITTED,
        contact_name="Gale Okafor",
        contact_email="gale.okafor@globex.example",
        revenue_band="5-20m",
        implementation_budget="10-25k",
        decision_role="recommends",
        metric_to_move="qualified_pipeline",
        urgency="this_quarter",
        crm="Salesforce",
        monthly_lead_volume=300,
        revenue_gap="Marketing-qualified leads are not followed up consistently by sales.",
        assessment={q: 1 for q in ASSESSMENT_QUESTION_IDS},
        submitted_at=now - timedelta(hours=21),
        reply_due_at=now + timedelta(hours=3),
        computed_tier="follow_up",
    )
    # Started before they were submitted, as a real intake is.
    Audit.objects.filter(pk=audit.pk).update(created_at=audit.submitted_at - timedelta(days=2))
    Audit.objects.filter(pk=pending.pk).update(created_at=pending.submitted_at - timedelta(hours=5))
    AuditTool.objects.create(
        audit=pending, name="ChatGPT Team", monthly_cost_usd=150, seats=6, used_daily=True
    )
    CandidateWorkflow.objects.create(
        organization=globex,
        audit=pending,
        name="MQL hand-off to sales",
        hours_per_week=8,
        people_involved=4,
        ai_can_automate_step=True,
        degrees_from_revenue=1,
        pain="Leads are re-keyed from Marketo into Salesforce tasks.",
    )
    return accounts + _client_accounts()


# Each step: name, actor, tool, owner, team, inputs, outputs, manual transfer, process
# minutes, wait minutes after, failure route, done means.
CURRENT_STEPS = [
    (
        "Read the demo request in the shared inbox",
        "human",
        "Gmail",
        "SDR on duty",
        "Sales",
        ["email", "company", "message"],
        ["email", "company", "message"],
        False,
        2,
        47,
        "none",
        "Someone has claimed the request",
    ),
    (
        "Look the company up and copy details into HubSpot",
        "human",
        "HubSpot",
        "SDR on duty",
        "Sales",
        ["email", "company"],
        ["contact_id", "company_size"],
        True,
        6,
        5,
        "none",
        "Contact and company exist in HubSpot",
    ),
    (
        "Draft and send a personal reply",
        "human",
        "Gmail",
        "SDR on duty",
        "Sales",
        ["contact_id", "company_size", "message"],
        ["reply_sent"],
        False,
        4,
        240,
        "none",
        "Reply sent with a booking link",
    ),
    (
        "Log the touch for marketing",
        "human",
        "Google Sheets or HubSpot",
        "Marketing ops",
        "Marketing",
        ["reply_sent", "campaign"],
        ["touch_logged"],
        True,
        2,
        0,
        "none",
        "Row added to the weekly sheet",
    ),
]
FUTURE_STEPS = [
    (
        "Enrich the new contact",
        "ai",
        "Clay",
        "RevOps",
        "RevOps",
        ["email", "company"],
        ["email", "company", "company_size", "industry"],
        False,
        0.05,
        0,
        "retry",
        "Company size and industry filled",
    ),
    (
        "Draft the first reply",
        "ai",
        "OpenAI",
        "Head of demand gen",
        "Marketing",
        ["email", "company", "company_size", "industry"],
        ["email", "draft"],
        False,
        0.0667,
        0,
        "queue",
        "Draft under 120 words with a booking link",
    ),
    (
        "Send the reply",
        "rule",
        "HubSpot",
        "Head of demand gen",
        "Marketing",
        ["email", "draft"],
        ["email", "reply_sent"],
        False,
        0.0333,
        0,
        "retry",
        "Email delivered",
    ),
    (
        "Parse the answer and route it",
        "ai",
        "OpenAI",
        "SDR team lead",
        "Sales",
        ["email", "reply_sent"],
        ["intent", "owner"],
        False,
        0.05,
        0,
        "human",
        "Booked, or routed to an SDR for pricing questions",
    ),
]


def _demo_maps(workflow: CandidateWorkflow) -> None:
    for kind, steps, settings in [
        (
            WorkflowMap.Kind.CURRENT,
            CURRENT_STEPS,
            {
                "trigger": "",
                "outcome_owner": "",
                "outcome_logged": False,
                "kpi": "",
                "runs_per_week": 80,
            },
        ),
        (
            WorkflowMap.Kind.FUTURE,
            FUTURE_STEPS,
            {
                "trigger": "HubSpot form 'Request a demo' submitted (webhook)",
                "outcome_owner": "Head of demand gen",
                "outcome_logged": True,
                "kpi": "Demo requests booked within 1 hour",
                "runs_per_week": 80,
            },
        ),
    ]:
        workflow_map = WorkflowMap.objects.create(
            organization=workflow.organization, workflow=workflow, kind=kind, **settings
        )
        Step.objects.bulk_create(
            Step(
                map=workflow_map,
                position=i,
                name=name,
                actor=actor,
                tool=tool,
                owner=owner,
                team=team,
                inputs=inputs,
                outputs=outputs,
                manual_transfer=manual,
                process_minutes=Decimal(str(process)),
                wait_minutes=Decimal(str(wait)),
                failure_route=route,
                done_criteria=done,
            )
            for i, (
                name,
                actor,
                tool,
                owner,
                team,
                inputs,
                outputs,
                manual,
                process,
                wait,
                route,
                done,
            ) in enumerate(steps, start=1)
        )


def _client_accounts() -> list[DemoAccount]:
    return [
        DemoAccount("vp@demo.example", "Client admin", "Northwind Analytics"),
        DemoAccount("ops@demo.example", "Member", "Northwind Analytics"),
    ]


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


def _demo_open_review(workflow: CandidateWorkflow, owner: User, now: datetime) -> None:
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


def _demo_live_workflow(workflow: CandidateWorkflow, owner: User, now: datetime) -> None:
    """About 90 days of runs, booked calls, opportunities and AI spend after go-live, so
    every review of the demo workflow has real charts; day 30 and day 60 are completed."""
    rng = random.Random(90)  # nosec B311 # noqa: S311 - demo data
    # Stages draw from their own generator, so the runs, events and amounts stay as before.
    stages = random.Random(91)  # nosec B311 # noqa: S311 - demo data
    today = now.date()
    start = today - timedelta(days=106)
    plan = plan_create(
        workflow=workflow, start_date=start, timezone="America/New_York", owner=owner
    )
    plan.build_cost_usd = BUILD_COST_USD
    plan.save(update_fields=["build_cost_usd"])
    go_live = plan.go_live_date
    run_days, events, opportunities = [], [], []
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
    for stage, decision, note in [
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
        review = Review.objects.get(workflow=workflow, stage=stage)
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
