"""Nothing is lost when the firm's receiver goes away mid-delivery.

A real Celery worker (a thread consuming from the machine's Redis) delivers; the receiver
is a real HTTP server on loopback that verifies every signature with the standardwebhooks
library. Part way through, it cuts a request off and stops (connection refused), events
keep coming, then it starts again on the same port and answers its first requests too late
(timeouts). In the end it holds every event, each with a valid signature, complete by
sequence number; duplicates are allowed and collapse on webhook-id.
"""

import threading

import pytest

from webhooks.models import Attempt, Delivery, EventType
from webhooks.services import webhook_endpoint_create, webhook_event_emit

pytestmark = pytest.mark.django_db(transaction=True)

EVENTS = 24


@pytest.fixture
def patient(settings):
    """Retries that go on for as long as the outage lasts, milliseconds apart."""
    settings.WEBHOOK_MAX_ATTEMPTS = 100_000
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.05
    settings.WEBHOOK_RETRY_MAX_SECONDS = 0.3
    settings.WEBHOOK_CONNECT_TIMEOUT = 1.0
    settings.WEBHOOK_READ_TIMEOUT = 0.5
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 1_000


def test_a_receiver_stopped_mid_delivery_loses_nothing(real_worker, patient, firm, receiver):
    endpoint = webhook_endpoint_create(
        firm=firm, url=receiver.url, description="CRM", event_types=EventType.values
    )
    receiver.secret = endpoint.secret
    cut_off = threading.Event()
    seen = []

    def on_request(got):
        seen.append(got)
        if len(seen) == 5:  # the fifth request is read, then the receiver dies under it
            receiver.behaviour.drop = 1
            cut_off.set()

    receiver.on_request = on_request
    types = list(EventType.values)
    emitted = []
    for n in range(EVENTS):
        if n == 8:
            assert cut_off.wait(timeout=60), "the receiver never got its fifth request"
            receiver.stop()  # connection refused from here on
        if n == 16:
            receiver.behaviour.hang, receiver.behaviour.hang_next = 2.0, 3
            receiver.on_request = None
            receiver.start()  # the same port; its first three answers come too late
        emitted.append(
            webhook_event_emit(firm=firm, event_type=types[n % len(types)], data={"n": n})
        )

    def complete():
        sequences = {p["sequence"] for p in receiver.valid_payloads().values()}
        return sequences == set(range(1, EVENTS + 1))

    assert receiver.wait_for(complete, timeout=120), (
        f"missing sequences: {set(range(1, EVENTS + 1)) - {p['sequence'] for p in receiver.valid_payloads().values()}}"
    )
    assert all(r.valid for r in receiver.received), "every request verified"
    payloads = receiver.valid_payloads()
    assert {e.msg_id for e in emitted} == set(payloads)
    for event in emitted:
        assert payloads[event.msg_id]["data"] == {"n": event.sequence - 1}
        assert payloads[event.msg_id]["type"] == event.event_type
    assert receiver.wait_for(
        lambda: not Delivery.objects.exclude(status=Delivery.Status.SUCCEEDED).exists(), 30
    )
    errors = set(Attempt.objects.exclude(error="").values_list("error", flat=True))
    assert {"refused", "timeout"} <= errors, f"the faults happened: {errors}"
