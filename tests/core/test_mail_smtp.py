"""Every email the app sends, through Django's SMTP backend to a real SMTP server (aiosmtpd)
on loopback, read back as it arrived: a plain-text and an HTML part saying the same thing,
the subject on one line, and exactly the intended recipients."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from email.message import EmailMessage

import pytest
from django.utils import timezone

from core.models import Membership
from tests.factories import MembershipFactory, response_create
from tests.smtp_inbox import Inbox

pytestmark = pytest.mark.django_db


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML bodies of a multipart/alternative message."""
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    # SMTP carries CRLF line ends; compare the text as written.
    return text.get_content().replace("\r\n", "\n"), html.get_content().replace("\r\n", "\n")


def only(inbox: Inbox) -> tuple[list[str], EmailMessage, str, str]:
    assert len(inbox.received) == 1, [m["Subject"] for _, m in inbox.received]
    recipients, message = inbox.received[0]
    text, html = parts(message)
    subject = str(message["Subject"])
    assert "\n" not in subject and "\r" not in subject
    return recipients, message, text, html


def test_the_result_link_arrives_in_two_parts(inbox):
    from benchmark.models import Response
    from benchmark.tasks import result_link_send

    response = response_create(level=2)
    Response.objects.filter(pk=response.pk).update(email="vp@client.example")
    result_link_send(response.pk)
    recipients, message, text, html = only(inbox)
    assert recipients == ["vp@client.example"] and message["To"] == "vp@client.example"
    assert message["Subject"] == "Your AI marketing maturity result: On Pace"
    link = f"/results/{response.public_id}/"
    assert link in text and link in html
    assert "66.7 out of 100" in text and "<strong>66.7</strong>" in html


def test_the_audit_reply_arrives_in_two_parts_and_keeps_its_subject_on_one_line(
    inbox, django_capture_on_commit_callbacks
):
    from audits.models import Audit
    from audits.services import audit_reply_send

    consultant = MembershipFactory(role=Membership.Role.CONSULTANT)
    audit = Audit.objects.create(
        organization=consultant.organization,
        status=Audit.Status.IN_REVIEW,
        computed_tier="qualified",
    )
    with django_capture_on_commit_callbacks(execute=True):
        audit_reply_send(
            audit=audit,
            replied_by=consultant.user,
            named_gap="Lead routing\r\nBcc: someone@else.example",
            gap_value_usd=Decimal("88400"),
            recommendation="Fix the handoff.\nThen measure it.",
            booking_link="https://cal.example.com/x",
            recipient="dana@client.example",
            now=timezone.now(),
        )
    recipients, message, text, html = only(inbox)
    assert recipients == ["dana@client.example"]  # the header injection added no one
    assert message["Bcc"] is None
    assert message["Subject"] == "Your Revenue Audit: Lead routing Bcc: someone@else.example"
    assert "$88,400 a year" in text and "$88,400 a year" in html
    assert "Fix the handoff.\nThen measure it." in text
    assert "Fix the handoff.<br>Then measure it." in html
    assert "https://cal.example.com/x" in text and 'href="https://cal.example.com/x"' in html


def test_the_review_reminder_arrives_in_two_parts(inbox):
    from workflows.models import CandidateWorkflow, Review
    from workflows.plans.services import plan_create
    from workflows.reviews.services import review_reminders_send

    member = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    workflow = CandidateWorkflow.objects.create(
        organization=member.organization, name="Inbound <lead> routing"
    )
    plan_create(
        workflow=workflow,
        start_date=timezone.localdate() - timedelta(days=30),
        timezone="UTC",
        owner=member.user,
    )
    Review.objects.filter(workflow=workflow, stage=30).update(
        owner=member.user, due_date=timezone.localdate()
    )
    assert review_reminders_send(now=timezone.now()) == 1
    recipients, message, text, html = only(inbox)
    assert recipients == [member.user.email]
    assert message["Subject"].startswith(
        "Day 30: throughput review of Inbound <lead> routing is due"
    )
    assert "Inbound <lead> routing" in text  # plain text is not HTML-escaped
    assert "Inbound &lt;lead&gt; routing" in html  # the HTML part is


def test_the_invitation_arrives_in_two_parts(inbox, django_capture_on_commit_callbacks):
    from core.services import invitation_create

    admin = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        _, token = invitation_create(
            organization=admin.organization,
            email="New.Person@Client.example",
            role=Membership.Role.MEMBER,
            invited_by=admin.user,
            now=timezone.now(),
        )
    recipients, _, text, html = only(inbox)
    assert recipients == ["new.person@client.example"]
    assert token in text and token in html


def test_the_password_reset_arrives_in_two_parts(inbox, client):
    member = MembershipFactory()
    client.post("/accounts/password_reset/", {"email": member.user.email})
    recipients, message, text, html = only(inbox)
    assert recipients == [member.user.email]
    assert message["Subject"] == "Set a new password for the Maturity Benchmark"
    assert "/accounts/reset/" in text and "/accounts/reset/" in html
