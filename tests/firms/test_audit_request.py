""" "Request a Revenue Audit" on the result page: a client, a draft audit in the firm's
pipeline prefilled from the result, an emailed invitation; once per unverified email."""

import pytest
from django.core import mail
from django.utils import timezone

from audits.models import Audit
from audits.selectors import ASSESSMENT_QUESTION_IDS
from audits.services import audit_submit
from core.models import Membership, Organization
from core.selectors import firm_default
from firms.models import AuditRequest
from tests.factories import response_create

from .conftest import take_selfscore

pytestmark = pytest.mark.django_db

FORM = {
    "audit-name": "Vera Pike",
    "audit-email": "vera@lumen.example",
    "audit-company": "Lumen Software",
    "audit-consent": "on",
}


def request_audit(client, response, capture, data=FORM):
    with capture(execute=True):
        return client.post(f"/results/{response.public_id}/audit-request/", data)


def test_the_result_page_offers_the_request_instead_of_a_dead_end(client):
    response = response_create()
    page = client.get(f"/results/{response.public_id}/").content.decode()
    assert "Ask your consultant for your intake link" not in page
    assert "Request a Revenue Audit" in page
    assert f'action="/results/{response.public_id}/audit-request/#audit-request"' in page


def test_a_request_through_a_firms_link_lands_in_that_firms_pipeline(
    client, firm, django_capture_on_commit_callbacks
):
    reply, _ = take_selfscore(client, "/b/harbor/", level="1")
    from benchmark.models import Response

    response = Response.objects.get()
    reply = request_audit(client, response, django_capture_on_commit_callbacks)
    assert reply.status_code == 302 and reply["Location"].endswith("#main")

    audit = Audit.objects.get()
    client_org = audit.organization
    assert (client_org.name, client_org.kind, client_org.firm) == (
        "Lumen Software",
        Organization.Kind.CLIENT,
        firm.org,
    )
    assert audit.status == Audit.Status.DRAFT
    assert (audit.contact_name, audit.contact_email) == ("Vera Pike", "vera@lumen.example")
    # Prefilled from the result: every assessment question at the level answered.
    assert audit.assessment == {q: 1 for q in ASSESSMENT_QUESTION_IDS}
    assert audit.revenue_band == response.revenue_band
    # The clock has not started: it starts when the intake is submitted.
    assert audit.submitted_at is None and audit.reply_due_at is None
    # The firm's consultant sees it in their pipeline.
    assert Membership.objects.filter(
        user=firm.consultant.user, organization=client_org, role="consultant"
    ).exists()
    client.force_login(firm.consultant.user)
    assert "Lumen Software" in client.get("/consultant/audits/").content.decode()

    # The invitation: two parts, to the requester, with the intake's share link.
    [message] = mail.outbox
    assert message.to == ["vera@lumen.example"]
    link = f"/audit/{audit.share_token}/"
    assert link in message.body
    assert link in message.alternatives[0][0]
    request = AuditRequest.objects.get()
    assert request.consent_text.startswith("I agree that Harbor Advisory may store")


def test_without_a_firms_link_the_default_firm_gets_it(client, django_capture_on_commit_callbacks):
    response = response_create()
    request_audit(client, response, django_capture_on_commit_callbacks)
    assert Audit.objects.get().organization.firm == firm_default()


def test_a_repeated_request_from_an_unverified_email_only_resends_the_invitation(
    client, django_capture_on_commit_callbacks
):
    response = response_create()
    request_audit(client, response, django_capture_on_commit_callbacks)
    again = {**FORM, "audit-email": "VERA@lumen.example", "audit-company": "Other name"}
    reply = request_audit(client, response, django_capture_on_commit_callbacks, again)
    assert reply.status_code == 302
    assert Audit.objects.count() == 1 and Organization.objects.filter(kind="client").count() == 1
    assert AuditRequest.objects.get().invitations_sent == 2
    assert len(mail.outbox) == 2
    assert mail.outbox[0].body == mail.outbox[1].body


def test_once_the_intake_was_submitted_a_new_request_makes_a_new_audit(
    client, django_capture_on_commit_callbacks
):
    response = response_create()
    request_audit(client, response, django_capture_on_commit_callbacks)
    Audit.objects.update(status=Audit.Status.SUBMITTED)  # the emailed link was used
    request_audit(client, response, django_capture_on_commit_callbacks)
    assert Audit.objects.count() == 2


