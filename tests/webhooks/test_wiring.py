"""The events the app emits today reach the client's firm: an intake submitted, a reply
sent, a board report ready, a member's self-score completed."""

from decimal import Decimal

import pytest
from django.utils import timezone

from audits.models import Audit
from audits.services import audit_reply_send, audit_submit
from core.models import Membership
from reports.models import BoardReport
from reports.rendering import board_report_render
from tests.audits.conftest import fill_complete
from tests.factories import MembershipFactory, response_create
from webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_admin(firm):
    return MembershipFactory(
        role=Membership.Role.CLIENT_ADMIN, organization__name="Northwind", organization__firm=firm
    )


def events(firm):
    return list(Event.objects.filter(organization=firm).order_by("sequence"))


def test_submitting_and_replying_to_an_audit_tell_the_firm(
    firm, client_admin, consultant, endpoint, receiver, django_capture_on_commit_callbacks
):
    audit = Audit.objects.create(organization=client_admin.organization)
    fill_complete(audit)
    with django_capture_on_commit_callbacks(execute=True):
        audit_submit(audit=audit, now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        audit_reply_send(
            audit=Audit.objects.get(pk=audit.pk),
            replied_by=consultant.user,
            named_gap="Lead routing",
            gap_value_usd=Decimal("120000"),
            recommendation="Orchestrate the first touch.",
            booking_link="",
            recipient="dana@client.example",
            now=timezone.now(),
        )
    submitted, replied = events(firm)
    assert (submitted.event_type, submitted.sequence) == ("audit.submitted", 1)
    assert (replied.event_type, replied.sequence) == ("audit.replied", 2)
    assert submitted.data["audit_id"] == audit.pk
    assert submitted.data["organization"] == {
        "name": "Northwind",
        "slug": client_admin.organization.slug,
    }
    assert replied.data["named_gap"] == "Lead routing"
    assert replied.data["gap_value_usd"] == "120000"
    payloads = receiver.valid_payloads()
    assert [payloads[e.msg_id]["type"] for e in (submitted, replied)] == [
        "audit.submitted",
        "audit.replied",
    ]


def test_a_client_without_a_firm_reports_to_the_default_firm(settings):
    member = MembershipFactory(role=Membership.Role.MEMBER)
    response_create(membership=member)
    [event] = Event.objects.all()
    assert event.organization.slug == settings.DEFAULT_FIRM_SLUG
    assert event.event_type == "response.completed"
    assert event.data["tier"] and event.data["widest_gap"]
    assert event.data["url"].endswith(f"/results/{event.data['response_id']}/")


def test_an_anonymous_or_demo_self_score_emits_nothing(client_admin):
    response_create()
    response_create(membership=client_admin, is_demo=True)
    assert not Event.objects.exists()


def test_a_finished_board_report_tells_the_firm_once(firm, client_admin, endpoint, monkeypatch):
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]"
    pdf += b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    monkeypatch.setattr(
        "reports.rendering.board_report_pdf", lambda **kwargs: (pdf, {"runs": "2026-11-01"})
    )
    monkeypatch.setattr("reports.rendering.PdfReader", lambda f: type("R", (), {"pages": [1]}))
    report = BoardReport.objects.create(organization=client_admin.organization)
    board_report_render(report=report, now=timezone.now())
    board_report_render(report=BoardReport.objects.get(pk=report.pk), now=timezone.now())
    [event] = events(firm)
    assert event.event_type == "report.ready" and event.data["report_id"] == report.pk
    assert Delivery.objects.filter(event=event, endpoint=endpoint).count() == 1
