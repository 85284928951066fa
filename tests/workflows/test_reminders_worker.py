"""Review reminders run through a real Celery worker on the machine's Redis, once each."""

import time
from datetime import timedelta

import pytest
from celery.result import EagerResult
from django.core import mail
from django.utils import timezone

from tests.factories import MembershipFactory
from workflows.models import CandidateWorkflow, Review
from workflows.plans.services import plan_create
from workflows.tasks import review_reminders


@pytest.mark.django_db(transaction=True)
def test_the_beat_job_sends_each_reminder_once_through_the_worker(real_worker):
    member = MembershipFactory()
    workflow = CandidateWorkflow.objects.create(organization=member.organization, name="Inbound")
    start = timezone.localdate() - timedelta(days=14 + 28)  # day-30 review due in 2 days
    plan_create(workflow=workflow, start_date=start, timezone="UTC", owner=member.user)
    assert Review.objects.get(stage=30).due_date == timezone.localdate() + timedelta(days=2)

    first, _second = review_reminders.delay(), review_reminders.delay()
    deadline = time.monotonic() + 20
    while (
        Review.objects.filter(reminder_sent_at__isnull=True, stage=30).exists()
        and time.monotonic() < deadline
    ):
        time.sleep(0.1)
    time.sleep(0.5)  # let the second run finish too
    assert [m.to for m in mail.outbox] == [[member.user.email]]
    assert not isinstance(first, EagerResult)  # queued on Redis, run by the worker thread
