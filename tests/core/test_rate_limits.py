"""Password reset, the result email and the share-link writes are limited per client
address: over the rate, 429 with Retry-After, and nothing is sent or written."""

import pytest
from django.core import mail

from audits.models import Audit, AuditTool
from tests.factories import MembershipFactory, response_create

pytestmark = pytest.mark.django_db

HERE = {"REMOTE_ADDR": "198.51.100.7"}
ELSEWHERE = {"REMOTE_ADDR": "198.51.100.8"}


def assert_limited(reply):
    assert reply.status_code == 429
    assert 0 < int(reply["Retry-After"]) <= 3600
    assert "Too many requests" in reply.content.decode()


def test_it_limits_password_resets_per_address(client, settings):
    settings.RATELIMIT_PASSWORD_RESET = "3/h"
    member = MembershipFactory()
    for _ in range(3):
        reply = client.post("/accounts/password_reset/", {"email": member.user.email}, **HERE)
        assert reply.status_code == 302
    assert_limited(client.post("/accounts/password_reset/", {"email": member.user.email}, **HERE))
    assert len(mail.outbox) == 3
    # Another address still gets its email: the owner's way back in stays open.
    client.post("/accounts/password_reset/", {"email": member.user.email}, **ELSEWHERE)
    assert len(mail.outbox) == 4


def test_it_shows_the_reset_form_whatever_the_count(client, settings):
    settings.RATELIMIT_PASSWORD_RESET = "1/h"
    client.post("/accounts/password_reset/", {"email": "a@example.com"}, **HERE)
    client.post("/accounts/password_reset/", {"email": "a@example.com"}, **HERE)
    assert client.get("/accounts/password_reset/", **HERE).status_code == 200


def test_it_limits_result_emails_per_address(client, settings, django_capture_on_commit_callbacks):
    settings.RATELIMIT_RESULT_EMAIL = "2/h"
    responses = [response_create() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for response in responses[:2]:
            client.post(f"/results/{response.public_id}/email/", {"email": "a@example.com"}, **HERE)
        reply = client.post(
            f"/results/{responses[2].public_id}/email/", {"email": "a@example.com"}, **HERE
        )
    assert_limited(reply)
    assert len(mail.outbox) == 2
    responses[2].refresh_from_db()
    assert responses[2].email == ""


def test_it_limits_share_link_writes_per_address(client, settings):
    settings.RATELIMIT_SHARE_LINK_WRITES = "3/h"
    admin = MembershipFactory()
    audit = Audit.objects.create(organization=admin.organization, created_by=admin.user)
    base = f"/audit/{audit.share_token}/"
    for _ in range(3):
        assert client.post(base + "tools/add/", **HERE).status_code in (200, 302)
    assert_limited(client.post(base + "tools/add/", **HERE))
    assert_limited(client.post(base + "field/", {"crm": "x"}, HTTP_HX_REQUEST="true", **HERE))
    assert AuditTool.objects.filter(audit=audit).count() == 3
    # Reading the intake is not a write; another address still writes.
    assert client.get(base, **HERE).status_code == 200
    assert client.post(base + "tools/add/", **ELSEWHERE).status_code in (200, 302)
    assert AuditTool.objects.filter(audit=audit).count() == 4


def test_it_lets_everything_through_when_limits_are_off(client, settings):
    settings.RATELIMIT_ENABLE = False
    settings.RATELIMIT_PASSWORD_RESET = "1/h"
    for _ in range(3):
        reply = client.post("/accounts/password_reset/", {"email": "a@example.com"}, **HERE)
        assert reply.status_code == 302
