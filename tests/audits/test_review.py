"""The consultant's review, reply and pipeline."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from audits.models import Audit
from tests.audits.conftest import fill_complete
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def review_url(audit):
    return f"/orgs/{audit.organization.slug}/audits/{audit.pk}/review/"


def test_the_review_shows_the_qualification_with_reasons(client, consultant, audit):
    fill_complete(audit)
    audit.status = Audit.Status.SUBMITTED
    audit.save()
    client.force_login(consultant.user)
    page = client.get(review_url(audit)).content.decode()
    assert "Computed now: <strong>Qualified</strong>" in page
    assert "Deal-size potential" in page and "Decision-maker access" in page
    assert 'value="Inbound lead follow-up"' in page  # the named gap defaults to the top candidate
    assert 'value="88400"' in page  # 20 h x $85 x 52


def test_overriding_the_tier_needs_a_reason(client, consultant, audit):
    client.force_login(consultant.user)
    reply = client.post(
        review_url(audit), {"action": "override", "tier": "not_ready", "reason": ""}
    )
    assert reply.status_code == 422
    assert "Say why you override" in reply.content.decode()
    client.post(
        review_url(audit),
        {"action": "override", "tier": "not_ready", "reason": "Lead volume is upstream."},
    )
    audit.refresh_from_db()
    assert (audit.tier, audit.override_reason) == ("not_ready", "Lead volume is upstream.")


def test_a_qualified_reply_needs_a_booking_link_and_is_emailed(
    client, consultant, audit, django_capture_on_commit_callbacks
):
    fill_complete(audit)
    audit.computed_tier = "qualified"
    audit.status = Audit.Status.SUBMITTED
    audit.save()
    client.force_login(consultant.user)
    data = {
        "action": "reply",
        "named_gap": "Inbound follow-up",
        "gap_value_usd": "88400",
        "recommendation": "Orchestrate it.",
        "recipient": audit.contact_email,
    }
    assert "This field is required" in client.post(review_url(audit), data).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            review_url(audit), {**data, "booking_link": "https://cal.example.com/x"}, follow=True
        )
    audit.refresh_from_db()
    assert audit.status == Audit.Status.REPLIED
    assert mail.outbox[0].to == ["dana@client.example"]  # the contact the intake names
    assert "Reply sent to dana@client.example." in sent.content.decode()
    assert "$88,400 a year" in mail.outbox[0].body
    assert "https://cal.example.com/x" in mail.outbox[0].body


def test_a_javascript_booking_link_is_refused(client, consultant, audit):
    client.force_login(consultant.user)
    data = {
        "action": "reply",
        "named_gap": "x",
        "gap_value_usd": "1",
        "recommendation": "y",
        "booking_link": "javascript:alert(1)",
    }
    audit.status = Audit.Status.SUBMITTED
    audit.save()
    client.post(review_url(audit), {**data, "recipient": "dana@client.example"})
    audit.refresh_from_db()
    assert audit.status == Audit.Status.SUBMITTED and audit.booking_link == ""


def test_status_moves_to_won(client, consultant, audit):
    audit.status = Audit.Status.REPLIED
    audit.save()
    client.force_login(consultant.user)
    client.post(review_url(audit), {"action": "status", "status": "won"})
    audit.refresh_from_db()
    assert audit.status == Audit.Status.WON


def test_clients_cannot_review(client, client_admin, audit):
    client.force_login(client_admin.user)
    assert client.get(review_url(audit)).status_code == 403
    assert client.post(review_url(audit), {"action": "status", "status": "won"}).status_code == 403
    audit.refresh_from_db()
    assert audit.status == Audit.Status.DRAFT


def test_the_pipeline_shows_overdue_first_and_only_assigned_clients(client, consultant):
    now = timezone.now()
    org = consultant.organization
    Audit.objects.create(
        organization=org,
        status="submitted",
        submitted_at=now,
        reply_due_at=now + timedelta(hours=20),
    )
    Audit.objects.create(
        organization=org,
        status="in_review",
        submitted_at=now - timedelta(hours=30),
        reply_due_at=now - timedelta(hours=6),
    )
    Audit.objects.create(
        organization=org,
        status="submitted",
        submitted_at=now - timedelta(hours=22),
        reply_due_at=now + timedelta(hours=2),
    )
    Audit.objects.create(
        organization=MembershipFactory().organization,
        status="submitted",
        submitted_at=now,
        reply_due_at=now + timedelta(hours=1),
    )
    client.force_login(consultant.user)
    page = client.get("/consultant/audits/").content.decode()
    assert page.count("Review</a>") == 3  # not the audit of an unassigned organization
    assert (
        page.index("Overdue by 6 h")
        < page.index("1 h 59 min left")
        < page.index("19 h 59 min left")
    )
    assert 'class="overdue"' in page and 'class="due-soon"' in page


def test_the_pipeline_filters_by_status_and_ignores_unknown_filters(client, consultant):
    org = consultant.organization
    Audit.objects.create(organization=org, status="won")
    Audit.objects.create(organization=org, status="lost")
    client.force_login(consultant.user)
    assert client.get("/consultant/audits/?status=won").content.decode().count("Review</a>") == 1
    assert (
        client.get("/consultant/audits/?status=drop+table").content.decode().count("Review</a>")
        == 2
    )