def test_the_24_hour_clock_starts_when_the_intake_is_submitted(
    client, django_capture_on_commit_callbacks
):
    response = response_create()
    request_audit(client, response, django_capture_on_commit_callbacks)
    audit = Audit.objects.get()
    Audit.objects.filter(pk=audit.pk).update(
        metric_to_move="booked_meetings",
        urgency="60_days",
        implementation_budget="25-50k",
        decision_role="signs_off",
        crm="HubSpot",
        monthly_lead_volume=400,
        revenue_gap="Leads wait",
    )
    from audits.models import AuditTool
    from workflows.models import CandidateWorkflow

    AuditTool.objects.create(audit=audit, name="Clay", used_daily=True)
    CandidateWorkflow.objects.create(
        organization=audit.organization,
        audit=audit,
        name="Follow-up",
        hours_per_week=6,
        ai_can_automate_step=True,
        degrees_from_revenue=1,
        pain="Slow",
    )
    now = timezone.now()
    audit = audit_submit(audit=Audit.objects.get(), now=now)
    assert audit.reply_due_at == now + timezone.timedelta(hours=24)


def test_errors_keep_everything_entered(client):
    response = response_create()
    data = {**FORM, "audit-email": "not-an-email"}
    data.pop("audit-consent")
    reply = client.post(f"/results/{response.public_id}/audit-request/", data)
    page = reply.content.decode()
    assert reply.status_code == 422
    assert 'value="Vera Pike"' in page and 'value="Lumen Software"' in page
    assert 'value="not-an-email"' in page
    assert "Enter a valid email address" in page and "Tick the box to agree" in page
    assert not Audit.objects.exists()


def test_requests_are_rate_limited(client, settings, django_capture_on_commit_callbacks):
    settings.RATELIMIT_AUDIT_REQUEST = "2/h"
    response = response_create()
    for _ in range(2):
        assert (
            request_audit(client, response, django_capture_on_commit_callbacks).status_code == 302
        )
    reply = request_audit(client, response, django_capture_on_commit_callbacks)
    assert reply.status_code == 429 and "Retry-After" in reply
    assert AuditRequest.objects.get().invitations_sent == 2


def test_the_firms_crm_can_tie_the_audit_to_its_lead_and_contact(
    client, firm, django_capture_on_commit_callbacks
):
    """Found by the lead journey (tests/browser/test_lead_journey.py): the CRM heard
    ``lead.created`` (a response id, often no email) and then ``audit.submitted`` with only
    an audit id and a company name, so it could not tell whose audit it was."""
    from decimal import Decimal

    from audits.services import audit_reply_send
    from benchmark.models import Response
    from tests.audits.conftest import fill_complete
    from webhooks.models import Event

    take_selfscore(client, "/b/harbor/", level="1")
    response = Response.objects.get()
    request_audit(client, response, django_capture_on_commit_callbacks)
    audit = Audit.objects.get()
    fill_complete(audit)
    audit_submit(audit=audit, now=timezone.now())
    audit_reply_send(
        audit=Audit.objects.get(pk=audit.pk),
        replied_by=firm.consultant.user,
        named_gap="Lead routing",
        gap_value_usd=Decimal("120000"),
        recommendation="Orchestrate the first touch.",
        booking_link="https://cal.harbor.example/casey",
        recipient="vera@lumen.example",
        now=timezone.now(),
    )
    events = {e.event_type: e.data for e in Event.objects.filter(organization=firm.org)}
    lead_response_id = events["lead.created"]["response_id"]
    for kind in ("audit.submitted", "audit.replied"):
        assert events[kind]["response_id"] == lead_response_id == str(response.public_id)
        assert events[kind]["contact"] == {"name": "Vera Pike", "email": "vera@lumen.example"}


def test_an_audit_started_without_a_self_score_names_no_response(firm):
    from tests.audits.conftest import fill_complete
    from webhooks.models import Event

    client_org = Organization.objects.create(
        name="Northwind", slug="northwind", kind=Organization.Kind.CLIENT, firm=firm.org
    )
    audit = Audit.objects.create(organization=client_org, contact_email="dana@northwind.example")
    fill_complete(audit)
    audit_submit(audit=audit, now=timezone.now())
    [event] = Event.objects.filter(organization=firm.org, event_type="audit.submitted")
    assert event.data["response_id"] is None
    assert event.data["contact"] == {"name": "", "email": "dana@northwind.example"}
