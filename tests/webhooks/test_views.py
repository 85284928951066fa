"""The firm's webhooks page as its consultants use it: endpoints, the log, replay, test."""

import re

import pytest
from bs4 import BeautifulSoup

from core.models import Membership
from tests.factories import MembershipFactory
from webhooks.models import Delivery, Endpoint, Event
from webhooks.services import webhook_event_emit

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, consultant):
    client.force_login(consultant.user)
    return client


def base(firm):
    return f"/orgs/{firm.slug}/webhooks/"


def text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def test_a_consultant_adds_an_endpoint_and_sees_its_secret(signed_in, firm, receiver):
    reply = signed_in.post(
        base(firm) + "add/",
        {"url": receiver.url, "description": "HubSpot", "event_types": ["lead.created"]},
    )
    endpoint = Endpoint.objects.get(organization=firm)
    assert reply["Location"] == f"{base(firm)}{endpoint.pk}/"
    assert endpoint.event_types == ["lead.created"] and endpoint.is_enabled
    assert re.fullmatch(r"whsec_[A-Za-z0-9+/]{43}=", endpoint.secret)
    page = signed_in.get(reply["Location"])
    assert endpoint.secret in page.content.decode()
    listing = text(signed_in.get(base(firm)))
    assert "HubSpot" in listing and "lead.created" in listing and "Enabled" in listing


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://crm.example.com/hooks", "Use an https URL"),
        ("ftp://crm.example.com/hooks", "Only https URLs"),
        ("https://10.1.2.3/hooks", "private or internal address"),
        ("https://[::1]/hooks", "private or internal address"),
        ("https://169.254.169.254/latest/meta-data", "private or internal address"),
        ("https://user:pw@crm.example.com/", "no user name or password"),
    ],
)
def test_a_url_against_the_rules_is_refused_beside_the_field(signed_in, firm, url, message):
    reply = signed_in.post(base(firm) + "add/", {"url": url, "event_types": ["lead.created"]})
    assert reply.status_code == 200
    assert message in text(reply)
    assert "169.254" not in text(reply).replace(url, "")  # no resolved address in the message
    assert not Endpoint.objects.exists()


def test_editing_re_enables_and_clears_the_failures(signed_in, firm, endpoint, receiver):
    Endpoint.objects.filter(pk=endpoint.pk).update(
        is_enabled=False, consecutive_failures=5, disabled_reason="Disabled after 5"
    )
    page = text(signed_in.get(f"{base(firm)}{endpoint.pk}/"))
    assert "Disabled after 5" in page
    signed_in.post(
        f"{base(firm)}{endpoint.pk}/",
        {
            "url": receiver.url,
            "description": "CRM",
            "event_types": ["audit.replied"],
            "is_enabled": "on",
        },
    )
    endpoint.refresh_from_db()
    assert (endpoint.is_enabled, endpoint.consecutive_failures, endpoint.disabled_reason) == (
        True,
        0,
        "",
    )
    assert endpoint.event_types == ["audit.replied"]


def test_delete_asks_first_then_deletes(signed_in, firm, endpoint):
    target = f"{base(firm)}{endpoint.pk}/delete/"
    ask = signed_in.post(target)
    assert ask.status_code == 200 and "Delete the endpoint" in text(ask)
    assert Endpoint.objects.filter(pk=endpoint.pk).exists()
    done = signed_in.post(target, {"confirmed": "1"})
    assert done.status_code == 302
    assert not Endpoint.objects.filter(pk=endpoint.pk).exists()


def test_delete_with_htmx_reloads_the_list(signed_in, firm, endpoint):
    done = signed_in.post(
        f"{base(firm)}{endpoint.pk}/delete/", {"confirmed": "1"}, HTTP_HX_REQUEST="true"
    )
    assert done["HX-Redirect"] == base(firm)
    assert not Endpoint.objects.filter(pk=endpoint.pk).exists()


