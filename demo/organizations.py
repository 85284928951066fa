"""The demo organizations: a consultant, two client organizations, self-scores and audits.

Everything here is flagged as demo (organizations ``is_demo``, responses ``is_demo``) and
never counted as peers. Loading is idempotent: an existing demo organization is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from audits.models import Audit, AuditTool
from audits.selectors import ASSESSMENT_QUESTION_IDS
from benchmark.scoring import ToolCounts
from benchmark.selectors import definition_get_current
from benchmark.services import response_submit
from core.models import Membership, Organization
from workflows.models import (
    CandidateWorkflow,
    Step,
    WorkflowMap,
)

from .leads import demo_leads_load
from .live import demo_live_workflow_load, demo_open_review_load
from .webhooks import demo_webhooks_load
from .workflows import demo_maps_load

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

    firm = Organization.objects.create(
        name="Morgan & Partners", slug="demo-firm", is_demo=True, kind=Organization.Kind.FIRM
    )
    Membership.objects.create(user=consultant, organization=firm, role=Membership.Role.CONSULTANT)
    demo_webhooks_load(firm=firm, now=now)
    northwind = Organization.objects.create(
        name="Northwind Analytics", slug="northwind-demo", is_demo=True, firm=firm
    )
    globex = Organization.objects.create(
        name="Globex Health", slug="globex-demo", is_demo=True, firm=firm
    )
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
    demo_maps_load(first)
    webinar = CandidateWorkflow.objects.get(organization=northwind, name="Webinar follow-up emails")
    demo_live_workflow_load(first, vp, now, comparison=webinar)
    second = CandidateWorkflow.objects.get(organization=northwind, name="Weekly pipeline report")
    second.portfolio_position = 2
    second.save(update_fields=["portfolio_position"])
    demo_open_review_load(second, vp, now)
    for name, component in [
        ("Enrich the new contact", Step.Component.ENRICHMENT),
        ("Draft the first reply", Step.Component.MESSAGE_GENERATION),
        ("Parse the answer and route it", Step.Component.CALENDAR_PARSING),
    ]:
        future_steps = Step.objects.filter(map__workflow=first, map__kind=WorkflowMap.Kind.FUTURE)
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
    Audit.objects.filter(pk=audit.pk).update(created_at=now - timedelta(days=3, hours=4))
    Audit.objects.filter(pk=pending.pk).update(created_at=now - timedelta(hours=26))
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
    demo_leads_load(firm=firm, now=now)
    return accounts + _client_accounts()


def _client_accounts() -> list[DemoAccount]:
    return [
        DemoAccount("vp@demo.example", "Client admin", "Northwind Analytics"),
        DemoAccount("ops@demo.example", "Member", "Northwind Analytics"),
    ]
