"""Delivering an event: signed as Standard Webhooks, retried with backoff, bounded, logged,
and an endpoint that keeps failing is disabled with an email to the firm's consultants.

Celery runs eagerly here (config.settings.test) with retries milliseconds apart; the real
worker is in test_worker_faults.py.
"""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from standardwebhooks import Webhook

from tests.webhooks.receiver import Receiver
from webhooks.models import Attempt, Delivery, Endpoint
from webhooks.services import webhook_delivery_replay, webhook_event_emit

pytestmark = pytest.mark.django_db

DATA = {"audit_id": 7, "tier": "qualified"}


def emit(firm, capture, event_type="audit.submitted", data=DATA):
    with capture(execute=True):
        return webhook_event_emit(firm=firm, event_type=event_type, data=data)


def test_the_receiver_gets_a_signed_standard_webhooks_message(
    firm, endpoint, receiver, django_capture_on_commit_callbacks
):
    event = emit(firm, django_capture_on_commit_callbacks)
    [got] = receiver.received
    assert got.valid, "the standardwebhooks library verifies the signature"
    assert got.msg_id == event.msg_id and got.msg_id.startswith("msg_")
    assert got.headers["content-type"] == "application/json"
    assert abs(int(got.headers["webhook-timestamp"]) - datetime.now(UTC).timestamp()) < 300
    assert got.payload == {
        "type": "audit.submitted",
        "timestamp": event.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "data": DATA,
        "sequence": 1,
    }
    delivery = Delivery.objects.get(event=event)
    assert delivery.status == Delivery.Status.SUCCEEDED
    [attempt] = delivery.attempts.all()
    assert (attempt.number, attempt.status_code, attempt.error) == (1, 204, "")


def test_a_message_signed_with_another_secret_does_not_verify(
    firm, endpoint, receiver, django_capture_on_commit_callbacks
):
    emit(firm, django_capture_on_commit_callbacks)
    got = receiver.received[0]
    other = Webhook("whsec_" + "A" * 43 + "=")
    with pytest.raises(Exception, match="signature"):
        other.verify(got.body, got.headers)
    tampered = got.body.replace(b"qualified", b"not_ready")
    with pytest.raises(Exception, match="signature"):
        Webhook(endpoint.secret).verify(tampered, got.headers)


def test_only_enabled_endpoints_subscribed_to_the_type_get_it(
    firm, endpoint, receiver, django_capture_on_commit_callbacks
):
    other = Receiver()
    other.start()
    try:
        Endpoint.objects.create(
            organization=firm, url=other.url, event_types=["report.ready"], secret=endpoint.secret
        )
        Endpoint.objects.create(
            organization=firm,
            url=other.url,
            event_types=["audit.submitted"],
            secret=endpoint.secret,
            is_enabled=False,
        )
        emit(firm, django_capture_on_commit_callbacks)
        assert len(receiver.received) == 1 and other.received == []
        emit(firm, django_capture_on_commit_callbacks, event_type="report.ready")
        assert [r.payload["type"] for r in other.received] == ["report.ready"]
        assert other.received[0].payload["sequence"] == 2
    finally:
        other.stop()