def test_send_test_event_reaches_the_receiver_and_shows_in_the_log(
    signed_in, firm, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = signed_in.post(f"{base(firm)}{endpoint.pk}/test/")
    assert reply["Location"] == f"{base(firm)}log/?endpoint={endpoint.pk}"
    [got] = receiver.received
    assert got.valid and got.payload["type"] == "webhook.test" and got.payload["sequence"] is None
    log = text(signed_in.get(reply["Location"]))
    assert "webhook.test" in log and "Delivered" in log and "204" in log


def test_the_log_filters_and_replays(
    signed_in, firm, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.behaviour.statuses = [500] * 3
    with django_capture_on_commit_callbacks(execute=True):
        failed = webhook_event_emit(firm=firm, event_type="audit.submitted", data={})
        webhook_event_emit(firm=firm, event_type="lead.created", data={})
    log = signed_in.get(base(firm) + "log/")
    rows = BeautifulSoup(log.content, "html.parser").select("#delivery-log tbody tr")
    assert len(rows) == 2
    failed_row = text_of(rows[1])
    assert "audit.submitted #1" in failed_row and "Failed" in failed_row
    assert "HTTP 500" in failed_row and "All 3 attempts" in failed_row
    only_failed = text(signed_in.get(base(firm) + "log/?status=failed"))
    assert "audit.submitted" in only_failed and "lead.created" not in only_failed
    by_type = text(signed_in.get(base(firm) + "log/?event_type=lead.created"))
    assert "lead.created" in by_type and "audit.submitted" not in by_type
    # Off-list filter values are ignored, not an error.
    assert signed_in.get(base(firm) + "log/?status=<x>&endpoint=abc").status_code == 200

    delivery = Delivery.objects.get(event=failed)
    with django_capture_on_commit_callbacks(execute=True):
        back = signed_in.post(
            f"{base(firm)}deliveries/{delivery.pk}/replay/",
            {"next": base(firm) + "log/?status=failed"},
        )
    assert back["Location"] == base(firm) + "log/?status=failed"
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SUCCEEDED and delivery.round == 2
    assert receiver.valid_payloads()[failed.msg_id]["sequence"] == 1


def test_replay_never_redirects_elsewhere(signed_in, firm, endpoint, receiver):
    event = Event.objects.create(
        organization=firm,
        msg_id="msg_x",
        event_type="lead.created",
        sequence=1,
        occurred_at="2026-01-01T00:00Z",
    )
    delivery = Delivery.objects.create(
        organization=firm, event=event, endpoint=endpoint, status="failed"
    )
    reply = signed_in.post(
        f"{base(firm)}deliveries/{delivery.pk}/replay/", {"next": "https://evil.example/"}
    )
    assert reply["Location"] == base(firm) + "log/"


def test_a_firm_member_who_is_not_a_consultant_is_refused(client, firm, endpoint):
    member = MembershipFactory(organization=firm, role=Membership.Role.MEMBER)
    client.force_login(member.user)
    assert client.get(base(firm)).status_code == 403
    assert client.post(f"{base(firm)}{endpoint.pk}/delete/", {"confirmed": "1"}).status_code == 403
    assert Endpoint.objects.filter(pk=endpoint.pk).exists()


def test_a_client_organization_has_no_webhooks_page(client):
    admin = MembershipFactory(role=Membership.Role.CONSULTANT)
    client.force_login(admin.user)
    assert client.get(f"/orgs/{admin.organization.slug}/webhooks/").status_code == 404


def test_the_firms_pages_link_to_webhooks(signed_in, firm):
    page = signed_in.get(f"/orgs/{firm.slug}/leads/")  # any firm page: its navigation
    assert f'href="{base(firm)}"' in page.content.decode()


def text_of(tag):
    return " ".join(tag.get_text().split())


def test_rotating_the_secret_keeps_the_old_one_signing_for_a_while(
    signed_in, firm, endpoint, receiver, django_capture_on_commit_callbacks
):
    old = endpoint.secret
    ask = signed_in.post(f"{base(firm)}{endpoint.pk}/secret/")
    assert "Rotate the signing secret" in text(ask)
    signed_in.post(f"{base(firm)}{endpoint.pk}/secret/", {"confirmed": "1"})
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old
    with django_capture_on_commit_callbacks(execute=True):
        webhook_event_emit(firm=firm, event_type="lead.created", data={})
    [got] = receiver.received
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    # A CRM with either secret verifies the message (receiver.secret is still the old one).
    assert got.valid
    from standardwebhooks import Webhook

    Webhook(endpoint.secret).verify(got.body, got.headers)
    page = text(signed_in.get(f"{base(firm)}{endpoint.pk}/"))
    assert "The previous secret signs too until" in page


def test_after_the_overlap_only_the_new_secret_signs(
    firm, endpoint, receiver, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from webhooks.services import webhook_endpoint_secret_rotate

    webhook_endpoint_secret_rotate(endpoint=endpoint, now=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        webhook_event_emit(firm=firm, event_type="lead.created", data={})
    [got] = receiver.received
    assert not got.valid, "the old secret no longer verifies"
    assert len(got.headers["webhook-signature"].split(" ")) == 1
