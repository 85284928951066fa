"""Every absolute link and identifier the app makes comes from SITE_URL, never from the
request's Host header: with a foreign (but allowed) Host, every email and file says the
configured site."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from icalendar import Calendar

from audits.models import Audit
from core.models import Membership
from tests.factories import MembershipFactory, response_create
from workflows.models import CandidateWorkflow, Review
from workflows.plans.services import plan_create
from workflows.reviews.services import review_reminders_send

pytestmark = pytest.mark.django_db

SITE = "https://benchmark.example"
FOREIGN = "intranet-proxy.internal"
URL = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, FOREIGN]


@pytest.fixture
def foreign(client):
    """The test client, sending the foreign Host on every request."""
    client.defaults["HTTP_HOST"] = FOREIGN
    return client


def assert_only_site_links(text: str) -> list[str]:
    assert FOREIGN not in text
    links = URL.findall(text)
    assert links, "no link at all"
    for link in links:
        if "cal.example" not in link:  # the consultant's own booking link
            assert link.startswith(SITE + "/"), link
    return links


def test_it_puts_the_site_in_the_password_reset_link(foreign):
    member = MembershipFactory()
    foreign.post("/accounts/password_reset/", {"email": member.user.email})
    assert len(mail.outbox) == 1
    (link,) = assert_only_site_links(mail.outbox[0].body)
    assert link.startswith(SITE + "/accounts/reset/")
    assert FOREIGN not in mail.outbox[0].subject
    # The link works: it leads to the form that sets the password.
    reply = foreign.get(link.removeprefix(SITE), follow=True)
    assert "Choose a new password" in reply.content.decode()


def test_it_puts_the_site_in_the_invitation(foreign, django_capture_on_commit_callbacks):
    admin = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    foreign.force_login(admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        foreign.post(
            f"/orgs/{admin.organization.slug}/members/",
            {"email": "new@example.com", "role": Membership.Role.MEMBER},
        )
    (link,) = assert_only_site_links(mail.outbox[0].body)
    assert link.startswith(SITE + "/invitations/")


def test_it_puts_the_site_in_the_result_email(foreign, django_capture_on_commit_callbacks):
    response = response_create()
    with django_capture_on_commit_callbacks(execute=True):
        foreign.post(f"/results/{response.public_id}/email/", {"email": "vp@example.com"})
    (link,) = assert_only_site_links(mail.outbox[0].body)
    assert link == f"{SITE}/results/{response.public_id}/"


def test_it_puts_the_site_in_the_audit_reply_and_the_share_link(
    foreign, django_capture_on_commit_callbacks
):
    admin = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    consultant = MembershipFactory(role=Membership.Role.CONSULTANT, organization=admin.organization)
    audit = Audit.objects.create(
        organization=admin.organization, created_by=admin.user, status=Audit.Status.SUBMITTED
    )
    review = f"/orgs/{admin.organization.slug}/audits/{audit.pk}/review/"
    foreign.force_login(consultant.user)

    page = foreign.get(review).content.decode()
    assert FOREIGN not in page
    assert f"{SITE}/audit/{audit.share_token}/" in page

    with django_capture_on_commit_callbacks(execute=True):
        foreign.post(
            review,
            {
                "action": "reply",
                "named_gap": "Inbound follow-up",
                "gap_value_usd": "88400",
                "recommendation": "Orchestrate it.",
                "booking_link": "https://cal.example.com/x",
                "recipient": "dana@client.example",
            },
        )
    links = assert_only_site_links(mail.outbox[0].body)
    assert f"{SITE}/audit/{audit.share_token}/" in links  # the contact may have no account


def test_it_puts_the_site_in_the_review_reminder():
    member = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    workflow = CandidateWorkflow.objects.create(organization=member.organization, name="W")
    plan_create(workflow=workflow, start_date=date(2026, 12, 1), timezone="UTC", owner=member.user)
    due = Review.objects.get(stage=30).due_date
    review_reminders_send(
        now=datetime.combine(due - timedelta(days=2), datetime.min.time(), tzinfo=UTC)
    )
    (link,) = assert_only_site_links(mail.outbox[0].body)
    assert link.startswith(f"{SITE}/orgs/{member.organization.slug}/workflows/")


def test_it_keeps_the_calendar_uids_whatever_the_host(client):
    member = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    workflow = CandidateWorkflow.objects.create(organization=member.organization, name="W")
    plan_create(workflow=workflow, start_date=date(2026, 12, 1), timezone="UTC", owner=member.user)
    client.force_login(member.user)
    path = f"/orgs/{member.organization.slug}/workflows/{workflow.pk}/plan/calendar.ics"

    def uids(host):
        body = client.get(path, HTTP_HOST=host).content
        assert FOREIGN.encode() not in body
        return sorted(str(e["UID"]) for e in Calendar.from_ical(body).walk("VEVENT"))

    through_proxy, direct = uids(FOREIGN), uids("localhost")
    assert through_proxy == direct
    assert all(uid.endswith("@benchmark.example") for uid in direct)
