import pytest

from audits.models import Audit
from core.models import Membership
from tests.factories import MembershipFactory


@pytest.fixture
def client_admin(db):
    return MembershipFactory(role=Membership.Role.CLIENT_ADMIN, organization__name="Northwind SaaS")


@pytest.fixture
def consultant(client_admin):
    return MembershipFactory(
        role=Membership.Role.CONSULTANT, organization=client_admin.organization
    )


@pytest.fixture
def audit(client_admin):
    return Audit.objects.create(
        organization=client_admin.organization, created_by=client_admin.user
    )


@pytest.fixture
def intake_url(audit):
    return f"/orgs/{audit.organization.slug}/audits/{audit.pk}/"


def autosave(client, url, name, value, **extra):
    """POST one field as htmx does on change: the value, and its name in HX-Trigger-Name."""
    return client.post(
        url, {name: value}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME=name, **extra
    )


def fill_complete(audit, tools=1):
    """Fill every section of ``audit`` directly (for review and submission tests)."""
    from audits.models import AuditTool
    from audits.selectors import ASSESSMENT_QUESTION_IDS
    from workflows.models import CandidateWorkflow

    audit.contact_email = audit.contact_email or "dana@client.example"
    audit.revenue_band = "20-50m"
    audit.implementation_budget = "25-50k"
    audit.decision_role = "signs_off"
    audit.metric_to_move = "qualified_pipeline"
    audit.urgency = "30_days"
    audit.crm = "HubSpot"
    audit.monthly_lead_volume = 900
    audit.revenue_gap = "Inbound leads wait hours for a first touch."
    audit.assessment = {q: 1 for q in ASSESSMENT_QUESTION_IDS}
    audit.save()
    for i in range(tools):
        AuditTool.objects.create(
            audit=audit,
            name=f"Tool {i}",
            monthly_cost_usd=200,
            seats=3,
            used_daily=True,
            integrated_with="HubSpot",
        )
    return CandidateWorkflow.objects.create(
        organization=audit.organization,
        audit=audit,
        name="Inbound lead follow-up",
        hours_per_week=20,
        people_involved=3,
        ai_can_automate_step=True,
        degrees_from_revenue=1,
        pain="Leads wait 47 minutes for a first SMS.",
    )