def test_a_failed_attempt_is_retried_and_every_attempt_logged(
    firm, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.behaviour.statuses = [500, 503]
    event = emit(firm, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(event=event)
    assert delivery.status == Delivery.Status.SUCCEEDED
    attempts = list(delivery.attempts.order_by("number"))
    assert [(a.number, a.status_code, a.error) for a in attempts] == [
        (1, 500, "status"),
        (2, 503, "status"),
        (3, 204, ""),
    ]
    assert all(a.duration_ms >= 0 for a in attempts)
    # Each attempt is signed anew, all with the message's one id.
    assert {r.msg_id for r in receiver.received} == {event.msg_id}
    assert all(r.valid for r in receiver.received)


def test_attempts_are_bounded_and_the_endpoint_disabled_after_repeated_failures(
    firm, consultant, endpoint, receiver, django_capture_on_commit_callbacks, settings
):
    receiver.behaviour.statuses = [500] * 20
    first = emit(firm, django_capture_on_commit_callbacks)
    assert Delivery.objects.get(event=first).status == Delivery.Status.FAILED
    assert Attempt.objects.filter(delivery__event=first).count() == settings.WEBHOOK_MAX_ATTEMPTS
    endpoint.refresh_from_db()
    assert endpoint.is_enabled and endpoint.consecutive_failures == 1
    assert mail.outbox == []

    emit(firm, django_capture_on_commit_callbacks)  # the second failed delivery in a row
    endpoint.refresh_from_db()
    assert not endpoint.is_enabled
    assert "2 deliveries in a row failed" in endpoint.disabled_reason
    [notice] = mail.outbox
    assert notice.to == ["casey@morgan.example"]
    assert "disabled" in notice.subject and endpoint.url in notice.body
    assert notice.alternatives[0][1] == "text/html" and endpoint.url in notice.alternatives[0][0]

    # Disabled: the next event queues nothing for it, and no second email goes out.
    third = emit(firm, django_capture_on_commit_callbacks)
    assert not Delivery.objects.filter(event=third).exists()
    assert len(mail.outbox) == 1


def test_a_success_resets_the_failure_count(
    firm, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.behaviour.statuses = [500] * 3
    emit(firm, django_capture_on_commit_callbacks)
    emit(firm, django_capture_on_commit_callbacks)
    endpoint.refresh_from_db()
    assert endpoint.is_enabled and endpoint.consecutive_failures == 0


def test_a_redirect_is_not_followed(firm, endpoint, receiver, django_capture_on_commit_callbacks):
    elsewhere = Receiver()
    elsewhere.start()
    try:
        receiver.behaviour.redirect_to = elsewhere.url
        event = emit(firm, django_capture_on_commit_callbacks)
        assert elsewhere.received == []
        errors = set(Attempt.objects.filter(delivery__event=event).values_list("error", flat=True))
        assert errors == {"redirect"}
    finally:
        elsewhere.stop()


def test_a_hanging_receiver_times_out(
    firm, endpoint, receiver, django_capture_on_commit_callbacks, settings
):
    settings.WEBHOOK_READ_TIMEOUT = 0.2
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.behaviour.hang = 1.0
    event = emit(firm, django_capture_on_commit_callbacks)
    [attempt] = Attempt.objects.filter(delivery__event=event)
    assert attempt.error == "timeout" and attempt.status_code is None


def test_a_stopped_receiver_is_connection_refused(
    firm, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.stop()
    event = emit(firm, django_capture_on_commit_callbacks)
    errors = list(Attempt.objects.filter(delivery__event=event).values_list("error", flat=True))
    assert errors == ["refused"] * 3


def test_the_address_is_checked_again_at_delivery_time(
    firm, endpoint, receiver, django_capture_on_commit_callbacks, monkeypatch, settings
):
    """DNS rebinding: the URL passed when saved, and now its host resolves inside."""
    Endpoint.objects.filter(pk=endpoint.pk).update(url=f"https://crm.example:{receiver.port}/h")
    monkeypatch.setattr("webhooks.targets.socket.getaddrinfo", _resolves_to("10.0.0.8"))
    event = emit(firm, django_capture_on_commit_callbacks)
    assert receiver.received == []
    errors = set(Attempt.objects.filter(delivery__event=event).values_list("error", flat=True))
    assert errors == {"refused_target"}


def test_the_attempt_connects_to_the_address_that_was_checked(
    firm, endpoint, receiver, django_capture_on_commit_callbacks, monkeypatch, settings
):
    """The name is resolved once per attempt, and that checked address is the one dialled
    (with the endpoint's own Host header): no second lookup can swap it."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["crm.internal", "127.0.0.1"]
    Endpoint.objects.filter(pk=endpoint.pk).update(url=f"http://crm.internal:{receiver.port}/h")
    lookups = []

    def resolve(host, port, *args, **kwargs):
        lookups.append(host)
        return _resolves_to("127.0.0.1")(host, port)

    monkeypatch.setattr("webhooks.targets.socket.getaddrinfo", resolve)
    emit(firm, django_capture_on_commit_callbacks)
    [got] = receiver.received
    assert got.valid and got.headers["host"] == f"crm.internal:{receiver.port}"
    # The name once; then urllib3 "resolves" the checked IP literal it was given to dial.
    assert lookups == ["crm.internal", "127.0.0.1"]


def test_replay_sends_the_same_message_again_in_a_new_round(
    firm, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.behaviour.statuses = [500] * 3
    event = emit(firm, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(event=event)
    assert delivery.status == Delivery.Status.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        webhook_delivery_replay(delivery=delivery)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.round) == (Delivery.Status.SUCCEEDED, 2)
    bodies = {r.body for r in receiver.received}
    assert len(bodies) == 1, "every attempt and the replay carry the same body"
    assert receiver.valid_payloads()[event.msg_id]["sequence"] == 1
    assert list(delivery.attempts.filter(round=2).values_list("number", "status_code")) == [
        (1, 204)
    ]


def test_the_body_is_canonical_json(firm, endpoint, receiver, django_capture_on_commit_callbacks):
    emit(
        firm,
        django_capture_on_commit_callbacks,
        data={"z": 1, "when": datetime(2026, 1, 2, tzinfo=UTC) + timedelta(hours=1)},
    )
    body = receiver.received[0].body.decode()
    assert body == json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"))
    assert json.loads(body)["data"] == {"when": "2026-01-02T01:00:00Z", "z": 1}


def _resolves_to(address):
    import socket

    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    return resolve


def test_an_overdue_pending_delivery_is_sent_by_the_beat_job(
    firm, endpoint, receiver, django_capture_on_commit_callbacks, settings
):
    """The broker was down when the event was emitted: the delivery waits, pending."""
    from django.utils import timezone

    from webhooks.tasks import webhook_deliveries_requeue

    with django_capture_on_commit_callbacks(execute=False):  # never queued
        event = webhook_event_emit(firm=firm, event_type="lead.created", data={})
    assert webhook_deliveries_requeue() == 0  # not overdue yet
    Delivery.objects.filter(event=event).update(
        next_attempt_at=timezone.now()
        - timedelta(seconds=settings.WEBHOOK_REQUEUE_AFTER_SECONDS + 1)
    )
    assert webhook_deliveries_requeue() == 1
    assert Delivery.objects.get(event=event).status == Delivery.Status.SUCCEEDED
    assert receiver.valid_payloads()[event.msg_id]["sequence"] == 1
