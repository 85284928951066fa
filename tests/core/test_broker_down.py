"""With the broker unreachable, pages still serve and queued work says it is queued."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from config.celery import app
from core.models import Membership
from reports.models import BoardReport
from reports.tasks import board_reports_requeue
from tests.factories import MembershipFactory, response_create

pytestmark = pytest.mark.django_db(transaction=True)


def _reset_pools():
    # Celery keeps the connection and producer pools it first made; drop them so the next
    # publish connects to the broker configured now.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    saved = app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    _reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url = saved
        app.conf.task_always_eager = True
        _reset_pools()


def test_a_board_report_stays_queued_and_the_page_says_so(client, broker_down):
    member = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    client.force_login(member.user)
    reply = client.post(f"/orgs/{member.organization.slug}/reports/", follow=True)
    assert reply.status_code == 200
    assert BoardReport.objects.get().status == "queued"
    assert "Queued: waiting for a worker." in reply.content.decode()
    assert client.get(f"/orgs/{member.organization.slug}/").status_code == 200


def test_saving_an_email_still_saves_it(client, broker_down):
    response = response_create()
    reply = client.post(f"/results/{response.public_id}/email/", {"email": "vp@example.com"})
    assert reply.status_code == 302
    response.refresh_from_db()
    assert response.email == "vp@example.com"
    assert mail.outbox == []


def test_the_sweep_sends_a_stale_queued_report_when_the_broker_is_back():
    member = MembershipFactory()
    report = BoardReport.objects.create(organization=member.organization)
    BoardReport.objects.filter(pk=report.pk).update(
        updated_at=timezone.now() - timedelta(minutes=10)
    )
    assert board_reports_requeue() == 1  # eager in tests: rendered right away
    assert BoardReport.objects.get(pk=report.pk).status == "done"
