"""The result-link email goes through a real Celery worker and the machine's Redis."""

import threading
import time

import pytest
from celery.signals import task_prerun
from django.core import mail

from tests.factories import response_create


@pytest.mark.django_db(transaction=True)
def test_saving_an_email_sends_one_link_through_the_worker(client, real_worker):
    ran_in = []

    def record(**kwargs):
        ran_in.append(threading.get_ident())

    task_prerun.connect(record, weak=False)
    try:
        self_addressed = threading.get_ident()
        response = response_create()
        reply = client.post(f"/results/{response.public_id}/email/", {"email": "vp@example.com"})
        assert reply.status_code == 302
        deadline = time.monotonic() + 20
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [m.to for m in mail.outbox] == [["vp@example.com"]]
        assert str(response.public_id) in mail.outbox[0].body
        assert ran_in and self_addressed not in ran_in  # the worker thread ran it, not eager
    finally:
        task_prerun.disconnect(record)  # even when an assertion fails: no listener leaks
